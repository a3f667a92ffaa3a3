// The chart's shared setup: its types, its actors (the requests and timers, derived from the one list of calls),
// and the guards and actions that more than one region uses. Each region extends it with its own
// (`regionImplementations`), and etna-auth-machine.ts composes them.
import type { ActionFunction, EventObject, GuardPredicate, ParameterizedObject, ProvidedActor } from 'xstate';
import { assertEvent, assign, fromCallback, fromPromise, setup } from 'xstate';
import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import { isEtnaAuthErrorData, toErrorData } from '../contract/auth-error.js';
import type { JourneyCall, JourneyModels, JourneyRequests } from '../contract/calls.js';
import { JOURNEY_CALL_NAMES } from '../contract/calls.js';
import type { JourneyAnswer, JourneyRefusal } from '../contract/journey.js';
import type { Secret } from '../contract/secret.js';
import type { StoredSession } from '../contract/session.js';
import type {
  PasswordChangeAnswer,
  PinSetupAnswer,
  StepAnswer,
  SucceededAnswer,
  TokenAnswer,
  TokenRequest,
} from '../contract/token-request.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS } from '../defaults.js';
import { callAnswer, refusal } from './answers.js';
import { continuation, credentials } from './attempt.js';
import type { EtnaAuthContext } from './context.js';
import { ATTEMPT_OVER, NOTHING_HELD } from './context.js';
import { inputProblemOf, secretOf } from './input-problems.js';
import { fromRequest, held, INTERRUPTED_BY_RESTORE } from './restore-safe.js';
import { countdown, sessionClock } from './session-timer.js';
import type { EtnaAuthEvent, EtnaRetryTarget } from './types.js';

/**
 * The id of the invoked `/token` actor: its events are `xstate.done.actor.requestToken` and `xstate.error.actor.requestToken`.
 * @example actor.send({ type: `xstate.done.actor.${REQUEST_TOKEN_ID}`, output: answer });
 */
export const REQUEST_TOKEN_ID = 'requestToken';
/**
 * The id of the invoked logout actor (`POST /logout`, or nothing when server logout is off).
 * @example actor.send({ type: `xstate.done.actor.${LOGOUT_ID}` });
 */
export const LOGOUT_ID = 'logout';

/** A request of the bare machine: there is no service; createEtnaAuthMachine provides them. */
const noService = <TOutput, TInput>(name: string) =>
  fromRequest<TOutput, TInput>(
    () => Promise.reject(new Error(`no ${name} service: use createEtnaAuthMachine`)),
    () => Promise.reject(INTERRUPTED_BY_RESTORE),
  );

type JourneyActors = {
  readonly [K in JourneyCall]: ReturnType<
    typeof noService<JourneyAnswer<JourneyModels[K]>, JourneyRequests[K]>
  >;
};

/** One actor per call beside `/token`, named after it. */
const journeyActors = Object.fromEntries(
  JOURNEY_CALL_NAMES.map((name) => [name, noService(name)]),
) as unknown as JourneyActors;

/** When a wait that a 429 asks for is over, from its error. */
export function rateLimitEnd(error: unknown): number | undefined {
  if (!isEtnaAuthErrorData(error) || error.kind !== 'rateLimited') return undefined;
  return Date.now() + (error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS);
}

/** An error as the context keeps it: plain data. */
export function errorData(error: unknown): EtnaAuthErrorData {
  return isEtnaAuthErrorData(error)
    ? toErrorData(error)
    : { kind: 'network', message: 'the request failed for an unknown reason' };
}

/** What an Expecting answer leaves in the context: its step, and only the credentials for the next request. */
export const stepRecord = (context: EtnaAuthContext, answer: StepAnswer) => ({
  request: context.request && credentials(context.request.username, context.request.password),
  step: answer.step,
  reason: answer.reason,
  interimToken: answer.interimToken,
  stepCount: context.stepCount + 1,
  personalPhrase: answer.personalPhrase,
  securityImage: answer.securityImage,
  codeResent: false,
});

/** A request that failed for want of an answer, and which one it was. */
export interface FailedRequest {
  readonly error: unknown;
  readonly request: EtnaRetryTarget;
}

