// Every model path from etna-auth/testing, driven through the demo page in Chromium: user events become
// typing and clicks, server outcomes become the fake server's answers (each request held in the browser while
// the busy screen is checked, then checked where it arrives), the machine's waits and a session's end become
// the page's clock running on, a revocation becomes its "Call the API" button meeting a 401, a successful API
// call the same button meeting a 200, another tab a write to the origin's localStorage announced on the
// library's BroadcastChannel, and each step checks the screen. The paths of a storage that answers later
// (`restoring`) are skipped, and say why: test/browser/async-storage.test.ts restores through the page's
// `?storage=async` instead.
import type { Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import {
  DEFAULT_RESEND_COOLDOWN_MS,
  DEFAULT_SESSION_LIFETIME_MS,
  SESSION_CHANNEL,
  type SecurityImage,
} from '../../src/index.js';
import {
  describeError,
  describeFailure,
  describeReason,
  describeSessionEnd,
  englishMessages,
} from '../../src/messages/index.js';
import {
  FAKE_ETNA_ROUTES,
  getEtnaAuthPaths,
  injectServerAnswer,
  MODEL_BUSY_ENDPOINTS,
  MODEL_INTERIM_TOKENS,
  MODEL_OTHER_TAB_EVENTS,
  MODEL_OTHER_USER,
  MODEL_OUTCOMES,
  MODEL_PASSWORD_CHANGE_TOKEN,
  MODEL_PIN_SETUP_TOKENS,
  MODEL_RESET_TOKEN,
  MODEL_SECURITY_IMAGES,
  MODEL_SESSION_SETTINGS,
  MODEL_SESSION_TOKEN,
  MODEL_SESSION_WARNING_MS,
  MODEL_USER,
  type ModelEndpoint,
  type ModelExpectation,
  type ModelPath,
  type ModelStep,
  type ModelUserEvent,
  measureCoverage,
  modelOtherTabWrite,
  modelStoredSession,
  type RecordedRequest,
} from '../../src/testing/index.js';
import { plainWordsProblems } from '../plain-words.js';
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
  type Screen,
  SESSION_KEY,
  screenNow,
  storedSession,
  tokenLine,
  waitForScreen,
} from './demo-page.js';
import { BROWSER_SKIP_REASON, expectOnlyRestoringMissing, notCoveredLine } from './kit-report.js';

assertChromiumInstalled();

const MAX_STEPS = 2;
/** The `timeout` outcomes are a server that never answers: only those paths need a short request timeout. */
const SHORT_TIMEOUT_MS = 1_000;
/** Longer than any run of the clock while a request is in flight (to a session's end, a minute after the warning). */
const LONG_TIMEOUT_MS = 600_000;
/** A restored path's stored session ends an hour after the page opens; a login's, after the default 24 h. */
const STORED_SESSION_MS = 3_600_000;
const HOUR_MS = 3_600_000;
/** The session another tab stores in an `otherTab` login, as the model has it. */
const OTHER_TAB_SESSION = MODEL_OTHER_TAB_EVENTS.login as unknown as {
  readonly token: { reveal(): string };
  readonly expiresAt: number;
  readonly username: string;
};
/** The rate-limit outcomes answer `Retry-After: 2`. */
const RATE_LIMIT_WAIT_MS = 2_000;
const generated = getEtnaAuthPaths({ maxSteps: MAX_STEPS });
const skipped = generated.filter((path) => path.start === 'restoring');
const paths = generated.filter((path) => path.start !== 'restoring');

