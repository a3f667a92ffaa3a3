// Every model path from etna-auth/testing, driven through the demo page in Chromium: user events become
// typing and clicks, server outcomes become the fake server's answers, and each step checks the screen.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import type { EtnaAuthEvent } from '../../src/index.js';
import {
  getEtnaAuthPaths,
  MODEL_SESSION_TOKEN,
  MODEL_USER,
  type ModelExpectation,
  type ModelPath,
  measureCoverage,
} from '../../src/testing/index.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { ERROR_TITLES, openDemo, type Screen, waitForScreen } from './demo-page.js';

assertChromiumInstalled();

const MAX_STEPS = 2;
/** The `timeout` outcome is a server that never answers: only that path needs a short request timeout. */
const SHORT_TIMEOUT_MS = 1_000;
const LONG_TIMEOUT_MS = 60_000;
const paths = getEtnaAuthPaths({ maxSteps: MAX_STEPS });

type Prompt = 'idle' | 'expecting.securityPin' | 'expecting.verificationCode';
const PROMPT_HEADINGS: Record<Prompt, string> = {
  idle: 'Log in',
  'expecting.securityPin': 'Security PIN',
  'expecting.verificationCode': 'Verification code',
};
const isPrompt = (state: string): state is Prompt => state in PROMPT_HEADINGS;
/** The buttons the design offers in each state (`snapshot.can` decides on the page). */
const BUTTONS: Record<string, string[]> = {
  idle: ['Log out'],
  authenticating: ['Cancel', 'Log out'],
  'expecting.securityPin': ['Cancel', 'Log out'],
  'expecting.verificationCode': ['Cancel', 'Log out'],
  succeeded: ['Log out'],
  failed: ['Retry', 'Cancel', 'Log out'],
  error: ['Retry', 'Cancel', 'Log out'],
};
const ACTION_LABELS = { CANCEL: 'Cancel', RETRY: 'Retry', LOGOUT: 'Log out' } as const;

/**
 * What the card must show for a model expectation. `prompt` is the form the request in flight came from
 * (the busy screen keeps it); `typedUsername` what the username field holds when the machine kept none.
 */
function expectedScreen(
  expected: ModelExpectation,
  prompt: Prompt,
  typedUsername: string,
): Omit<Screen, 'fieldError' | 'errorMessage'> {
  const { state, busy, error } = expected;
  const form = isPrompt(state) ? state : state === 'authenticating' ? prompt : undefined;
  const serverError = state === 'error' && error && error.kind !== 'input' ? error : undefined;
  const details = [
    serverError?.status !== undefined ? `HTTP ${serverError.status}` : '',
    serverError?.retryAfterMs !== undefined ? `retry after ${serverError.retryAfterMs / 1000} s` : '',
  ].filter(Boolean);
  return {
    heading: form
      ? PROMPT_HEADINGS[form]
      : serverError
        ? ERROR_TITLES[serverError.kind as keyof typeof ERROR_TITLES]
        : state === 'succeeded'
          ? 'Logged in'
          : 'Login refused',
    busy,
    submitDisabled: form ? busy : null,
    status: busy
      ? 'Waiting for the server…'
      : state === 'succeeded'
        ? `Logged in as ${expected.username}.`
        : '',
    username: form === 'idle' ? (expected.username ?? typedUsername) : null,
    account: state !== 'idle' && state !== 'succeeded' && expected.username ? expected.username : null,
    reason: form && form !== 'idle' ? (expected.reason ?? null) : null,
    invalid: error?.kind === 'input' ? (error.field ?? null) : null,
    failure: state === 'failed' ? `${expected.failure?.reason} / ${expected.failure?.step}` : null,
    error: serverError
      ? [`error.kind = "${serverError.kind}"`, details.join(', ')].filter(Boolean).join(' ')
      : null,
    token: expected.hasToken
      ? `Session token: ${MODEL_SESSION_TOKEN.length} characters, held in memory (not shown).`
      : null,
    buttons: BUTTONS[state] ?? [],
  };
}

async function checkScreen(page: Page, expected: ReturnType<typeof expectedScreen>, where: string) {
  const screen = await waitForScreen(page, expected);
  expect(screen, where).toEqual(expect.objectContaining(expected));
  // The refusal's message names the field (its wording is not part of the contract).
  if (expected.invalid) expect(screen.fieldError, where).toContain(expected.invalid);
}

/** An `<input>` cannot hold a line break (the browser strips it): type U+2028 instead, which a header cannot carry either. */
const typeable = (value: string) => value.replace(/[\r\n]/g, '\u2028');

