// The model the paths are generated from: what its user types, what the servers answer, how a session ends,
// and what a UI shows after each step. model-paths.ts walks the machine's graph with these events;
// model-coverage.ts measures what a set of paths covers; model-setup.ts creates the machine a path runs on.
import type { AnyEventObject, AnyMachineSnapshot } from 'xstate';
import { assign } from 'xstate';
import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import type { JourneyAnswer, SecurityImage } from '../contract/journey.js';
import { Secret } from '../contract/secret.js';
import type { TokenAnswer } from '../contract/token-request.js';
import { DEFAULT_SESSION_LIFETIME_MS } from '../defaults.js';
import {
  DEFAULT_SETTINGS,
  etnaAuthMachineWith,
  LOGOUT_ID,
  REQUEST_TOKEN_ID,
} from '../machine/etna-auth-machine.js';
import type { EtnaAuthContext, EtnaAuthFailure } from '../machine/types.js';
import type { FakeFault, FakeJourneyRoute } from './fake-etna-server.js';

/** The values the model's user types; a test UI should accept them. */
export const MODEL_USER = {
  username: 'model-user',
  password: 'model-password',
  pin: '2468',
  code: '135790',
  /** The PIN set up in `pinSetup`, with the image and phrase chosen there. */
  newPin: '8642',
  imageName: 'heron.png',
  personalPhrase: 'Blue heron at dawn',
  /** The password chosen in `passwordChange` and at the end of a reset. */
  newPassword: 'model-new-password-1',
  secretAnswer: 'Rex',
  resetCode: '424242',
} as const;

/**
 * Which fake-server route answers a request: `POST /token`, `POST /logout`, or one of the calls beside them
 * (queue its answer with `injectAt`).
 */
export type ModelEndpoint = 'token' | 'logout' | FakeJourneyRoute;

/** The route that answers the request of each busy state (by its dotted name). */
export const MODEL_BUSY_ENDPOINTS: Readonly<Record<string, ModelEndpoint>> = {
  authenticating: 'token',
  'expecting.resendingCode': 'token',
  'succeeded.endingSoon.authenticating': 'token',
  loggingOut: 'logout',
  'pinSetup.loadingImages': 'securityImages',
  'pinSetup.saving': 'pinChange',
  'passwordChange.saving': 'passwordChange',
  'passwordReset.loadingQuestion': 'secretQuestion',
  'passwordReset.requestingCode': 'resetRequest',
  'passwordReset.verifyingCode': 'resetCode',
  'passwordReset.saving': 'passwordChange',
};

/**
 * A server answer of the model: the event the machine sees, and the fake-server fault that produces it
 * over HTTP at `endpoint`.
 */
export interface ModelOutcome {
  readonly name: string;
  readonly endpoint: ModelEndpoint;
  readonly event: AnyEventObject;
  readonly answer: FakeFault;
}

const done = (output: TokenAnswer) => ({ type: `xstate.done.actor.${REQUEST_TOKEN_ID}`, output });
const failure = (error: EtnaAuthErrorData) => ({ type: `xstate.error.actor.${REQUEST_TOKEN_ID}`, error });
const called = (route: FakeJourneyRoute, output: JourneyAnswer<unknown>) => ({
  type: `xstate.done.actor.${route}`,
  output,
});
const callFailed = (route: FakeJourneyRoute, error: EtnaAuthErrorData) => ({
  type: `xstate.error.actor.${route}`,
  error,
});
const envelope = (model: unknown, errors: readonly string[] = [], codes: readonly string[] = []) => ({
  Model: model,
  Errors: errors,
  ErrorsCode: codes,
  IsSucceed: errors.length === 0,
});
/** A call beside `/token` that succeeds: the machine sees `model`, the wire carries `wireModel` in the envelope. */
function accepted(
  endpoint: FakeJourneyRoute,
  name: string,
  model: unknown,
  wireModel: unknown,
  isSucceed = true,
): ModelOutcome {
  return {
    endpoint,
    name,
    event: called(endpoint, { ok: true, model }),
    answer: { kind: 'respond', status: 200, body: { ...envelope(wireModel), IsSucceed: isSucceed } },
  };
}