type Prompt =
  | 'idle'
  | 'expecting.securityPin'
  | 'expecting.verificationCode'
  | 'succeeded.endingSoon.warning'
  | 'succeeded.endingSoon.securityPin'
  | 'succeeded.endingSoon.verificationCode'
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
  // A login again while the session ends soon; its PIN and code prompts are the login's.
  'succeeded.endingSoon.warning': 'Log in again to stay logged in',
  'succeeded.endingSoon.securityPin': 'Security PIN',
  'succeeded.endingSoon.verificationCode': 'Verification code',
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
/** The PIN and code prompts' line when the server gave no Reason, or a value was just refused: the catalog's. */
const { prompts } = englishMessages;
const DEFAULT_REASONS: Partial<Record<Prompt, string>> = {
  'expecting.securityPin': prompts.securityPin,
  'expecting.verificationCode': prompts.verificationCode,
  'succeeded.endingSoon.securityPin': prompts.securityPin,
  'succeeded.endingSoon.verificationCode': prompts.verificationCode,
};
const PIN_PROMPTS: ReadonlySet<string> = new Set([
  'expecting.securityPin',
  'succeeded.endingSoon.securityPin',
]);
const CODE_PROMPTS: ReadonlySet<string> = new Set([
  'expecting.verificationCode',
  'succeeded.endingSoon.verificationCode',
]);
const RELOGIN = 'succeeded.endingSoon.warning';
/** The states that offer no Cancel: nothing is under way there (or, logged in, Log out ends it). */
const NOT_CANCELLABLE: ReadonlySet<string> = new Set([
  'idle',
  'succeeded.active',
  RELOGIN,
  'loggingOut',
  'failed',
]);
/** The session panel's heading, and the warning's above it while the session ends soon. */
const LOGGED_IN_HEADING = 'Logged in';
const ENDING_HEADING = 'Your session ends soon';
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

/**
 * What the card must show for a model expectation. `prompt` is the form the request in flight came from
 * (the busy screen keeps it); `typedUsername` what the username field holds when the machine kept none;
 * `endsInHours` the hours the session has left by the page's clock, while logged in; `reloginHeld` whether a
 * 429's wait holds the login again back (the model's expectation does not carry `retryAvailableAt`).
 */
function expectedScreen(
  expected: ModelExpectation,
  prompt: Prompt,
  typedUsername: string,
  endsInHours: number | null,
  reloginHeld = false,
): ExpectedScreen {
  const { state, busy, error } = expected;
  const form = isPrompt(state) ? state : busy && state !== 'loggingOut' ? prompt : undefined;
  const serverError = state === 'error' && error && error.kind !== 'input' ? error : undefined;
  const inputError = error?.kind === 'input' ? error : undefined;
  // A request that failed without leaving its prompt (a resend): the code form says so, the code still works.
  const formProblem =
    form && CODE_PROMPTS.has(form) && state !== 'error' && error && error.kind !== 'input'
      ? error
      : undefined;
  // Logged in, in any phase: `succeeded.active`, or `succeeded.endingSoon.*` (the session still works).
  const succeeded = state.startsWith('succeeded');
  const ended = state === 'idle' ? describeSessionEnd(expected.reason) : undefined;
  const pin = form !== undefined && PIN_PROMPTS.has(form);
  // A login again that failed: the session as it was, until its end.
  const reloginFailed = state === RELOGIN && (expected.failure || (error && error.kind !== 'input'));
  const reloginError = reloginFailed && !expected.failure ? error : undefined;
  const refusal =
    state === 'failed' || reloginFailed ? expected.failure && describeFailure(expected.failure) : undefined;
  const token =
    expected.username === MODEL_OTHER_USER.username ? MODEL_OTHER_USER.token : MODEL_SESSION_TOKEN;
  const images =
    form === 'pinSetup.choosing' && expected.securityImages?.length ? expected.securityImages : undefined;
  return {
    heading: succeeded
      ? [expected.endingSoon ? ENDING_HEADING : '', form ? PROMPT_HEADINGS[form] : '', LOGGED_IN_HEADING]
          .filter(Boolean)
          .join(' | ')
      : form
        ? PROMPT_HEADINGS[form]
        : serverError
          ? ERROR_TITLES[serverError.kind as keyof typeof ERROR_TITLES]
          : state === 'loggingOut'
            ? 'Logging out'
            : 'Login refused',
    busy,
    // A 429's wait holds the login again back: its button disabled until the wait is over.
    submitDisabled: form ? busy || (form === RELOGIN && reloginHeld) : null,
    status: busy
      ? (BUSY_STATUS[state] ?? `no status line for ${state}`)
      : succeeded
        ? expected.username
          ? `Logged in as ${expected.username}.`
          : 'Logged in (session restored).'
        : '',
    username: form === 'idle' ? (expected.username ?? typedUsername) : null,
    account: succeeded || ['idle', 'loggingOut'].includes(state) ? null : (expected.username ?? null),
    // The server's Reason in the catalog's words; not beside a value just refused.
    reason:
      form && form in DEFAULT_REASONS
        ? (!inputError && describeReason(expected.reason)) || DEFAULT_REASONS[form] || null
        : null,
    invalid: inputError ? (inputError.field ?? null) : null,
    fieldError: inputError ? describeError(inputError) : null,
    failure: state === 'failed' && refusal ? `${refusal.reason} / ${refusal.step ?? ''}` : null,
    advice: state === 'failed' && expected.failure ? FAILURE_GUIDANCE[expected.failure.code] : null,
    error: serverError ? describeError(serverError) : null,
    ended: ended ?? null,
    who: succeeded ? (expected.username ? `Account ${expected.username}` : RESTORED_WHO) : null,
    endsInHours: succeeded ? endsInHours : null,
    token: expected.hasToken ? tokenLine(token.length) : null,
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
    // The server's Errors of the submission before are not shown beside a value just refused.
    serverErrors:
      form && JOURNEY_PROMPTS.has(form) && !inputError && expected.serverErrors?.length
        ? [...expected.serverErrors]
        : null,
    codeResent: form !== undefined && CODE_PROMPTS.has(form) && expected.codeResent,
    resend: expected.canResend,
    resendWait: state === 'expecting.verificationCode' && !expected.canResend,
    retryWait: state === 'error' && error?.kind === 'rateLimited' && !expected.canRetry,
    reloginWait: form === RELOGIN && reloginHeld,
    formError: formProblem ? `${ERROR_TITLES[formProblem.kind as keyof typeof ERROR_TITLES]}.` : null,
    ending: expected.endingSoon,
    reloginUsername: form === RELOGIN ? (expected.username ?? '') : null,
    reloginUsernameFixed: form === RELOGIN ? true : null,
    reloginProblem: reloginFailed
      ? (refusal?.reason ?? `${ERROR_TITLES[reloginError?.kind as keyof typeof ERROR_TITLES]}.`)
      : null,
    reloginDetail: reloginFailed
      ? (refusal?.advice ?? (reloginError ? describeError(reloginError) : null))
      : null,
    stillWorks: Boolean(reloginFailed),
  };
}

