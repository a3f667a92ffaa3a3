// The testing kit's Playwright flavour over the demo page: every model path, each against a fresh fake server the
// page reaches with `?api=`, through a driver written against the page's ids, names and data attributes (never its
// sentences). test/browser/model-paths.test.ts checks the demo's own texts and its statechart beside the card.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import {
  type BrowserModelDriver,
  getEtnaAuthPaths,
  type ModelUserEvent,
  runModelPathsInBrowser,
  type ScreenReading,
} from '../../src/testing/index.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';

assertChromiumInstalled();

/** The part of the card each state shows: its forms and panels by id, a form waiting for its answer as `waiting`. */
const SCREENS: Readonly<Record<string, string>> = {
  idle: 'login-form',
  'expecting.securityPin': 'pin-form',
  'expecting.verificationCode': 'code-form',
  'pinSetup.choosing': 'pin-setup-form',
  'passwordChange.editing': 'new-password-form',
  'passwordReset.question': 'question-form',
  'passwordReset.code': 'reset-code-form',
  'passwordReset.newPassword': 'new-password-form',
  'succeeded.active': 'succeeded-panel',
  'succeeded.endingSoon.warning': 'ending-panel relogin-form succeeded-panel',
  'succeeded.endingSoon.authenticating': 'ending-panel waiting succeeded-panel',
  'succeeded.endingSoon.securityPin': 'ending-panel pin-form succeeded-panel',
  'succeeded.endingSoon.verificationCode': 'ending-panel code-form succeeded-panel',
  loggingOut: 'succeeded-panel',
  failed: 'failed-panel',
  error: 'error-panel',
};

/** Runs in the page: the card as the kit reads it. Self-contained: Playwright sends its source to the browser. */
function readCard(): ScreenReading {
  const card = document.getElementById('card') as HTMLElement;
  const visible = (node: Element | null): node is HTMLElement =>
    node instanceof HTMLElement && node.checkVisibility();
  const usable = (node: Element | null) => visible(node) && !(node as HTMLButtonElement).disabled;
  const parts = Array.from(card.querySelectorAll('form, section')).filter(visible);
  const session = document.getElementById('succeeded-panel');
  const busy = parts.some((part) => part.getAttribute('aria-busy') === 'true');
  const forms: Record<string, string> = {
    'login-form': 'SUBMIT_CREDENTIALS',
    'relogin-form': 'SUBMIT_CREDENTIALS',
    'pin-form': 'SUBMIT_PIN',
    'code-form': 'SUBMIT_VERIFICATION_CODE',
    'pin-setup-form': 'SUBMIT_NEW_PIN',
    'new-password-form': 'SUBMIT_NEW_PASSWORD',
    'question-form': 'SUBMIT_SECRET_ANSWER',
    'reset-code-form': 'SUBMIT_RESET_CODE',
  };
  const open = parts.filter(
    (part) => part.tagName === 'FORM' && usable(part.querySelector('[type="submit"]')),
  );
  return {
    screen: parts
      .map((part) => (part !== session && part.getAttribute('aria-busy') === 'true' ? 'waiting' : part.id))
      .join(' '),
    busy,
    actions: [
      ...open.map((form) => forms[form.id] ?? form.id),
      ...(usable(document.getElementById('forgot-password')) ? ['FORGOT_PASSWORD'] : []),
      ...(usable(document.getElementById('resend-code')) ? ['RESEND_CODE'] : []),
      ...Array.from(card.querySelectorAll<HTMLElement>('#actions [data-event]'))
        .filter(usable)
        .map((button) => button.dataset.event ?? ''),
    ],
    fields: open.flatMap((form) =>
      Array.from(form.querySelectorAll('input')).flatMap((input) => (input.disabled ? [] : [input.name])),
    ),
    invalid: Array.from(card.querySelectorAll<HTMLElement>('[aria-invalid="true"]'))
      .filter(visible)
      .map((node) => node.getAttribute('name') ?? node.dataset.field ?? '?'),
    problem:
      Array.from(card.querySelectorAll('[role="alert"]'))
        .filter(visible)
        .map((alert) => alert.textContent?.trim() ?? '')
        .filter(Boolean)
        .join(' ') || undefined,
    // biome-ignore lint/performance/useDomNodeTextContent: what is shown, not the hidden forms' text
    text: card.innerText,
  };
}

/** The form a submission goes through, by the event, and the button pressed when it is not the form's submit. */
const FORM_OF: Partial<Record<ModelUserEvent['type'], string>> = {
  SUBMIT_CREDENTIALS: '#login-form:visible, #relogin-form:visible',
  FORGOT_PASSWORD: '#login-form',
  SUBMIT_PIN: '#pin-form',
  SUBMIT_VERIFICATION_CODE: '#code-form',
  SUBMIT_NEW_PIN: '#pin-setup-form',
  SUBMIT_NEW_PASSWORD: '#new-password-form',
  SUBMIT_SECRET_ANSWER: '#question-form',
  SUBMIT_RESET_CODE: '#reset-code-form',
};
const BUTTON_OF: Partial<Record<ModelUserEvent['type'], string>> = {
  FORGOT_PASSWORD: '#forgot-password',
  RESEND_CODE: '#resend-code',
};

async function submit(page: Page, event: ModelUserEvent): Promise<void> {
  const formSelector = FORM_OF[event.type];
  const form = formSelector ? page.locator(formSelector) : undefined;
  for (const [name, value] of Object.entries(event)) {
    if (name === 'type' || !form) continue;
    if (name === 'imageName') await form.locator(`input[name="imageName"][value="${value}"]`).check();
    else if (await form.locator(`input[name="${name}"]`).isEditable())
      await form.locator(`input[name="${name}"]`).fill(String(value));
  }
  // The paths keep each session ("Keep me logged in"): restored starts and other tabs rely on it.
  if (event.type === 'SUBMIT_CREDENTIALS' || event.type === 'FORGOT_PASSWORD') {
    const keep = page.locator('#keep-session');
    if (await keep.isVisible()) await keep.check();
  }
  const button = BUTTON_OF[event.type] ?? (form ? undefined : `#actions [data-event="${event.type}"]`);
  await (button
    ? page.locator(button)
    : (form as ReturnType<Page['locator']>).locator('[type="submit"]')
  ).click();
}

describe('the testing kit, Playwright flavour, over the demo page', () => {
  let demo: DemoServer;
  let chromium: LaunchedChromium;

  beforeAll(async () => {
    [demo, chromium] = await Promise.all([startDemoServer(), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([chromium?.close(), demo?.close()]);
  });

  it('runs every model path, each against its own fake server, covering the whole machine', async () => {
    const driver: BrowserModelDriver<Page> = {
      url: ({ baseUrl, timeout, maxSteps, sessionWarning, resendCooldown }) =>
        `${demo.url}?${new URLSearchParams({
          api: baseUrl,
          timeout: String(timeout),
          maxSteps: String(maxSteps),
          sessionWarning: String(sessionWarning),
          resendCooldown: String(resendCooldown),
          slidingSession: '1',
        })}`,
      screenOf: (state) => SCREENS[state] ?? 'waiting',
      read: (page) => page.evaluate(readCard),
      submit,
      callApi: (page) => page.locator('#call-api').click(),
    };
    const context = await chromium.newContext();
    try {
      const report = await runModelPathsInBrowser(driver, { context });
      console.log(`demo page, through the kit:\n${report.summary}`);
      expect(report.passed).toHaveLength(getEtnaAuthPaths().length);
      expect(report.coverage.missing).toEqual([]);
    } finally {
      await context.close();
    }
  }, 600_000);
});
