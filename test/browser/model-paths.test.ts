// Every model path from etna-auth/testing, driven through the demo page in Chromium: user events become
// typing and clicks, server outcomes become the fake server's answers, a session's end becomes the page's
// clock running out or its "Call the API" button meeting a 401, and each step checks the screen.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import type { EtnaSessionEndReason } from '../../src/index.js';
import type { ModelUserEvent } from '../../src/testing/index.js';
import {
  getEtnaAuthPaths,
  injectServerAnswer,
  MODEL_SESSION_TOKEN,
  MODEL_USER,
  type ModelExpectation,
  type ModelPath,
  type ModelStep,
  measureCoverage,
  modelStoredSession,
} from '../../src/testing/index.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import {
  type DemoPage,
  ERROR_TITLES,
  FAILURE_GUIDANCE,
  openDemo,
  PERSIST_INFO,
  RESTORED_WHO,
  type Screen,
  SESSION_ENDED,
  screenNow,
  storedSession,
  tokenLine,
  waitForScreen,
} from './demo-page.js';

assertChromiumInstalled();

const MAX_STEPS = 2;
/** The `timeout` outcome is a server that never answers: only that path needs a short request timeout. */
const SHORT_TIMEOUT_MS = 1_000;
const LONG_TIMEOUT_MS = 60_000;
/** A restored path's stored session ends an hour after the page opens; a login's, after the default 24 h. */
const STORED_SESSION_MS = 3_600_000;
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
  idle: [],
  authenticating: ['Cancel'],
  'expecting.securityPin': ['Cancel'],
  'expecting.verificationCode': ['Cancel'],
  succeeded: ['Log out'],
  loggingOut: ['Log out'],
  failed: ['Retry'],
  error: ['Retry', 'Cancel'],
};
const ACTION_LABELS = { CANCEL: 'Cancel', RETRY: 'Retry', LOGOUT: 'Log out' } as const;
/** The form each submission comes from: its accessible name and its submit button. */
const FORMS = {
  SUBMIT_CREDENTIALS: { name: 'Log in', submit: 'Log in' },
  SUBMIT_PIN: { name: 'Security PIN', submit: 'Continue' },
  SUBMIT_VERIFICATION_CODE: { name: 'Verification code', submit: 'Continue' },
} as const;

type ExpectedScreen = Omit<Screen, 'fieldError' | 'errorMessage'>;

/** Where the session shown comes from: the stored one the page restored, or a login on the page. */
type SessionSource = 'stored' | 'login';

/**
 * What the card must show for a model expectation. `prompt` is the form the request in flight came from
 * (the busy screen keeps it); `typedUsername` what the username field holds when the machine kept none.
 */
function expectedScreen(
  expected: ModelExpectation,
  prompt: Prompt,
  typedUsername: string,
  session: SessionSource,
): ExpectedScreen {
  const { state, busy, error } = expected;
  const form = isPrompt(state) ? state : state === 'authenticating' ? prompt : undefined;
  const serverError = state === 'error' && error && error.kind !== 'input' ? error : undefined;
  const details = [
    serverError?.status !== undefined ? `HTTP ${serverError.status}` : '',
    serverError?.retryAfterMs !== undefined ? `retry after ${serverError.retryAfterMs / 1000} s` : '',
  ].filter(Boolean);
  const succeeded = state === 'succeeded';
  const ended = state === 'idle' ? (expected.reason as EtnaSessionEndReason | undefined) : undefined;
  return {
    heading: form
      ? PROMPT_HEADINGS[form]
      : serverError
        ? ERROR_TITLES[serverError.kind as keyof typeof ERROR_TITLES]
        : succeeded
          ? 'Logged in'
          : state === 'loggingOut'
            ? 'Logging out'
            : 'Login refused',
    busy,
    submitDisabled: form ? busy : null,
    status:
      state === 'loggingOut'
        ? 'Logging out…'
        : busy
          ? 'Waiting for the server…'
          : succeeded
            ? expected.username
              ? `Logged in as ${expected.username}.`
              : 'Logged in (session restored).'
            : '',
    username: form === 'idle' ? (expected.username ?? typedUsername) : null,
    account: ['authenticating', 'expecting', 'failed', 'error'].includes(state.split('.')[0] as string)
      ? (expected.username ?? null)
      : null,
    reason: form && form !== 'idle' ? (expected.reason ?? null) : null,
    invalid: error?.kind === 'input' ? (error.field ?? null) : null,
    failure: state === 'failed' ? `${expected.failure?.reason} / ${expected.failure?.step}` : null,
    advice: state === 'failed' && expected.failure ? FAILURE_GUIDANCE[expected.failure.code] : null,
    error: serverError
      ? [`error.kind = "${serverError.kind}"`, details.join(', ')].filter(Boolean).join(' ')
      : null,
    ended: ended ? SESSION_ENDED[ended] : null,
    who: succeeded ? (expected.username ? `Account ${expected.username}` : RESTORED_WHO) : null,
    endsInHours: succeeded ? (session === 'stored' ? STORED_SESSION_MS / 3_600_000 : 24) : null,
    token: expected.hasToken ? tokenLine(MODEL_SESSION_TOKEN.length) : null,
    // The paths run with "Keep me logged in in this tab" ticked: every session is kept.
    persist: succeeded ? PERSIST_INFO.kept : null,
    callApi: succeeded,
    // A refused app key is not offered for RETRY: retrying would send the same key.
    buttons: state === 'error' && expected.error?.kind === 'appKey' ? ['Cancel'] : (BUTTONS[state] ?? []),
  };
}