/** The model's user, and the other user another tab logs in: a card never names both. */
const OUR_USER = new RegExp(`(?<!other-)\\b${MODEL_USER.username}\\b`);
const OTHER_USER = new RegExp(`\\b${MODEL_OTHER_USER.username}\\b`);

/** What a person reads on the card is words for people (no internal name, no developer's message), of one user. */
function checkWords(screen: Screen, where: string): void {
  expect(plainWordsProblems(screen.blocks), `${where}: the words on the card`).toEqual([]);
  const text = screen.blocks.join('\n');
  expect(OUR_USER.test(text) && OTHER_USER.test(text), `${where}: one user on the card`).toBe(false);
}

/**
 * Checks the screen and its words, then that the tab keeps a session exactly while the machine is logged in (the
 * model's, or the other user's that this tab adopted); `otherUserStored`: another tab stored another user's
 * session, which stays in the shared storage after it ended this tab's.
 */
async function checkScreen(
  page: Page,
  expected: ExpectedScreen,
  model: ModelExpectation,
  where: string,
  otherUserStored: boolean,
) {
  const screen = await waitForScreen(page, expected);
  expect(screen, where).toEqual(expect.objectContaining(expected));
  checkWords(screen, where);
  const { state } = model;
  const held = model.username === MODEL_OTHER_USER.username ? MODEL_OTHER_USER.token : MODEL_SESSION_TOKEN;
  const stored = await storedSession(page);
  const storedToken = stored === null ? null : (JSON.parse(stored).token as string);
  if (state.startsWith('succeeded')) expect(storedToken, `${where}: the session kept`).toBe(held);
  else if (!(otherUserStored && storedToken === MODEL_OTHER_USER.token))
    expect(storedToken, `${where}: a session is kept in the storage only while logged in`).toBeNull();
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

/**
 * A user event as a person performs it on the page, on the form of `prompt` for a submission; `reloginHeld`: a
 * 429's wait holds the login again back, its button disabled (the person can only press Enter, to no effect).
 */
async function perform(
  page: Page,
  event: ModelUserEvent,
  prompt: Prompt,
  where: string,
  reloginHeld: boolean,
): Promise<void> {
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
      if (event.type === 'SUBMIT_CREDENTIALS' && prompt === RELOGIN) {
        // A login again while the session ends soon: the logged-in user's name is shown, not typed.
        const form = formOf(PROMPT_HEADINGS[RELOGIN]);
        await fill(form, [['Password', event.password]]);
        const username = form.getByLabel('Username', { exact: true });
        expect(await username.inputValue(), `${where}: the logged-in user`).toBe(event.username);
        expect(await username.getAttribute('readonly'), `${where}: the username is fixed`).not.toBeNull();
        if (!reloginHeld) return submit(form, 'Log in again');
        const button = form.getByRole('button', { name: 'Log in again', exact: true });
        expect(await button.isDisabled(), `${where}: no login again while the wait holds`).toBe(true);
        return form.getByLabel('Password', { exact: true }).press('Enter');
      }
      const form = formOf('Log in');
      await fill(form, [['Username', event.username]]);
      if (event.type === 'SUBMIT_CREDENTIALS')
        await form.getByLabel('Password', { exact: true }).fill(event.password);
      // The paths run with the session kept (restored starts find one stored there).
      await form.getByLabel('Keep me logged in').check();
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
        `browser: model paths run through the page: ${passed.length}/${paths.length} (${steps} steps); ${skipped.length} skipped (a storage read later)`,
        `browser: state nodes covered: ${coverage.covered.stateNodes.size}/${coverage.stateNodes.length}`,
        `browser: transitions covered: ${coverage.covered.transitions.size}/${coverage.transitions.length}`,
        `browser: transition-in-state and event targets covered: ${coverage.covered.targets.size}/${coverage.targets.length}`,
        `browser: ${notCoveredLine(coverage.missing)}`,
      ].join('\n'),
    );
  });

  // Skipped with the kit's reason: the model holds the storage's read until its `storage` step answers, which the
  // page's localStorage cannot do (test/model runs these paths; async-storage.test.ts restores via ?storage=async).
  it.skip.each(skipped.map((path) => [path.description, BROWSER_SKIP_REASON] as const))(
    '%s (skipped: %s)',
    () => {},
  );

  it.each(paths.map((path) => [path.description, path] as const))('%s', async (_description, path) => {
    const slow = path.steps.some((step) => step.kind === 'server' && step.outcome.endsWith('timeout'));
    const { etna } = demo;
    const query = {
      maxSteps: MAX_STEPS,
      timeout: slow ? SHORT_TIMEOUT_MS : LONG_TIMEOUT_MS,
      // The model's settings: the warning a minute before the end, and a sliding session.
      sessionWarning: MODEL_SESSION_SETTINGS.sessionWarning,
      slidingSession: MODEL_SESSION_SETTINGS.slidingSession ? 1 : 0,
    };
    // The page's clock back in step with this one, which dates the stored session.
    if (clockAhead) await chromium.context.clock.setSystemTime(Date.now());
    clockAhead = false;
    // Seeded before the page loads, as `persist` would have left it: the page restores it at start.
    const seededEnd = Date.now() + STORED_SESSION_MS;
    const seeded = path.start === 'restored' ? modelStoredSession(seededEnd) : undefined;
    await tab.restart({ query, storedSession: seeded });
    const { page, console: messages, nextHeldRequest } = tab;
    let prompt: Prompt = 'idle';
    /**
     * When the session shown ends (epoch ms by the page's clock): the stored one's, another tab's, or `fresh`
     * for one that has just begun or moved on (a login, a successful API call): a whole lifetime from now.
     */
    let sessionEnd: number | 'fresh' = seededEnd;
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
    const pageNow = () => page.evaluate(() => Date.now());
    /** The hours the session shown has left, by the page's clock now, as the panel's "Ends" rounds them. */
    const hoursLeft = async () =>
      sessionEnd === 'fresh'
        ? DEFAULT_SESSION_LIFETIME_MS / HOUR_MS
        : Math.round((sessionEnd - (await pageNow())) / HOUR_MS);
    /** A fresh session's end, once the page has it: a lifetime from the page's clock now. */
    const settleSessionEnd = async () => {
      if (sessionEnd === 'fresh') sessionEnd = (await pageNow()) + DEFAULT_SESSION_LIFETIME_MS;
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
      await check(expected, step.expected, where);
      await route.continue();
      await etna.waitForRequests(before + 1);
      await checkRequest(demo, route, etna.requests[before], endpoint, state, trigger, sent, where);
      inFlight = before;
    };
    /** A request in flight that the step ended without an answer (it left the busy state): aborted. */
    const abandoned = async (step: ModelStep, where: string) => {
      if (inFlight === undefined || step.expected.busy) return;
      const ended = await etna.waitForEnd(inFlight);
      expect(ended.aborted, `${where}: the request in flight is aborted`).toBe(true);
      inFlight = undefined;
    };
    /** Milliseconds until the end the session panel shows (its `datetime`), by the page's clock. */
    const panelLeft = () =>
      page.evaluate(
        () => Date.parse((document.getElementById('session-ends') as HTMLTimeElement).dateTime) - Date.now(),
      );
    /** The page's clock runs on to `left - early` ms from now, the screen has not changed yet, then past it. */
    const runClock = async (left: number, early: number, unchanged: () => Promise<void>) => {
      clockAhead = true;
      if (left > early) {
        await page.clock.fastForward(left - early);
        await unchanged();
      }
      await page.clock.fastForward(2 * early);
    };

    /** Another tab stored another user's session in this path. */
    let otherUserStored = false;
    /** A 429 holds the login again back, until its wait step. */
    let reloginHeld = false;
    const check = (expected: ExpectedScreen, model: ModelExpectation, where: string) =>
      checkScreen(page, expected, model, where, otherUserStored);
    await check(expectedScreen(path.initial, prompt, '', await hoursLeft()), path.initial, 'the start');
    for (const [index, step] of path.steps.entries()) {
      const where = `step ${index + 1} of ${path.description}`;
      const typedUsername =
        step.kind === 'user' &&
        (step.event.type === 'SUBMIT_CREDENTIALS' || step.event.type === 'FORGOT_PASSWORD')
          ? step.event.username
          : '';
      const loggedIn = step.expected.state.startsWith('succeeded');
      // What the step does to the session's end: a login's success and an API call start a fresh lifetime
      // (`slidingSession`); another tab's login brings its own end.
      if (step.kind === 'server' && step.outcome === 'succeeded') sessionEnd = 'fresh';
      if (step.kind === 'apiCall') sessionEnd = 'fresh';
      if (step.kind === 'otherTab' && step.action !== 'logout' && loggedIn)
        sessionEnd = OTHER_TAB_SESSION.expiresAt;
      if (step.kind === 'otherTab' && step.action === 'otherUser') otherUserStored = true;
      // A 429 to the login again holds it back until the machine's timer ends the wait (the wait step).
      if (step.expected.state !== RELOGIN || step.kind === 'wait') reloginHeld = false;
      else if (step.kind === 'server' && step.expected.error?.kind === 'rateLimited') reloginHeld = true;
      const expectedNow = async () =>
        expectedScreen(
          step.expected,
          prompt,
          typedUsername,
          loggedIn ? await hoursLeft() : null,
          reloginHeld,
        );
      const requestsBefore = etna.requests.length;
      if (step.kind === 'user') {
        const wasInFlight = inFlight;
        injectServerAnswer(etna, step);
        if (step.serverAnswer) remember(sent, step.event);
        await perform(page, step.event, prompt, where, reloginHeld);
        const expected = await expectedNow();
        if (step.serverAnswer) {
          await release(step, expected, step.event, where);
        } else {
          await check(expected, step.expected, where);
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
        if (step.expected.busy) await release(step, await expectedNow(), undefined, where);
        else {
          await check(await expectedNow(), step.expected, where);
          inFlight = undefined;
        }
      } else if (step.kind === 'wait') {
        // The machine's own timer ends the wait: the clock runs to just before the time the page shows, where
        // the button (or the warning) is still missing, then past it. A 429 to the login again counts down in
        // its form, its button disabled.
        const relogin = step.until === 'retry' && step.expected.state === RELOGIN;
        const countdown = relogin ? 'relogin-at' : step.until === 'retry' ? 'retry-at' : 'resend-at';
        const left =
          step.until === 'warning'
            ? (await panelLeft()) - MODEL_SESSION_WARNING_MS
            : await page.evaluate(
                (id) => Date.parse((document.getElementById(id) as HTMLTimeElement).dateTime) - Date.now(),
                countdown,
              );
        expect(left, where).toBeGreaterThan(0);
        const longest = { retry: RATE_LIMIT_WAIT_MS, resend: DEFAULT_RESEND_COOLDOWN_MS, warning: Infinity };
        expect(left, where).toBeLessThanOrEqual(longest[step.until]);
        if (step.until === 'warning' && sessionEnd !== 'fresh') {
          // The end the panel shows is the session's own.
          expect(
            Math.abs(left + MODEL_SESSION_WARNING_MS - (sessionEnd - (await pageNow()))),
            where,
          ).toBeLessThan(1_000);
        }
        await runClock(left, 1_000, async () => {
          const early = await screenNow(page);
          const shown = {
            retry: relogin ? early.submitDisabled === false : early.buttons.includes('Retry'),
            resend: early.resend,
            warning: early.ending,
          };
          expect(shown[step.until], `${where}: not a second early`).toBe(false);
          if (relogin) expect(early.reloginWait, `${where}: the countdown, a second early`).toBe(true);
        });
        await check(await expectedNow(), step.expected, where);
        expect(etna.requests.length, `${where}: the wait sends nothing`).toBe(requestsBefore);
      } else if (step.kind === 'session' && step.end === 'expired') {
        // The laptop lid closes until a second before the end the panel shows, then for two more seconds.
        const left = await panelLeft();
        expect(left, where).toBeGreaterThan(0);
        // The session's own end (the stored one's, another tab's, a fresh lifetime), not another.
        const expectedLeft =
          sessionEnd === 'fresh' ? DEFAULT_SESSION_LIFETIME_MS : sessionEnd - (await pageNow());
        expect(Math.abs(left - expectedLeft), where).toBeLessThan(sessionEnd === 'fresh' ? 60_000 : 1_000);
        await runClock(left, 1_000, async () => {
          expect((await screenNow(page)).who, `${where}: not a second early`).not.toBeNull();
        });
        await check(await expectedNow(), step.expected, where);
        await abandoned(step, where);
      } else if (step.kind === 'session') {
        await page.getByRole('button', { name: 'Call the API' }).click();
        await check(await expectedNow(), step.expected, where);
        const request = await etna.waitForEnd(requestsBefore);
        expect(`${request.method} ${request.path} → ${request.outcome}`, where).toBe(
          'GET /api/v1.0/users/@me/info → 401',
        );
        expect(request.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
        expect(request.header('et-app-key'), where).toBe(etna.appKey);
        await abandoned(step, where);
      } else if (step.kind === 'otherTab') {
        // Another tab of the origin: it writes the shared storage and says so on the library's channel, as
        // browserLocalStorage() does; this page's own channel is another object, so it hears the message.
        await page.evaluate(
          ({ channelName, key, value }) => {
            if (value === null) localStorage.removeItem(key);
            else localStorage.setItem(key, value);
            const channel = new BroadcastChannel(channelName);
            channel.postMessage({ key });
            channel.close();
          },
          {
            channelName: SESSION_CHANNEL,
            key: SESSION_KEY,
            value: modelOtherTabWrite(step.action),
          },
        );
        await check(await expectedNow(), step.expected, where);
        expect(etna.requests.length, `${where}: another tab's change sends nothing from this one`).toBe(
          requestsBefore,
        );
        await abandoned(step, where);
      } else {
        // A successful call: the fake server answers 200, and with `slidingSession` the end moves on.
        etna.injectApi({ kind: 'respond', status: 200, body: { Login: MODEL_USER.username, Id: 7 } });
        await page.getByRole('button', { name: 'Call the API' }).click();
        await page.locator('#api-result', { hasText: `Login ${MODEL_USER.username}` }).waitFor();
        await check(await expectedNow(), step.expected, where);
        const request = await etna.waitForEnd(requestsBefore);
        expect(`${request.method} ${request.path} → ${request.outcome}`, where).toBe(
          'GET /api/v1.0/users/@me/info → 200',
        );
        expect(request.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
        await abandoned(step, where);
      }
      await settleSessionEnd();
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

  it('ran every path but those of a storage read later, covering all of the machine they do not', () => {
    expect(passed.map((path) => path.description)).toEqual(paths.map((path) => path.description));
    // Skipped: exactly the three starts of a storage that answers later, one for each of its answers.
    expect(skipped.map((path) => path.description)).toEqual([
      '(restoring) → server: storage: session read',
      '(restoring) → server: storage: nothing stored',
      '(restoring) → server: storage: read failed',
    ]);
    expect(measureCoverage(generated, { maxSteps: MAX_STEPS }).missing).toEqual([]);
    expectOnlyRestoringMissing(measureCoverage(passed, { maxSteps: MAX_STEPS }), skipped);
  });
});
