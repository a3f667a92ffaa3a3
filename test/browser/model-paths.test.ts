// Every model path from etna-auth/testing, driven through the demo page in Chromium: user events become
// typing and clicks, server outcomes become the fake server's answers (each request held in the browser while
// the busy screen is checked, then checked where it arrives), the machine's waits and a session's end become
// the page's clock running on, a revocation becomes its "Call the API" button meeting a 401, and each step
// checks the screen.
import type { Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import {
  DEFAULT_RESEND_COOLDOWN_MS,
  type EtnaSessionEndReason,
  type SecurityImage,
} from '../../src/index.js';
import {
  FAKE_ETNA_ROUTES,
  getEtnaAuthPaths,
  injectServerAnswer,
  MODEL_INTERIM_TOKENS,
  MODEL_OUTCOMES,
  MODEL_SESSION_TOKEN,
  MODEL_USER,
  type ModelExpectation,
  type ModelPath,
  type ModelStep,
  type ModelUserEvent,
  measureCoverage,
  modelStoredSession,
  type RecordedRequest,
} from '../../src/testing/index.js';
import {
  MODEL_BUSY_ENDPOINTS,
  MODEL_PASSWORD_CHANGE_TOKEN,
  MODEL_PIN_SETUP_TOKENS,
  MODEL_RESET_TOKEN,
  MODEL_SECURITY_IMAGES,
  type ModelEndpoint,
} from '../../src/testing/model-events.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import {
  BUSY_STATUS,
  type DemoPage,
  ERROR_TITLES,
  type ExpectedScreen,
  FAILURE_GUIDANCE,
  openDemo,
  PERSIST_INFO,
  RESTORED_WHO,
  SESSION_ENDED,
  screenNow,
  storedSession,
  tokenLine,
  waitForScreen,
} from './demo-page.js';

assertChromiumInstalled();

const MAX_STEPS = 2;
/** The `timeout` outcomes are a server that never answers: only those paths need a short request timeout. */
const SHORT_TIMEOUT_MS = 1_000;
const LONG_TIMEOUT_MS = 60_000;
/** A restored path's stored session ends an hour after the page opens; a login's, after the default 24 h. */
const STORED_SESSION_MS = 3_600_000;
/** The rate-limit outcomes answer `Retry-After: 2`. */
const RATE_LIMIT_WAIT_MS = 2_000;
const paths = getEtnaAuthPaths({ maxSteps: MAX_STEPS });

type Prompt =
  | 'idle'
  | 'expecting.securityPin'
  | 'expecting.verificationCode'
  | 'pinSetup.choosing'
  | 'passwordChange.editing'
  | 'passwordReset.question'
  | 'passwordReset.code'
  | 'passwordReset.newPassword';
/** Each prompt's form, by its accessible name: its heading. */
const PROMPT_HEADINGS: Record<Prompt, string> = {
  idle: 'Log in',
  'expecting.securityPin': 'Security PIN',
  'expecting.verificationCode': 'Verification code',
  'pinSetup.choosing': 'Set up your security PIN',
  'passwordChange.editing': 'Your password has expired',
  'passwordReset.question': 'Secret question',
  'passwordReset.code': 'Reset code',
  'passwordReset.newPassword': 'Choose a new password',
};
const isPrompt = (state: string): state is Prompt => state in PROMPT_HEADINGS;
/** The prompts of the journey beside `/token`: their forms show the server's Errors. */
const JOURNEY_PROMPTS: ReadonlySet<string> = new Set([
  'pinSetup.choosing',
  'passwordChange.editing',
  'passwordReset.question',
  'passwordReset.code',
  'passwordReset.newPassword',
]);
/** The PIN and code prompts' line when the server gave no Reason. */
const DEFAULT_REASONS: Partial<Record<Prompt, string>> = {
  'expecting.securityPin': 'Enter your security PIN.',
  'expecting.verificationCode': 'Enter the code you received.',
};
/** The states that offer no Cancel: nothing is under way there (or, logged in, Log out ends it). */
const NOT_CANCELLABLE: ReadonlySet<string> = new Set(['idle', 'succeeded', 'loggingOut', 'failed']);
const ACTION_LABELS = { CANCEL: 'Cancel', RETRY: 'Retry', LOGOUT: 'Log out' } as const;