/** Checks the screen, then that the tab keeps a session (the model's) exactly while the machine is logged in. */
async function checkScreen(page: Page, expected: ExpectedScreen, state: string, where: string) {
  const screen = await waitForScreen(page, expected);
  expect(screen, where).toEqual(expect.objectContaining(expected));
  // The refusal's message names the field (its wording is not part of the contract).
  if (expected.invalid) expect(screen.fieldError, where).toContain(expected.invalid);
  const stored = await storedSession(page);
  expect(stored !== null, `${where}: a session is kept in the tab only while logged in`).toBe(
    state === 'succeeded',
  );
  if (stored !== null) expect(JSON.parse(stored).token === MODEL_SESSION_TOKEN, where).toBe(true);
  await checkDiagram(page, state, where);
}

/**
 * Checks the statechart diagram beside the card: the state (and its ancestors) marked current, and the last
 * transition's arrow marked as leading there (or staying there, for a refused input).
 */
async function checkDiagram(page: Page, state: string, where: string) {
  await page
    .waitForSelector(`#chart[data-current="${state}"]`)
    .catch(async () =>
      expect.fail(
        `${where}: the diagram marks ${await page.locator('#chart').getAttribute('data-current')}, not ${state}`,
      ),
    );
  const marked = await page.evaluate(() => ({
    active: Array.from(document.querySelectorAll<SVGGElement>('#chart [data-state].active')).map(
      (box) => box.dataset.state,
    ),
    taken: Array.from(document.querySelectorAll<SVGGElement>('#chart [data-edge].taken')).map(
      (arrow) => arrow.dataset.target ?? '',
    ),
  }));
  const ancestors = state.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'));
  expect(marked.active, `${where}: the diagram's current state nodes`).toEqual(ancestors);
  if (marked.taken.length > 0) {
    expect(
      marked.taken.some((target) => state === target || state.startsWith(`${target}.`)),
      `${where}: the last transition marked (${marked.taken.join(', ')}) leads to ${state}`,
    ).toBe(true);
  }
}

/** The fields of a submission, by their labels on the page. */
function fieldsOf(event: ModelUserEvent): [label: string, value: string][] {
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS':
      return [
        ['Username', event.username],
        ['Password', event.password],
      ];
    case 'SUBMIT_PIN':
      return [['PIN', event.pin]];
    case 'SUBMIT_VERIFICATION_CODE':
      return [['Code from the e-mail or SMS', event.code]];
    default:
      return [];
  }
}

/** A user event as a person performs it on the page. */
async function perform(page: Page, event: ModelUserEvent, where: string): Promise<void> {
  if (!(event.type in FORMS)) {
    const label = ACTION_LABELS[event.type as keyof typeof ACTION_LABELS];
    await page.getByRole('button', { name: label, exact: true }).click();
    return;
  }
  const { name, submit } = FORMS[event.type as keyof typeof FORMS];
  const form = page.getByRole('form', { name });
  // A person can only use a form the screen shows: a path asking for another one fails here, by name.
  expect(await form.isVisible(), `${where}: the "${name}" form is shown`).toBe(true);
  for (const [label, value] of fieldsOf(event)) await form.getByLabel(label, { exact: true }).fill(value);
  // The paths run with the session kept in the tab (restored starts find one stored there).
  if (event.type === 'SUBMIT_CREDENTIALS') await form.getByLabel('Keep me logged in in this tab').check();
  await form.getByRole('button', { name: submit, exact: true }).click();
}