export const machineSetup = setup({
  types: {
    context: {} as EtnaAuthContext,
    events: {} as EtnaAuthEvent,
  },
  actors: {
    requestToken: noService<TokenAnswer, TokenRequest>('/token'),
    // Local logout: nothing to tell the server. createEtnaAuthMachine provides `POST /logout`.
    logout: fromRequest<void, Secret>(
      async () => {},
      () => Promise.resolve(),
    ),
    ...journeyActors,
    // A storage that answers later: the session it holds, read at start (none in the bare machine).
    readStoredSession: fromPromise<StoredSession | undefined>(async () => undefined),
    countdown,
    sessionClock,
    // What the other tabs do to the session: spawned by the `restoreSession` that createEtnaAuthMachine provides
    // when `persist` is shared by tabs (nothing runs without such a storage).
    sessionSync: fromCallback(() => undefined),
  },
  guards: {
    submissionRejected: ({ context, event }) => inputProblemOf(event, context) !== undefined,
    // The parser routed each answer once; these read its decision.
    answerSucceeded: (_, answer: TokenAnswer) => answer.state === 'succeeded',
    answerFailed: (_, answer: TokenAnswer) => answer.state === 'failed',
    answerAsksForPinSetup: (_, answer: TokenAnswer) => answer.state === 'pinSetup',
    answerAsksForPasswordChange: (_, answer: TokenAnswer) => answer.state === 'passwordChange',
    answerAsksForPin: (_, answer: TokenAnswer) =>
      answer.state === 'expecting' && answer.next === 'securityPin',
    tooManySteps: ({ context }) => context.stepCount >= context.settings.maxSteps,
    callRefused: (_, answer: JourneyAnswer<unknown>) => !answer.ok,
    waitingToRetry: ({ context }) => context.retryAvailableAt !== undefined,
  },
  actions: {
    rejectSubmission: assign({ error: ({ context, event }) => inputProblemOf(event, context) }),
    // The answer of the step before is sent and answered: only the credentials are kept for the next one.
    recordStep: assign(({ context }, answer: StepAnswer) => stepRecord(context, answer)),
    sendPin: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT_PIN');
      return {
        error: undefined,
        personalPhrase: undefined,
        securityImage: undefined,
        interimToken: undefined,
        request: continuation(context, 'securityPin', event.pin),
      };
    }),
    sendVerificationCode: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT_VERIFICATION_CODE');
      return {
        error: undefined,
        interimToken: undefined,
        request: continuation(context, 'verificationCode', event.code),
      };
    }),
    // The session from a Succeeded answer, with its end.
    storeSession: assign(({ context }, answer: SucceededAnswer) => ({
      ...ATTEMPT_OVER,
      step: undefined,
      reason: undefined,
      failure: undefined,
      error: undefined,
      sessionToken: answer.token,
      sessionExpiresAt: Date.now() + context.settings.sessionLifetime,
    })),
    stampSession: assign({
      sessionExpiresAt: ({ context }) => Date.now() + context.settings.sessionLifetime,
    }),
    // Provided by createEtnaAuthMachine when `persist` is set: keep, forget, restore and adopt the session.
    persistSession: () => {},
    forgetStoredSession: () => {},
    restoreSession: () => {},
    adoptStoredSession: () => {},
    // Another tab's session, read from the shared storage: this tab holds it from now on.
    adoptSession: assign(({ context, event }) => {
      assertEvent(event, 'SESSION_ADOPTED');
      return {
        ...NOTHING_HELD,
        username: event.username ?? context.username,
        sessionToken: event.token,
        sessionExpiresAt: event.expiresAt,
      };
    }),
    abandonAttempt: assign(({ context }) => ({ ...NOTHING_HELD, username: context.username })),
    recordError: assign((_, { error, request }: FailedRequest) => ({
      error: errorData(error),
      retryAvailableAt: rateLimitEnd(error),
      failedRequest: request,
    })),
    // The refused request is of no more use: the form builds the next one.
    recordRefusal: assign((_, { errors }: JourneyRefusal) => ({ serverErrors: errors, calls: {} })),
    allowRetry: assign({ retryAvailableAt: undefined }),
    // Hand-overs from a `/token` answer to the journey it asks for; the credentials are kept for the login after it.
    startPinSetup: assign(({ context }, answer: PinSetupAnswer) => ({
      ...ATTEMPT_OVER,
      step: answer.step,
      reason: answer.reason,
      request: context.request && credentials(context.request.username, context.request.password),
      pinSetupTokens: { token: answer.token, confirmationToken: answer.confirmationToken },
      calls: { securityImages: { token: answer.token } },
    })),
    startPasswordChange: assign((_, answer: PasswordChangeAnswer) => ({
      ...ATTEMPT_OVER,
      step: answer.step,
      reason: answer.reason,
      passwordToken: answer.confirmationToken,
    })),
    // The new password of an expired password's change or of a reset's end, with the token that changes it.
    sendNewPassword: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT_NEW_PASSWORD');
      const { passwordToken } = context;
      return {
        error: undefined,
        serverErrors: undefined,
        calls: passwordToken && {
          passwordChange: {
            token: passwordToken,
            password: secretOf(event.password),
            confirmation: secretOf(event.confirmation),
          },
        },
      };
    }),
    // After a password change or reset: the login with the new password.
    loginWithNewPassword: assign(({ context }) => ({
      ...ATTEMPT_OVER,
      step: undefined,
      reason: undefined,
      serverErrors: undefined,
      request:
        context.calls.passwordChange &&
        credentials(context.username ?? '', context.calls.passwordChange.password),
    })),
  },
});