/** A user event as a person performs it on the page. */
async function perform(page: Page, event: EtnaAuthEvent): Promise<void> {
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS': {
      const form = page.getByRole('form', { name: 'Log in' });
      await form.getByLabel('Username').fill(event.username);
      await form.getByLabel('Password').fill(typeable(event.password));
      await form.getByRole('button', { name: 'Log in' }).click();
      return;
    }
    case 'SUBMIT_PIN': {
      const form = page.getByRole('form', { name: 'Security PIN' });
      await form.getByLabel('PIN', { exact: true }).fill(typeable(event.pin));
      await form.getByRole('button', { name: 'Continue' }).click();
      return;
    }
    case 'SUBMIT_VERIFICATION_CODE': {
      const form = page.getByRole('form', { name: 'Verification code' });
      await form.getByLabel('Code from the e-mail or SMS').fill(typeable(event.code));
      await form.getByRole('button', { name: 'Continue' }).click();
      return;
    }
    default:
      await page.getByRole('button', { name: ACTION_LABELS[event.type], exact: true }).click();
  }
}

describe('every model path, through the demo page in Chromium', () => {
  let demo: DemoServer;
  let chromium: LaunchedChromium;
  const passed: ModelPath[] = [];

  beforeAll(async () => {
    [demo, chromium] = await Promise.all([startDemoServer(), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([chromium?.close(), demo?.close()]);
    const coverage = measureCoverage(passed, { maxSteps: MAX_STEPS });
    const steps = passed.reduce((sum, path) => sum + path.steps.length, 0);
    console.log(
      [
        `browser: model paths run through the page: ${passed.length}/${paths.length} (${steps} steps)`,
        `browser: state nodes covered: ${coverage.covered.stateNodes.size}/${coverage.stateNodes.length}`,
        `browser: transitions covered: ${coverage.covered.transitions.size}/${coverage.transitions.length}`,
        `browser: transition-in-state and event targets covered: ${coverage.covered.targets.size}/${coverage.targets.length}`,
      ].join('\n'),
    );
  });

  it.each(paths.map((path) => [path.description, path] as const))('%s', async (_description, path) => {
    const slow = path.steps.some((step) => step.kind === 'server' && step.outcome === 'timeout');
    const {
      page,
      console: messages,
      nextTokenRequest,
    } = await openDemo(chromium.context, demo.url, {
      query: { maxSteps: MAX_STEPS, timeout: slow ? SHORT_TIMEOUT_MS : LONG_TIMEOUT_MS },
      holdTokenRequests: true,
    });
    const { etna } = demo;
    let prompt: Prompt = 'idle';
    let busy = false;
    try {
      for (const [index, step] of path.steps.entries()) {
        const where = `step ${index + 1} of ${path.description}`;
        const typedUsername =
          step.kind === 'user' && step.event.type === 'SUBMIT_CREDENTIALS' ? step.event.username : '';
        const expected = expectedScreen(step.expected, prompt, typedUsername);
        if (step.kind === 'user') {
          const sent = etna.requests.length;
          if (step.serverAnswer) etna.inject(step.serverAnswer);
          await perform(page, step.event);
          if (step.serverAnswer) {
            // The request is held in the browser while the busy screen is checked, then goes to the fake server.
            const route = await nextTokenRequest();
            await checkScreen(page, expected, where);
            await route.continue();
            await etna.waitForRequests(sent + 1);
            const request = etna.requests[sent];
            expect(request?.header('username'), where).toBe(MODEL_USER.username);
            expect(request?.header('x-demo-fault'), where).toBeUndefined();
            if (step.event.type === 'SUBMIT_PIN')
              expect(request?.header('pincode'), where).toBe(step.event.pin);
            if (step.event.type === 'SUBMIT_VERIFICATION_CODE')
              expect(request?.header('verificationcode'), where).toBe(step.event.code);
          } else {
            await checkScreen(page, expected, where);
            expect(etna.requests.length, `${where}: nothing sent`).toBe(sent);
          }
          if (busy && !step.expected.busy) {
            const ended = await etna.waitForEnd(sent - 1);
            expect(ended.aborted, `${where}: the request in flight is aborted`).toBe(true);
          }
        } else {
          await checkScreen(page, expected, where);
        }
        if (isPrompt(step.expected.state)) prompt = step.expected.state;
        busy = step.expected.busy;
      }
      expect(messages.filter((text) => text.startsWith('uncaught'))).toEqual([]);
      passed.push(path);
    } finally {
      await page.close();
    }
  });

  it('ran every path, covering every state node and transition of the machine', () => {
    expect(passed.map((path) => path.description)).toEqual(paths.map((path) => path.description));
    expect(measureCoverage(passed, { maxSteps: MAX_STEPS }).missing).toEqual([]);
  });
});