/** A call beside `/token` that the server refuses with `Errors`: the form shows them and stays. */
function refusedBy(
  endpoint: FakeJourneyRoute,
  name: string,
  errors: readonly string[],
  codes: readonly string[] = [],
): ModelOutcome {
  return {
    endpoint,
    name,
    event: called(endpoint, { ok: false, errors, codes }),
    answer: { kind: 'respond', status: 200, body: envelope(null, errors, codes) },
  };
}

/** A call beside `/token` with no usable answer: the machine goes to `error`. */
function transportFailure(
  endpoint: FakeJourneyRoute,
  name: string,
  error: EtnaAuthErrorData,
  answer: FakeFault,
): ModelOutcome {
  return { endpoint, name, event: callFailed(endpoint, error), answer };
}

const RATE_LIMITED: EtnaAuthErrorData = {
  kind: 'rateLimited',
  message: 'too many requests',
  status: 429,
  retryAfterMs: 2000,
};

/** Two small PNGs, base64, as the fake server's security images list them. */
const MODEL_PNGS = {
  heron:
    'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGPIa1oARwzEcQCHMhkBM8t4LgAAAABJRU5ErkJggg==',
  apple:
    'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGM4IacBRwzEcQDBAxDhtIruDgAAAABJRU5ErkJggg==',
};
const png = (base64: string) => `data:image/png;base64,${base64}`;

/** The security images of the model's `securityImages` answer, as the machine holds them. */
export const MODEL_SECURITY_IMAGES: readonly SecurityImage[] = [
  { fileName: 'apple.png', dataUrl: png(MODEL_PNGS.apple) },
  { fileName: 'heron.png', dataUrl: png(MODEL_PNGS.heron) },
];
/** The secret question of the model's `secretQuestion` answer. */
export const MODEL_SECRET_QUESTION = 'What was the name of your first pet?';
/** The reset token of the model's `resetCode` answer. */
export const MODEL_RESET_TOKEN = 'reset+model/token==';
/** The tokens of the model's `PIN code is not init` answer. */
export const MODEL_PIN_SETUP_TOKENS = { token: 'setup+model/token==', confirmation: 'setup+confirm/token=' };
/** The confirmation token of the model's `password expired` answer. */
export const MODEL_PASSWORD_CHANGE_TOKEN = 'confirm+model/token=';

const PASSWORD_EXPIRED = 'Your Password has expired and must be changed';

/** Interim tokens of the model's 202 answers, opaque like the platform's. */
export const MODEL_INTERIM_TOKENS = {
  securityPin: 'pin+interim/token==',
  verificationCode: 'code+interim/token=',
};
/** The session token of the model's 200 answer. */
export const MODEL_SESSION_TOKEN = 'session+model/token==';