/** The pictures' `data:` URLs by file name, as the machine holds them from the model's answers. */
const PICTURES = new Map<string, string>([
  ...MODEL_SECURITY_IMAGES.map((image) => [image.fileName, image.dataUrl] as const),
  ...MODEL_OUTCOMES.flatMap((outcome) => {
    const image = (outcome.event as { output?: { securityImage?: SecurityImage } }).output?.securityImage;
    return image ? [[image.fileName, image.dataUrl] as const] : [];
  }),
]);
const pictureOf = (fileName: string) => PICTURES.get(fileName) ?? `no picture named ${fileName}`;

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
  const form = isPrompt(state) ? state : busy && state !== 'loggingOut' ? prompt : undefined;
  const serverError = state === 'error' && error && error.kind !== 'input' ? error : undefined;
  // A request that failed without leaving its prompt (a resend): the code form says so, the code still works.
  const formProblem =
    form === 'expecting.verificationCode' && state !== 'error' && error && error.kind !== 'input'
      ? error
      : undefined;
  const details = [
    serverError?.status !== undefined ? `HTTP ${serverError.status}` : '',
    serverError?.retryAfterMs !== undefined ? `retry after ${serverError.retryAfterMs / 1000} s` : '',
  ].filter(Boolean);
  const succeeded = state === 'succeeded';
  const ended = state === 'idle' ? (expected.reason as EtnaSessionEndReason | undefined) : undefined;
  const pin = form === 'expecting.securityPin';
  const images =
    form === 'pinSetup.choosing' && expected.securityImages?.length ? expected.securityImages : undefined;
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
    status: busy
      ? (BUSY_STATUS[state] ?? `no status line for ${state}`)
      : succeeded
        ? expected.username
          ? `Logged in as ${expected.username}.`
          : 'Logged in (session restored).'
        : '',
    username: form === 'idle' ? (expected.username ?? typedUsername) : null,
    account: ['idle', 'succeeded', 'loggingOut'].includes(state) ? null : (expected.username ?? null),
    reason: form && form in DEFAULT_REASONS ? (expected.reason ?? DEFAULT_REASONS[form] ?? null) : null,
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
    // Retry exactly where `snapshot.can` takes it: not for a refused app key, nor during a 429's wait.
    buttons: [
      expected.canRetry ? 'Retry' : undefined,
      NOT_CANCELLABLE.has(state) ? undefined : 'Cancel',
      succeeded || state === 'loggingOut' ? 'Log out' : undefined,
    ].filter((label): label is string => label !== undefined),
    forgotPassword: state === 'idle',
    phrase: pin ? (expected.personalPhrase ?? null) : null,
    securityImage: pin && expected.securityImage ? pictureOf(expected.securityImage) : null,
    imageChoices: images ? [...images] : null,
    imageSources: images ? images.map(pictureOf) : null,
    secretQuestion: form === 'passwordReset.question' ? (expected.secretQuestion ?? null) : null,
    serverErrors:
      form && JOURNEY_PROMPTS.has(form) && expected.serverErrors?.length ? [...expected.serverErrors] : null,
    codeResent: form === 'expecting.verificationCode' && expected.codeResent,
    resend: expected.canResend,
    resendWait: state === 'expecting.verificationCode' && !expected.canResend,
    retryWait: state === 'error' && error?.kind === 'rateLimited' && !expected.canRetry,
    formError: formProblem ? `${ERROR_TITLES[formProblem.kind as keyof typeof ERROR_TITLES]}.` : null,
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

