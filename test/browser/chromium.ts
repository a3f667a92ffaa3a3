// Launches Debian's Chromium (/usr/bin/chromium) headless with playwright-core: no browser download.
import { existsSync } from 'node:fs';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface LaunchedChromium {
  /** One browser context (a fresh profile); open a page per test with `context.newPage()`. */
  readonly context: BrowserContext;
  /**
   * Another context of the same browser, sharing nothing with `context`: for tests that change
   * context-wide settings, such as `context.clock`, which every page of a context shares. Close it after use.
   */
  newContext(): Promise<BrowserContext>;
  /** Closes the browser, its contexts and their temporary profiles. */
  close(): Promise<void>;
}

/** Fails with how to install Chromium when it is missing, instead of a cryptic launch error. */
export function assertChromiumInstalled(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests drive Debian's Chromium at ${CHROMIUM_PATH}, which is not installed. ` +
        'Install it with: sudo apt-get update && sudo apt-get install -y chromium ' +
        '(.ci/run does this on CI). playwright-core never downloads a browser.',
    );
  }
}

export async function launchChromium(): Promise<LaunchedChromium> {
  assertChromiumInstalled();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const newContext = async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      deviceScaleFactor: 1,
    });
    // Long enough for a shared 2-core machine under load: a wait ends as soon as its condition holds.
    context.setDefaultTimeout(15_000);
    return context;
  };
  try {
    const context = await newContext();
    return { context, newContext, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