/** Every kind of `/token` answer the model supplies: each kind of server answer and each kind of transport error. */
export const MODEL_OUTCOMES: readonly ModelOutcome[] = [
  {
    endpoint: 'token',
    name: 'succeeded',
    event: done({ state: 'succeeded', token: new Secret(MODEL_SESSION_TOKEN) }),
    answer: { kind: 'respond', status: 200, body: { State: 'Succeeded', Token: MODEL_SESSION_TOKEN } },
  },
  {
    endpoint: 'token',
    name: 'expecting securityPin',
    event: done({
      state: 'expecting',
      next: 'securityPin',
      step: 'SecutityPin',
      reason: 'Invalid pin',
      interimToken: new Secret(MODEL_INTERIM_TOKENS.securityPin),
      personalPhrase: MODEL_USER.personalPhrase,
      securityImage: { fileName: 'security-image', dataUrl: png(MODEL_PNGS.heron) },
    }),
    answer: {
      kind: 'respond',
      status: 202,
      body: {
        State: 'Expecting',
        Step: 'SecutityPin',
        Reason: 'Invalid pin',
        Token: MODEL_INTERIM_TOKENS.securityPin,
        PersonalPhrase: MODEL_USER.personalPhrase,
        Image: MODEL_PNGS.heron,
      },
    },
  },
  {
    endpoint: 'token',
    name: 'expecting verificationCode',
    event: done({
      state: 'expecting',
      next: 'verificationCode',
      step: 'VerificationCode',
      reason: 'Expecting confirmation code',
      interimToken: new Secret(MODEL_INTERIM_TOKENS.verificationCode),
    }),
    answer: {
      kind: 'respond',
      status: 202,
      headers: { 'content-type': 'text/json' },
      body: JSON.stringify({
        State: 'Expecting',
        Step: 'VerificationCode',
        Reason: 'Expecting confirmation code',
        Token: MODEL_INTERIM_TOKENS.verificationCode,
      }),
    },
  },
  {
    endpoint: 'token',
    name: 'expecting an unsupported step',
    event: done({
      state: 'failed',
      code: 'unsupportedStep',
      step: 'SecurityQuestion',
      reason: 'Answer your security question',
    }),
    answer: {
      kind: 'respond',
      status: 202,
      body: {
        State: 'Expecting',
        Step: 'SecurityQuestion',
        Reason: 'Answer your security question',
        Token: 'question+model/token=',
      },
    },
  },
  {
    endpoint: 'token',
    name: 'password expired (401 Failed)',
    event: done({
      state: 'failed',
      code: 'passwordExpired',
      step: 'BaseAuthentication',
      reason: PASSWORD_EXPIRED,
    }),
    answer: {
      kind: 'respond',
      status: 401,
      body: { State: 'Failed', Step: 'BaseAuthentication', Reason: PASSWORD_EXPIRED },
    },
  },
  {
    endpoint: 'token',
    name: 'password expired (202 Expecting)',
    event: done({
      state: 'passwordChange',
      step: 'BaseAuthentication',
      reason: PASSWORD_EXPIRED,
      confirmationToken: new Secret(MODEL_PASSWORD_CHANGE_TOKEN),
    }),
    answer: {
      kind: 'respond',
      status: 202,
      body: {
        State: 'Expecting',
        Step: 'BaseAuthentication',
        Reason: PASSWORD_EXPIRED,
        ConfirmationToken: MODEL_PASSWORD_CHANGE_TOKEN,
      },
    },
  },
  {
    endpoint: 'token',
    name: 'PIN not set up (202 Expecting)',
    event: done({
      state: 'pinSetup',
      step: 'SecutityPin',
      reason: 'PIN code is not init',
      token: new Secret(MODEL_PIN_SETUP_TOKENS.token),
      confirmationToken: new Secret(MODEL_PIN_SETUP_TOKENS.confirmation),
    }),
    answer: {
      kind: 'respond',
      status: 202,
      body: {
        State: 'Expecting',
        Step: 'SecutityPin',
        Reason: 'PIN code is not init',
        Token: MODEL_PIN_SETUP_TOKENS.token,
        ConfirmationToken: MODEL_PIN_SETUP_TOKENS.confirmation,
      },
    },
  },
  {
    endpoint: 'token',
    name: 'PIN not initialized',
    event: done({
      state: 'failed',
      code: 'pinNotInitialized',
      step: 'SecutityPin',
      reason: 'PIN code is not init',
    }),
    answer: {
      kind: 'respond',
      status: 401,
      body: { State: 'Failed', Step: 'SecutityPin', Reason: 'PIN code is not init' },
    },
  },
  {
    endpoint: 'token',
    name: 'failed',
    event: done({
      state: 'failed',
      code: 'rejected',
      step: 'BaseAuthentication',
      reason: 'Invalid credentials',
    }),
    answer: {
      kind: 'respond',
      status: 401,
      body: { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' },
    },
  },
  {
    endpoint: 'token',
    name: 'network error',
    event: failure({ kind: 'network', message: 'the server could not be reached' }),
    answer: { kind: 'drop' },
  },
  {
    endpoint: 'token',
    name: 'timeout',
    event: failure({ kind: 'timeout', message: 'no answer in time' }),
    answer: { kind: 'hang' },
  },
  {
    endpoint: 'token',
    name: 'http error',
    event: failure({ kind: 'http', message: 'the server answered with HTTP 500', status: 500 }),
    answer: { kind: 'serverError' },
  },
  {
    endpoint: 'token',
    name: 'protocol error',
    event: failure({ kind: 'protocol', message: 'the answer is not a JSON object', status: 200 }),
    answer: { kind: 'malformedJson', status: 200 },
  },
  {
    endpoint: 'token',
    name: 'app key refused',
    event: failure({
      kind: 'appKey',
      message: 'the server refused the application key (HTTP 403)',
      status: 403,
    }),
    answer: {
      kind: 'respond',
      status: 403,
      body: { error: 'Application key is not defined or does not exist' },
    },
  },
  {
    endpoint: 'token',
    name: 'rate limited',
    event: failure({
      kind: 'rateLimited',
      message: 'too many login attempts',
      status: 429,
      retryAfterMs: 2000,
    }),
    answer: { kind: 'rateLimited', retryAfter: '2' },
  },
  accepted('securityImages', 'security images', MODEL_SECURITY_IMAGES, [
    { FileName: 'apple.png', Content: MODEL_PNGS.apple },
    { FileName: 'heron.png', Content: MODEL_PNGS.heron },
  ]),
  refusedBy('securityImages', 'security images refused', ['The token is not valid for PIN set-up.']),
  transportFailure(
    'securityImages',
    'security images: http error',
    { kind: 'http', message: 'the server answered with HTTP 500', status: 500 },
    { kind: 'serverError' },
  ),
  accepted('pinChange', 'PIN saved', null, null),
  refusedBy('pinChange', 'PIN refused', ['The PIN is too simple.'], ['ErrorPinTooSimple']),
  transportFailure('pinChange', 'PIN change: rate limited', RATE_LIMITED, {
    kind: 'rateLimited',
    retryAfter: '2',
  }),
  accepted('passwordChange', 'password saved', null, null),
  refusedBy(
    'passwordChange',
    'password refused',
    ['The password must contain a digit.'],
    ['ErrorPasswordPolicy'],
  ),
  transportFailure(
    'passwordChange',
    'password change: network error',
    { kind: 'network', message: 'the server could not be reached' },
    { kind: 'drop' },
  ),
  accepted('secretQuestion', 'secret question', MODEL_SECRET_QUESTION, MODEL_SECRET_QUESTION),
  accepted('secretQuestion', 'no secret question', '', ''),
  refusedBy('secretQuestion', 'secret question refused', ['Password reset is disabled for this account.']),
  transportFailure(
    'secretQuestion',
    'secret question: timeout',
    { kind: 'timeout', message: 'no answer in time' },
    { kind: 'hang' },
  ),
  // ETNA's page shows this success with IsSucceed false and no Errors.
  accepted('resetRequest', 'reset code e-mailed', null, null, false),
  refusedBy(
    'resetRequest',
    'answer incorrect',
    ['Answer is incorrect, try again.'],
    ['ErrorIncorrectAnswer'],
  ),
  transportFailure('resetRequest', 'reset request: rate limited', RATE_LIMITED, {
    kind: 'rateLimited',
    retryAfter: '2',
  }),
  accepted('resetCode', 'reset token', new Secret(MODEL_RESET_TOKEN), MODEL_RESET_TOKEN),
  refusedBy('resetCode', 'reset code incorrect', ['The code is incorrect or has expired.']),
  transportFailure(
    'resetCode',
    'reset code: protocol error',
    { kind: 'protocol', message: 'the answer is not a JSON object', status: 200 },
    { kind: 'malformedJson', status: 200 },
  ),
  {
    endpoint: 'logout',
    name: 'logout confirmed',
    event: { type: `xstate.done.actor.${LOGOUT_ID}`, output: undefined },
    answer: { kind: 'respond', status: 200, body: {} },
  },
  {
    endpoint: 'logout',
    name: 'logout failed',
    event: {
      type: `xstate.error.actor.${LOGOUT_ID}`,
      error: { kind: 'http', message: 'the server answered with HTTP 500', status: 500 },
    },
    answer: { kind: 'serverError' },
  },
];

/**
 * A wait the machine's own timers end: `retry` (a 429's Retry-After has passed, `RETRY` is offered again),
 * `resend` (the resend cooldown is over, `RESEND_CODE` is offered again) or `warning` (the session is
 * `MODEL_SESSION_WARNING_MS` from its end: `succeeded.endingSoon` begins).
 */
export type ModelWait = 'retry' | 'resend' | 'warning';

/** The events of the waits' ends, as the machine's timers send them. */
export const MODEL_WAIT_EVENTS: Readonly<Record<ModelWait, AnyEventObject>> = {
  retry: { type: 'RETRY_ALLOWED' },
  resend: { type: 'RESEND_ALLOWED' },
  warning: { type: 'SESSION_ENDING_SOON' },
};

/** The model's `sessionWarning`: the warning begins a minute before the session's end. */
export const MODEL_SESSION_WARNING_MS = 60_000;

/**
 * What another tab sharing the storage does: `login` (it stores a session: this tab adopts it) or `logout` (it
 * clears the stored session: this tab's ends with reason `endedElsewhere`).
 */
export type ModelOtherTab = 'login' | 'logout';

/** The events the storage's other tabs cause, as the machine sees them. */
export const MODEL_OTHER_TAB_EVENTS: Readonly<Record<ModelOtherTab, AnyEventObject>> = {
  login: {
    type: 'SESSION_ADOPTED',
    token: new Secret(MODEL_SESSION_TOKEN),
    // A second short of a full lifetime: another tab's session, stored a moment before.
    expiresAt: Date.now() + DEFAULT_SESSION_LIFETIME_MS - 1_000,
    username: MODEL_USER.username,
  },
  logout: { type: 'SESSION_ENDED_ELSEWHERE' },
};

/** A successful API call through `createEtnaClient`: with the model's `slidingSession`, it moves the end on. */
export const MODEL_API_SUCCESS_EVENT: AnyEventObject = { type: 'SESSION_ACTIVITY' };

/** How a session ends without the user: `expired` (its lifetime passed) or `revoked` (the API answered 401). */
export type ModelSessionEnd = 'expired' | 'revoked';

/** The events of the session's ends, as the machine sees them. */
export const MODEL_SESSION_EVENTS: Readonly<Record<ModelSessionEnd, AnyEventObject>> = {
  expired: { type: 'SESSION_EXPIRED' },
  revoked: { type: 'SESSION_REVOKED' },
};

/**
 * The session a restored path starts with, as `persist` stores it: put it in the storage under
 * `DEFAULT_PERSIST_KEY` before creating the machine (`createModelMachine` does).
 */
export function modelStoredSession(expiresAt: number): string {
  return JSON.stringify({ token: MODEL_SESSION_TOKEN, expiresAt, username: MODEL_USER.username });
}

/** A user event of the model, its secrets as the plain strings a person types into a form. */
export type ModelUserEvent =
  | { readonly type: 'SUBMIT_CREDENTIALS'; readonly username: string; readonly password: string }
  | { readonly type: 'SUBMIT_PIN'; readonly pin: string }
  | { readonly type: 'SUBMIT_VERIFICATION_CODE'; readonly code: string }
  | { readonly type: 'RESEND_CODE' }
  | {
      readonly type: 'SUBMIT_NEW_PIN';
      readonly pin: string;
      readonly imageName: string;
      readonly personalPhrase: string;
    }
  | { readonly type: 'SUBMIT_NEW_PASSWORD'; readonly password: string; readonly confirmation: string }
  | { readonly type: 'FORGOT_PASSWORD'; readonly username: string }
  | { readonly type: 'SUBMIT_SECRET_ANSWER'; readonly answer: string }
  | { readonly type: 'SUBMIT_RESET_CODE'; readonly code: string }
  | { readonly type: 'CANCEL' }
  | { readonly type: 'RETRY' }
  | { readonly type: 'LOGOUT' };

/** The user events of the model whose payload the machine refuses before sending (`error.kind` `input`). */
const REFUSED: readonly ModelUserEvent[] = [
  { type: 'SUBMIT_CREDENTIALS', username: MODEL_USER.username, password: '' },
  { type: 'SUBMIT_PIN', pin: '' },
  // Full-width digits, as an IME types them: a person can enter them, and an HTTP header cannot carry them.
  { type: 'SUBMIT_VERIFICATION_CODE', code: '１３５７９０' },
  // A leading zero, which the server's numeric PIN would drop.
  {
    type: 'SUBMIT_NEW_PIN',
    pin: '0864',
    imageName: MODEL_USER.imageName,
    personalPhrase: MODEL_USER.personalPhrase,
  },
  { type: 'SUBMIT_NEW_PASSWORD', password: MODEL_USER.newPassword, confirmation: 'model-new-password-2' },
  { type: 'FORGOT_PASSWORD', username: '' },
  { type: 'SUBMIT_SECRET_ANSWER', answer: ' ' },
  { type: 'SUBMIT_RESET_CODE', code: '' },
];

/** The user events of the model: every event, with a valid and a refused payload where it has one. */
export const MODEL_USER_EVENTS: readonly ModelUserEvent[] = [
  { type: 'SUBMIT_CREDENTIALS', username: MODEL_USER.username, password: MODEL_USER.password },
  { type: 'SUBMIT_PIN', pin: MODEL_USER.pin },
  { type: 'SUBMIT_VERIFICATION_CODE', code: MODEL_USER.code },
  { type: 'RESEND_CODE' },
  {
    type: 'SUBMIT_NEW_PIN',
    pin: MODEL_USER.newPin,
    imageName: MODEL_USER.imageName,
    personalPhrase: MODEL_USER.personalPhrase,
  },
  {
    type: 'SUBMIT_NEW_PASSWORD',
    password: MODEL_USER.newPassword,
    confirmation: MODEL_USER.newPassword,
  },
  { type: 'FORGOT_PASSWORD', username: MODEL_USER.username },
  { type: 'SUBMIT_SECRET_ANSWER', answer: MODEL_USER.secretAnswer },
  { type: 'SUBMIT_RESET_CODE', code: MODEL_USER.resetCode },
  ...REFUSED,
  { type: 'CANCEL' },
  { type: 'RETRY' },
  { type: 'LOGOUT' },
];

/** True for a model user event whose payload the machine refuses before sending. */
export function isRefusedModelEvent(event: AnyEventObject): boolean {
  return (REFUSED as readonly AnyEventObject[]).includes(event);
}

/** Every event of the model: the user's, the servers' answers, the waits' ends and the session's ends. */
export const MODEL_EVENTS: readonly AnyEventObject[] = [
  ...MODEL_USER_EVENTS,
  ...MODEL_OUTCOMES.map((outcome) => outcome.event),
  ...Object.values(MODEL_WAIT_EVENTS),
  ...Object.values(MODEL_SESSION_EVENTS),
  ...Object.values(MODEL_OTHER_TAB_EVENTS),
  MODEL_API_SUCCESS_EVENT,
];

/** Where a path starts: a fresh actor, or one created with `persist` holding a valid stored session. */
export type ModelStart = 'fresh' | 'restored';

/** Both starts, in the order the paths are generated from. */
export const MODEL_STARTS: readonly ModelStart[] = ['fresh', 'restored'];

/** The `maxSteps` the paths are generated for, and `createModelMachine` runs with, unless told otherwise. */
export const MODEL_MAX_STEPS = 2;

/**
 * The model's settings beside `maxSteps`: a warning `MODEL_SESSION_WARNING_MS` before the end, and a sliding
 * session (each successful API call moves the end on). `createModelMachine` runs with the same.
 */
export const MODEL_SESSION_SETTINGS = {
  sessionWarning: MODEL_SESSION_WARNING_MS,
  slidingSession: true,
} as const;

/**
 * The bare machine the model is played to (no I/O): the shipped chart with `maxSteps` and the model's session
 * settings, and for a `restored` start the model's stored session already restored.
 */
export function bareModelMachine(maxSteps: number, start: ModelStart) {
  // Settings are the machine's input, not replaced code: only the restore (storage, I/O) is provided.
  return etnaAuthMachineWith({ ...DEFAULT_SETTINGS, ...MODEL_SESSION_SETTINGS, maxSteps }).provide({
    actions:
      start === 'restored'
        ? {
            restoreSession: assign({
              sessionToken: () => new Secret(MODEL_SESSION_TOKEN),
              sessionExpiresAt: () => Date.now() + DEFAULT_SESSION_LIFETIME_MS,
              username: () => MODEL_USER.username,
            }),
          }
        : {},
  });
}

export type BareModelMachine = ReturnType<typeof bareModelMachine>;

/** A snapshot of the login machine, bare or with its services. */
export type ModelSnapshot = AnyMachineSnapshot & { context: EtnaAuthContext };

/** What a UI shows after a step: the public part of the snapshot. */
export interface ModelExpectation {
  /** `idle`, `authenticating`, `expecting.securityPin`, … */
  readonly state: string;
  readonly busy: boolean;
  readonly username: string | undefined;
  readonly step: string | undefined;
  readonly reason: string | undefined;
  readonly failure: EtnaAuthFailure | undefined;
  /** `context.error` without its message (whose wording is not part of the contract). */
  readonly error: Omit<EtnaAuthErrorData, 'message'> | undefined;
  readonly hasToken: boolean;
  /** The PIN prompt's anti-phishing phrase, and its picture's file name. */
  readonly personalPhrase: string | undefined;
  readonly securityImage: string | undefined;
  /** The file names of the security images offered in `pinSetup.choosing`. */
  readonly securityImages: readonly string[] | undefined;
  readonly secretQuestion: string | undefined;
  /** The server's `Errors` of the last refused call beside `/token`. */
  readonly serverErrors: readonly string[] | undefined;
  /** True on the code prompt after a resend: the earlier code no longer works. */
  readonly codeResent: boolean;
  /** `snapshot.can({ type: 'RETRY' })`: false during a rate limit's wait. */
  readonly canRetry: boolean;
  /** `snapshot.can({ type: 'RESEND_CODE' })`: false during the cooldown. */
  readonly canResend: boolean;
  /** `snapshot.hasTag('endingSoon')`: the session ends within the warning; a re-login is offered. */
  readonly endingSoon: boolean;
}

/** `idle`, `expecting.securityPin`, …: a state value as one dotted name. */
export function stateValueName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? ['', ''];
  return `${key}.${stateValueName(child)}`;
}

