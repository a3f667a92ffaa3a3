// `npm run screens` (after the demo's): docs/screens/examples/<framework>-<screen>.png, the React, Vue and
// Svelte examples as `npm run dev -w examples/<framework>` serves them, in headless Chromium.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium.js';
import { EXAMPLES, startExampleDevServer } from '../test/browser/example-dev-server.js';

const SCREENS = fileURLToPath(new URL('../docs/screens/examples/', import.meta.url));
const written: string[] = [];

await mkdir(SCREENS, { recursive: true });
const chromium = await launchChromium();
try {
  for (const example of EXAMPLES) {
    const server = await startExampleDevServer(example);
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 480, height: 560 });
    const shoot = async (name: string) => {
      const file = `${example}-${name}.png`;
      await page.screenshot({
        path: `${SCREENS}${file}`,
        fullPage: true,
        animations: 'disabled',
        caret: 'hide',
      });
      written.push(`docs/screens/examples/${file}`);
    };
    const pin = (current: Page) => current.getByLabel('PIN', { exact: true });
    try {
      await page.goto(server.url);
      await page.getByRole('heading', { name: 'Log in' }).waitFor({ timeout: 30_000 });
      await page.getByText('Demo users (demo values, not secrets)').click();
      await shoot('idle');
      await page.getByText('Demo users (demo values, not secrets)').click();
      await page.getByLabel('Username').fill('bob');
      await page.getByLabel('Password').fill('bob-password');
      await page.getByLabel('Password').press('Enter');
      await pin(page).fill('0000');
      await pin(page).press('Enter');
      await page.getByText('That PIN is not right.').waitFor();
      await shoot('security-pin');
      await pin(page).fill('1234');
      await pin(page).press('Enter');
      await page.getByRole('button', { name: 'Call the API' }).click();
      await page.getByText('The API knows you as bob.').waitFor();
      await shoot('succeeded');
    } finally {
      await page.close();
      await server.close();
    }
  }
  console.log(`wrote ${written.length} screenshots:\n  ${written.join('\n  ')}`);
} finally {
  await chromium.close();
}