/** A user event as a person performs it on the page, on the form of `prompt` for a submission. */
async function perform(page: Page, event: ModelUserEvent, prompt: Prompt, where: string): Promise<void> {
  if (event.type in ACTION_LABELS) {
    const label = ACTION_LABELS[event.type as keyof typeof ACTION_LABELS];
    await page.getByRole('button', { name: label, exact: true }).click();
    return;
  }
  const formOf = (name: string) => page.getByRole('form', { name, exact: true });
  const fill = async (form: ReturnType<typeof formOf>, fields: [label: string, value: string][]) => {
    // A person can only use a form the screen shows: a path asking for another one fails here, by name.
    expect(await form.isVisible(), `${where}: the form for ${event.type} is shown`).toBe(true);
    for (const [label, value] of fields) await form.getByLabel(label, { exact: true }).fill(value);
  };
  const submit = (form: ReturnType<typeof formOf>, name: string) =>
    form.getByRole('button', { name, exact: true }).click();
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS':
    case 'FORGOT_PASSWORD': {
      const form = formOf('Log in');
      await fill(form, [['Username', event.username]]);
      if (event.type === 'SUBMIT_CREDENTIALS')
        await form.getByLabel('Password', { exact: true }).fill(event.password);
      // The paths run with the session kept in the tab (restored starts find one stored there).
      await form.getByLabel('Keep me logged in in this tab').check();
      await submit(form, event.type === 'SUBMIT_CREDENTIALS' ? 'Log in' : 'Forgot password?');
      return;
    }
    case 'SUBMIT_PIN': {
      const form = formOf('Security PIN');
      await fill(form, [['PIN', event.pin]]);
      return submit(form, 'Continue');
    }
    case 'SUBMIT_VERIFICATION_CODE': {
      const form = formOf('Verification code');
      await fill(form, [['Code from the e-mail or SMS', event.code]]);
      return submit(form, 'Continue');
    }
    case 'RESEND_CODE': {
      const form = formOf('Verification code');
      await fill(form, []);
      return submit(form, 'Send a new code');
    }
    case 'SUBMIT_NEW_PIN': {
      const form = formOf('Set up your security PIN');
      await fill(form, [
        ['New PIN', event.pin],
        ['Personal phrase', event.personalPhrase],
      ]);
      await form
        .getByRole('radiogroup', { name: 'Security picture' })
        .getByRole('radio', { name: event.imageName, exact: true })
        .check();
      return submit(form, 'Save PIN');
    }
    case 'SUBMIT_NEW_PASSWORD': {
      const form = formOf(PROMPT_HEADINGS[prompt]);
      await fill(form, [
        ['New password', event.password],
        ['Confirm the new password', event.confirmation],
      ]);
      return submit(form, 'Save password');
    }
    case 'SUBMIT_SECRET_ANSWER': {
      const form = formOf('Secret question');
      await fill(form, [['Answer', event.answer]]);
      return submit(form, 'Continue');
    }
    case 'SUBMIT_RESET_CODE': {
      const form = formOf('Reset code');
      await fill(form, [['Code from the reset e-mail', event.code]]);
      return submit(form, 'Continue');
    }
  }
}

/** What the path sent so far, which the next request must carry. */
interface Sent {
  /** The password of a first-step `/token` post: the model's, or the new one once the server saved it. */
  password: string;
  /** The interim token of the latest 202. */
  interim: string | undefined;
  /** The latest valid submissions of the journey's forms. */
  newPin: Extract<ModelUserEvent, { type: 'SUBMIT_NEW_PIN' }> | undefined;
  newPassword: Extract<ModelUserEvent, { type: 'SUBMIT_NEW_PASSWORD' }> | undefined;
  answer: string | undefined;
  resetCode: string | undefined;
}

/** The body of a request, once it has arrived (a request the server never answers is read all the same). */
async function bodyOf(request: RecordedRequest): Promise<unknown> {
  await expect.poll(() => request.json() !== undefined).toBe(true);
  return request.json();
}

/**
 * Checks a request of the login as the fake server received it: the route of `endpoint`, the app key, and the
 * credentials, token and body that the busy `state` sends, started by `trigger` (a user event) or by the
 * machine itself (undefined).
 */
