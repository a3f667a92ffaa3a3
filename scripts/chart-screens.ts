// `npm run screens` (with screens.ts): docs/screens/statechart-panel.png and statechart-panel-phone.png, the demo's
// statechart panel at a laptop's size (1280 x 900) and a phone's (390 x 844), after bob's password was accepted
// and the PIN is asked for: the login region opened, expecting.securityPin current, the last transition marked.
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/browser/chromium.js';
import { startDemoServer } from './serve-demo.js';

const SCREENS = fileURLToPath(new URL('../docs/screens/', import.meta.url));
const SIZES = [
  { name: 'statechart-panel', width: 1280, height: 900 },
  { name: 'statechart-panel-phone', width: 390, height: 844 },
] as const;

const demo = await startDemoServer();
const chromium = await launchChromium();
try {
  for (const { name, width, height } of SIZES) {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width, height });
    await page.goto(demo.url);
    await page.waitForSelector('#chart[data-drawn="true"]');
    await page.getByLabel('Username').fill('bob');
    await page.getByLabel('Password').fill('bob-password');
    await page.getByLabel('Password').press('Enter');
    await page.waitForSelector('#chart[data-current="expecting.securityPin"]');
    await page
      .locator('section:has(> #chart)')
      .screenshot({ path: `${SCREENS}${name}.png`, animations: 'disabled' });
    console.log(`wrote docs/screens/${name}.png`);
    await page.close();
  }
} finally {
  await Promise.all([chromium.close(), demo.close()]);
}