/** The expectation a snapshot of the model implies. */
export function expectationOf(snapshot: ModelSnapshot): ModelExpectation {
  const { context } = snapshot;
  let error: ModelExpectation['error'];
  if (context.error) {
    const { message: _message, ...rest } = context.error;
    error = rest;
  }
  return {
    state: stateValueName(snapshot.value),
    busy: snapshot.hasTag('busy'),
    username: context.username,
    step: context.step,
    reason: context.reason,
    failure: context.failure,
    error,
    hasToken: snapshot.matches('succeeded') && context.sessionToken !== undefined,
    personalPhrase: context.personalPhrase,
    securityImage: context.securityImage?.fileName,
    securityImages: context.securityImages?.map((image: SecurityImage) => image.fileName),
    secretQuestion: context.secretQuestion,
    serverErrors: context.serverErrors,
    codeResent: context.codeResent,
    canRetry: snapshot.can({ type: 'RETRY' }),
    canResend: snapshot.can({ type: 'RESEND_CODE' }),
    endingSoon: snapshot.hasTag('endingSoon'),
  };
}

/** Which wait's end an event of the model is, if it is one. */
export function waitEndOf(event: AnyEventObject): ModelWait | undefined {
  return (Object.keys(MODEL_WAIT_EVENTS) as ModelWait[]).find((wait) => MODEL_WAIT_EVENTS[wait] === event);
}