async function checkRequest(
  demo: DemoServer,
  route: Route,
  request: RecordedRequest | undefined,
  endpoint: ModelEndpoint,
  state: string,
  trigger: ModelUserEvent | undefined,
  sent: Sent,
  where: string,
): Promise<void> {
  const { method, path } = FAKE_ETNA_ROUTES[endpoint];
  expect(`${request?.method} ${request?.path}`, where).toBe(`${method} /api/${path}`);
  expect(request?.header('x-demo-fault'), where).toBeUndefined();
  expect(request?.header('et-app-key'), where).toBe(demo.etna.appKey);
  if (!request) return;
  const authorization = request.header('authorization');
  switch (endpoint) {
    case 'logout':
      expect(authorization, where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
      return;
    case 'token': {
      expect(request.header('username'), where).toBe(MODEL_USER.username);
      expect(request.header('password'), where).toBe(sent.password);
      // A PIN or code answers the pending step; anything else (a login, a resend, the login after a journey)
      // is a first step again.
      const pin = trigger?.type === 'SUBMIT_PIN' ? trigger.pin : undefined;
      const code = trigger?.type === 'SUBMIT_VERIFICATION_CODE' ? trigger.code : undefined;
      expect(request.header('pincode'), where).toBe(pin);
      expect(request.header('verificationcode'), where).toBe(code);
      expect(authorization, where).toBe(pin || code ? `Bearer ${sent.interim}` : undefined);
      return;
    }
    case 'securityImages':
      expect(authorization, where).toBe(`Bearer ${MODEL_PIN_SETUP_TOKENS.token}`);
      return;
    case 'pinChange':
      expect(authorization, where).toBe(`Bearer ${MODEL_PIN_SETUP_TOKENS.token}`);
      expect(await bodyOf(request), where).toEqual({
        Token: MODEL_PIN_SETUP_TOKENS.confirmation,
        Pin: Number(sent.newPin?.pin),
        ImageName: sent.newPin?.imageName,
        PersonalPhrase: sent.newPin?.personalPhrase,
      });
      return;
    case 'passwordChange':
      expect(authorization, where).toBeUndefined();
      expect(await bodyOf(request), where).toEqual({
        Token: state === 'passwordChange.saving' ? MODEL_PASSWORD_CHANGE_TOKEN : MODEL_RESET_TOKEN,
        Password: sent.newPassword?.password,
        PasswordConfirmation: sent.newPassword?.confirmation,
      });
      return;
    case 'secretQuestion':
      expect(authorization, where).toBeUndefined();
      // The fake server records the path; the page asked with the username in the query.
      expect(new URL(route.request().url()).searchParams.get('username'), where).toBe(MODEL_USER.username);
      return;
    case 'resetRequest':
      expect(await bodyOf(request), where).toEqual({
        User: MODEL_USER.username,
        ...(sent.answer === undefined ? {} : { SecretQuestionAnswer: sent.answer }),
      });
      return;
    case 'resetCode':
      expect(await bodyOf(request), where).toEqual({ Code: sent.resetCode });
      return;
  }
}

/** Remembers what a valid user event sends, for the requests that carry it (now or on a RETRY). */
function remember(sent: Sent, event: ModelUserEvent): void {
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS':
    case 'FORGOT_PASSWORD':
      sent.password = MODEL_USER.password;
      sent.answer = undefined;
      return;
    case 'SUBMIT_NEW_PIN':
      sent.newPin = event;
      return;
    case 'SUBMIT_NEW_PASSWORD':
      sent.newPassword = event;
      return;
    case 'SUBMIT_SECRET_ANSWER':
      sent.answer = event.answer;
      return;
    case 'SUBMIT_RESET_CODE':
      sent.resetCode = event.code;
      return;
    default:
      return;
  }
}

/**
 * Every secret and personal value a path may type or receive: none reaches the event log, nor the tab's storage
 * (which keeps only the session token, and only when asked).
 */
const NEVER_KEPT = [
  MODEL_USER.password,
  MODEL_USER.newPassword,
  MODEL_USER.personalPhrase,
  MODEL_USER.secretAnswer,
  MODEL_USER.resetCode,
  MODEL_USER.newPin,
  MODEL_INTERIM_TOKENS.securityPin,
  MODEL_INTERIM_TOKENS.verificationCode,
  MODEL_PIN_SETUP_TOKENS.token,
  MODEL_RESET_TOKEN,
  'base64,',
];