type Params = Record<string, ParameterizedObject['params'] | undefined>;
type ParameterizedOf<T extends Params> = {
  [K in keyof T as K & string]: { type: K & string; params: T[K] };
}[keyof T & string];
/** The shared setup's actors, actions and guards, as an action's type sees them. */
type SetupAction = Parameters<typeof machineSetup.createAction>[0];
type Shared<TWhich extends 'actor' | 'action' | 'guard'> =
  SetupAction extends ActionFunction<
    EtnaAuthContext,
    EtnaAuthEvent,
    EtnaAuthEvent,
    unknown,
    infer TActor extends ProvidedActor,
    infer TAction extends ParameterizedObject,
    infer TGuard extends ParameterizedObject,
    never,
    EventObject
  >
    ? { actor: TActor; action: TAction; guard: TGuard }[TWhich]
    : never;

/**
 * A region's own actions and guards, typed against the machine's context and events: the region extends the
 * shared setup with them (`machineSetup.extend(…)`) to write its states, and the machine extends it with every
 * region's.
 */
export function regionImplementations<
  TActions extends Params = Record<never, undefined>,
  TGuards extends Params = Record<never, undefined>,
>(implementations: {
  readonly actions?: {
    [K in keyof TActions]: ActionFunction<
      EtnaAuthContext,
      EtnaAuthEvent,
      EtnaAuthEvent,
      TActions[K],
      Shared<'actor'>,
      Shared<'action'> | ParameterizedOf<TActions>,
      Shared<'guard'> | ParameterizedOf<TGuards>,
      never,
      EventObject
    >;
  };
  readonly guards?: {
    [K in keyof TGuards]: GuardPredicate<
      EtnaAuthContext,
      EtnaAuthEvent,
      TGuards[K],
      Shared<'guard'> | ParameterizedOf<TGuards>
    >;
  };
}) {
  return { actions: implementations.actions ?? {}, guards: implementations.guards ?? {} } as {
    readonly actions: NonNullable<typeof implementations.actions>;
    readonly guards: NonNullable<typeof implementations.guards>;
  };
}

type ErrorEvent = { readonly event: { readonly error: unknown } };

/**
 * A request's transport failure: to `error`, remembering which request failed, so that RETRY sends it again
 * (`meta.retry` names it for the table of RETRY read off the chart).
 */
export function failsToError<const TRequest extends EtnaRetryTarget>(request: TRequest) {
  return {
    target: '#etnaAuth.error',
    meta: { retry: request },
    actions: {
      type: 'recordError',
      params: ({ event }: ErrorEvent): FailedRequest => ({ error: event.error, request }),
    },
  } as const;
}

/**
 * A form's submission: refused in place (`context.error`, kind `input`) when a value cannot be sent, else on to
 * `target` with `action`, which keeps what the request needs.
 */
export function submitted<const TTarget extends string, const TAction>(target: TTarget, action: TAction) {
  return [
    { guard: 'submissionRejected', actions: 'rejectSubmission' },
    { target, actions: action },
  ] as const;
}

/**
 * A call beside `/token` whose refusal goes back to its form with the server's Errors, whose success goes on
 * (`done`), and whose transport problem goes to `error`, from where RETRY sends it again. `retry` names it there
 * (the call's own name, unless one call is made from two states).
 */
export function sideCall<const TCall extends JourneyCall, const TForm extends string, const TDone>(
  call: TCall,
  form: TForm,
  done: TDone,
  retry: EtnaRetryTarget = call,
) {
  return {
    id: call,
    src: call,
    input: ({ context }: { context: EtnaAuthContext }) =>
      held<JourneyRequests[TCall]>(context.calls[call], call),
    onDone: [
      {
        guard: { type: 'callRefused', params: callAnswer },
        target: form,
        actions: { type: 'recordRefusal', params: refusal },
      },
      done,
    ],
    onError: failsToError(retry),
  } as const;
}