/** Checks the request a user step sent to the fake server. */
function checkRequest(
  demo: DemoServer,
  step: Extract<ModelStep, { kind: 'user' }>,
  sent: number,
  where: string,
) {
  const request = demo.etna.requests[sent];
  expect(request?.header('x-demo-fault'), where).toBeUndefined();
  expect(request?.header('et-app-key'), where).toBe(demo.etna.appKey);
  if (step.serverAnswer?.endpoint === 'logout') {
    expect(`${request?.method} ${request?.path}`, where).toBe('POST /api/logout');
    expect(request?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
    return;
  }
  expect(`${request?.method} ${request?.path}`, where).toBe('POST /api/token');
  expect(request?.header('username'), where).toBe(MODEL_USER.username);
  if (step.event.type === 'SUBMIT_PIN') expect(request?.header('pincode'), where).toBe(step.event.pin);
  if (step.event.type === 'SUBMIT_VERIFICATION_CODE')
    expect(request?.header('verificationcode'), where).toBe(step.event.code);
}

describe('every model path, through the demo page in Chromium', () => {
  let demo: DemoServer;
  let chromium: LaunchedChromium;
  /** One tab for the paths, loaded again for each: a new page per path costs more than the path. */
  let tab: DemoPage;
  const passed: ModelPath[] = [];

  beforeAll(async () => {
    [demo, chromium] = await Promise.all([startDemoServer(), launchChromium()]);
    tab = await openDemo(chromium.context, demo.url, { holdRequests: true });
  }, 60_000);

  // A test that stopped early must not leave its scripted answers to the next one.
  afterEach(() => demo?.etna.clearFaults());

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
    const expires = path.steps.some((step) => step.kind === 'session' && step.end === 'expired');
    const { etna } = demo;
    const query = { maxSteps: MAX_STEPS, timeout: slow ? SHORT_TIMEOUT_MS : LONG_TIMEOUT_MS };
    // Seeded before the page loads, as `persist` would have left it: the page restores it at start.
    const seeded = path.start === 'restored' ? modelStoredSession(Date.now() + STORED_SESSION_MS) : undefined;
    // The page's clock is Playwright's fake one, which a context's pages share: a context and tab of its own.
    let clockContext: BrowserContext | undefined;
    let opened = tab;
    if (expires) {
      clockContext = await chromium.newContext();
      await clockContext.clock.install();
      opened = await openDemo(clockContext, demo.url, { query, holdRequests: true, storedSession: seeded });
    } else {
      await tab.restart({ query, storedSession: seeded });
    }
    const { page, console: messages, nextHeldRequest } = opened;
    let prompt: Prompt = 'idle';
    let busy = false;
    let session: SessionSource = 'stored';
    try {
      await checkScreen(
        page,
        expectedScreen(path.initial, prompt, '', session),
        path.initial.state,
        'the start',
      );
      for (const [index, step] of path.steps.entries()) {
        const where = `step ${index + 1} of ${path.description}`;
        const typedUsername =
          step.kind === 'user' && step.event.type === 'SUBMIT_CREDENTIALS' ? step.event.username : '';
        if (step.expected.state === 'authenticating') session = 'login';
        const expected = expectedScreen(step.expected, prompt, typedUsername, session);
        if (step.kind === 'user') {
          const sent = etna.requests.length;
          injectServerAnswer(etna, step);
          await perform(page, step.event, where);
          if (step.serverAnswer) {
            // The request is held in the browser while the busy screen is checked, then goes to the fake server.
            const route = await nextHeldRequest();
            expect(new URL(route.request().url()).pathname, where).toBe(`/api/${step.serverAnswer.endpoint}`);
            await checkScreen(page, expected, step.expected.state, where);
            await route.continue();
            await etna.waitForRequests(sent + 1);
            checkRequest(demo, step, sent, where);
          } else {
            await checkScreen(page, expected, step.expected.state, where);
            expect(etna.requests.length, `${where}: nothing sent`).toBe(sent);
          }
          if (busy && !step.expected.busy) {
            const ended = await etna.waitForEnd(sent - 1);
            expect(ended.aborted, `${where}: the request in flight is aborted`).toBe(true);
          }
        } else if (step.kind === 'server') {
          await checkScreen(page, expected, step.expected.state, where);
        } else if (step.end === 'expired') {
          // The laptop lid closes until a second before the end the panel shows, then for two more seconds.
          const left = await page.evaluate(
            () =>
              Date.parse((document.getElementById('session-ends') as HTMLTimeElement).dateTime) - Date.now(),
          );
          // The stored session's own end, not a fresh 24 h one.
          expect(left, where).toBeGreaterThan(STORED_SESSION_MS - 60_000);
          expect(left, where).toBeLessThanOrEqual(STORED_SESSION_MS);
          await page.clock.fastForward(left - 1_000);
          expect((await screenNow(page)).heading, `${where}: not a second early`).toBe('Logged in');
          await page.clock.fastForward(2_000);
          await checkScreen(page, expected, step.expected.state, where);
        } else {
          const sent = etna.requests.length;
          await page.getByRole('button', { name: 'Call the API' }).click();
          await checkScreen(page, expected, step.expected.state, where);
          const request = await etna.waitForEnd(sent);
          expect(`${request.method} ${request.path} → ${request.outcome}`, where).toBe(
            'GET /api/v1.0/users/@me/info → 401',
          );
          expect(request.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
          expect(request.header('et-app-key'), where).toBe(etna.appKey);
        }
        if (isPrompt(step.expected.state)) prompt = step.expected.state;
        busy = step.expected.busy;
      }
      expect(messages.filter((text) => text.startsWith('uncaught'))).toEqual([]);
      passed.push(path);
    } finally {
      await clockContext?.close();
    }
  });

  it('ran every path, covering every state node and transition of the machine', () => {
    expect(passed.map((path) => path.description)).toEqual(paths.map((path) => path.description));
    expect(measureCoverage(passed, { maxSteps: MAX_STEPS }).missing).toEqual([]);
  });
});