/** Which other tab's action an event of the model is, if it is one. */
export function otherTabOf(event: AnyEventObject): ModelOtherTab | undefined {
  return (Object.keys(MODEL_OTHER_TAB_EVENTS) as ModelOtherTab[]).find(
    (action) => MODEL_OTHER_TAB_EVENTS[action] === event,
  );
}

/** Which session end an event of the model is, if it is one. */
export function sessionEndOf(event: AnyEventObject): ModelSessionEnd | undefined {
  return (Object.keys(MODEL_SESSION_EVENTS) as ModelSessionEnd[]).find(
    (end) => MODEL_SESSION_EVENTS[end] === event,
  );
}

/** How an event of the model reads in a path's description and a coverage target: `server: failed`, `SUBMIT_PIN(refused)`. */
export function describeEvent(event: AnyEventObject): string {
  const outcome = MODEL_OUTCOMES.find((candidate) => candidate.event === event);
  if (outcome) return `server: ${outcome.name}`;
  const end = sessionEndOf(event);
  if (end) return `session: ${end}`;
  const tab = otherTabOf(event);
  if (tab) return `other tab: ${tab}`;
  if (event === MODEL_API_SUCCESS_EVENT) return 'api: call succeeded';
  const wait = waitEndOf(event);
  if (wait) return `time: ${wait} allowed`;
  const payload = Object.entries(event).filter(([key]) => key !== 'type');
  if (payload.length === 0) return event.type;
  return `${event.type}(${isRefusedModelEvent(event) ? 'refused' : 'valid'})`;
}