describe('every model path, through the demo page in Chromium', () => {
  let demo: DemoServer;
  let chromium: LaunchedChromium;
  /** One tab for the paths, loaded again for each: a new page per path costs more than the path. */
  let tab: DemoPage;
  /** Whether a step ran the page's clock ahead of this process's, since it was last set back. */
  let clockAhead = false;
  const passed: ModelPath[] = [];

  beforeAll(async () => {
    [demo, chromium] = await Promise.all([startDemoServer(), launchChromium()]);
    // Playwright's clock, running at the real pace until a step moves it on (a wait, a session's end).
    await chromium.context.clock.install();
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
    const slow = path.steps.some((step) => step.kind === 'server' && step.outcome.endsWith('timeout'));
    const { etna } = demo;
    const query = { maxSteps: MAX_STEPS, timeout: slow ? SHORT_TIMEOUT_MS : LONG_TIMEOUT_MS };
    // The page's clock back in step with this one, which dates the stored session.
    if (clockAhead) await chromium.context.clock.setSystemTime(Date.now());
    clockAhead = false;
    // Seeded before the page loads, as `persist` would have left it: the page restores it at start.
    const seeded = path.start === 'restored' ? modelStoredSession(Date.now() + STORED_SESSION_MS) : undefined;
    await tab.restart({ query, storedSession: seeded });
    const { page, console: messages, nextHeldRequest } = tab;
    let prompt: Prompt = 'idle';
    let session: SessionSource = 'stored';
    /** The index (in the fake server's record) of the request in flight while the page is busy. */
    let inFlight: number | undefined;
    const sent: Sent = {
      password: MODEL_USER.password,
      interim: undefined,
      newPin: undefined,
      newPassword: undefined,
      answer: undefined,
      resetCode: undefined,
    };

    /**
     * The request a busy state sends: held in the browser while its busy screen is checked, then let go to the
     * fake server, where it is checked; it stays in flight.
     */
    const release = async (
      step: ModelStep,
      expected: ExpectedScreen,
      trigger: ModelUserEvent | undefined,
      where: string,
    ) => {
      const { state } = step.expected;
      const endpoint = MODEL_BUSY_ENDPOINTS[state];
      if (!endpoint) throw new Error(`${where}: no request for the busy state ${state}`);
      const before = etna.requests.length;
      const route = await nextHeldRequest();
      expect(new URL(route.request().url()).pathname, where).toBe(`/api/${FAKE_ETNA_ROUTES[endpoint].path}`);
      await checkScreen(page, expected, state, where);
      await route.continue();
      await etna.waitForRequests(before + 1);
      await checkRequest(demo, route, etna.requests[before], endpoint, state, trigger, sent, where);
      inFlight = before;
    };

    await checkScreen(
      page,
      expectedScreen(path.initial, prompt, '', session),
      path.initial.state,
      'the start',
    );
    for (const [index, step] of path.steps.entries()) {
      const where = `step ${index + 1} of ${path.description}`;
      const typedUsername =
        step.kind === 'user' &&
        (step.event.type === 'SUBMIT_CREDENTIALS' || step.event.type === 'FORGOT_PASSWORD')
          ? step.event.username
          : '';
      if (step.expected.state === 'authenticating') session = 'login';
      const expected = expectedScreen(step.expected, prompt, typedUsername, session);
      const requestsBefore = etna.requests.length;
      if (step.kind === 'user') {
        const wasInFlight = inFlight;
        injectServerAnswer(etna, step);
        if (step.serverAnswer) remember(sent, step.event);
        await perform(page, step.event, prompt, where);
        if (step.serverAnswer) {
          await release(step, expected, step.event, where);
        } else {
          await checkScreen(page, expected, step.expected.state, where);
          expect(etna.requests.length, `${where}: nothing sent`).toBe(requestsBefore);
          if (!step.expected.busy) inFlight = undefined;
        }
        if (wasInFlight !== undefined && !step.expected.busy) {
          const ended = await etna.waitForEnd(wasInFlight);
          expect(ended.aborted, `${where}: the request in flight is aborted`).toBe(true);
        }
      } else if (step.kind === 'server') {
        if (step.outcome === 'expecting securityPin') sent.interim = MODEL_INTERIM_TOKENS.securityPin;
        if (step.outcome === 'expecting verificationCode')
          sent.interim = MODEL_INTERIM_TOKENS.verificationCode;
        // The login after a password change or reset carries the new password.
        if (step.outcome === 'password saved') sent.password = sent.newPassword?.password ?? '';
        // An answer that lands in a busy state: the machine sent the next request by itself.
        if (step.expected.busy) await release(step, expected, undefined, where);
        else {
          await checkScreen(page, expected, step.expected.state, where);
          inFlight = undefined;
        }
      } else if (step.kind === 'wait') {
        // The machine's own timer ends the wait: the clock runs to just before the time the page shows, where
        // the button is still missing, then past it.
        const retry = step.until === 'retry';
        const left = await page.evaluate(
          (id) => Date.parse((document.getElementById(id) as HTMLTimeElement).dateTime) - Date.now(),
          retry ? 'retry-at' : 'resend-at',
        );
        expect(left, where).toBeGreaterThan(0);
        expect(left, where).toBeLessThanOrEqual(retry ? RATE_LIMIT_WAIT_MS : DEFAULT_RESEND_COOLDOWN_MS);
        clockAhead = true;
        if (left > 300) {
          await page.clock.fastForward(left - 300);
          const early = await screenNow(page);
          expect(retry ? early.buttons.includes('Retry') : early.resend, `${where}: not a moment early`).toBe(
            false,
          );
        }
        await page.clock.fastForward(600);
        await checkScreen(page, expected, step.expected.state, where);
        expect(etna.requests.length, `${where}: the wait sends nothing`).toBe(requestsBefore);
      } else if (step.end === 'expired') {
        // The laptop lid closes until a second before the end the panel shows, then for two more seconds.
        const left = await page.evaluate(
          () =>
            Date.parse((document.getElementById('session-ends') as HTMLTimeElement).dateTime) - Date.now(),
        );
        // The stored session's own end, not a fresh 24 h one.
        expect(left, where).toBeGreaterThan(STORED_SESSION_MS - 60_000);
        expect(left, where).toBeLessThanOrEqual(STORED_SESSION_MS);
        clockAhead = true;
        await page.clock.fastForward(left - 1_000);
        expect((await screenNow(page)).heading, `${where}: not a second early`).toBe('Logged in');
        await page.clock.fastForward(2_000);
        await checkScreen(page, expected, step.expected.state, where);
      } else {
        await page.getByRole('button', { name: 'Call the API' }).click();
        await checkScreen(page, expected, step.expected.state, where);
        const request = await etna.waitForEnd(requestsBefore);
        expect(`${request.method} ${request.path} → ${request.outcome}`, where).toBe(
          'GET /api/v1.0/users/@me/info → 401',
        );
        expect(request.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
        expect(request.header('et-app-key'), where).toBe(etna.appKey);
      }
      if (isPrompt(step.expected.state)) prompt = step.expected.state;
    }
    expect(messages.filter((text) => text.startsWith('uncaught'))).toEqual([]);
    // Secrets, the anti-phishing phrase and the pictures stay out of the event log and the tab's storage.
    const logText = (await page.locator('#log').textContent()) ?? '';
    const storage = await page.evaluate(() => JSON.stringify([{ ...sessionStorage }, { ...localStorage }]));
    for (const value of NEVER_KEPT) {
      expect(logText, `the event log of ${path.description}`).not.toContain(value);
      expect(storage, `the storage of ${path.description}`).not.toContain(value);
    }
    expect(logText, `the event log of ${path.description}`).not.toContain(MODEL_SESSION_TOKEN);
    passed.push(path);
  });

  it('ran every path, covering every state node and transition of the machine', () => {
    expect(passed.map((path) => path.description)).toEqual(paths.map((path) => path.description));
    expect(measureCoverage(passed, { maxSteps: MAX_STEPS }).missing).toEqual([]);
  });
});