/** What the fake server must answer the request a user step starts; `injectServerAnswer` queues it. */
export interface ModelServerAnswer {
  readonly endpoint: ModelEndpoint;
  readonly fault: FakeFault;
}

export type ModelStep =
  | {
      readonly kind: 'user';
      readonly event: ModelUserEvent;
      /**
       * When the event starts a request (`/token`, `/logout` on LOGOUT, or a call beside them): its answer.
       * Inject it before sending (`injectServerAnswer` does, with `followingAnswers`).
       */
      readonly serverAnswer: ModelServerAnswer | undefined;
      /**
       * The answers of the requests that the server steps right after this one start by themselves (the login
       * after a PIN set-up or a password change), in order; inject them with `serverAnswer`.
       */
      readonly followingAnswers: readonly ModelServerAnswer[];
      readonly expected: ModelExpectation;
    }
  | { readonly kind: 'server'; readonly outcome: string; readonly expected: ModelExpectation }
  /**
   * A wait ends by the machine's own timer: advance the clock to `context.retryAvailableAt` (`retry`),
   * `context.resendAvailableAt` (`resend`) or `MODEL_SESSION_WARNING_MS` before `context.sessionExpiresAt`
   * (`warning`).
   */
  | { readonly kind: 'wait'; readonly until: ModelWait; readonly expected: ModelExpectation }
  /**
   * The session ends without the user: for `expired`, advance the clock by the session lifetime; for
   * `revoked`, call the API through `createEtnaClient` and let the 401 end it.
   */
  | { readonly kind: 'session'; readonly end: ModelSessionEnd; readonly expected: ModelExpectation }
  /**
   * Another tab sharing the storage acts: for `login`, it stores a session (the model's token, ending a second
   * before the one this tab holds, if any); for `logout`, it removes the stored session. Write it through a
   * second view of the same storage (`createModelMachine`'s `otherTab`; in a browser, `localStorage` and a
   * message on `SESSION_CHANNEL`).
   */
  | { readonly kind: 'otherTab'; readonly action: ModelOtherTab; readonly expected: ModelExpectation }
  /** Call the API through `createEtnaClient` and let the server answer 200 (`injectApi`): the end moves on. */
  | { readonly kind: 'apiCall'; readonly expected: ModelExpectation };

export interface ModelPath {
  /** One line: the events in order. */
  readonly description: string;
  readonly start: ModelStart;
  /** What the UI shows before the first step (for `restored`: already logged in). */
  readonly initial: ModelExpectation;
  readonly steps: readonly ModelStep[];
}

export interface ModelPathsOptions {
  /**
   * The `maxSteps` of the machine the paths are run against.
   * @default 2 (`MODEL_MAX_STEPS`)
   */
  readonly maxSteps?: number;
}
