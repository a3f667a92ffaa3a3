import {
  BFF_USER_EVENTS,
  type BffContextView,
  type BffLoginView,
  type BffStateValue,
  type BffUserEventType,
} from '../contract/bff.js';
import { Secret } from '../contract/secret.js';
import type { EtnaAuthContext, EtnaAuthEvent } from '../machine/types.js';

/** The part of a login actor's snapshot a view is made from. */
export interface ViewableSnapshot {
  readonly value: unknown;
  readonly tags: ReadonlySet<string>;
  readonly context: EtnaAuthContext;
  can(event: EtnaAuthEvent): boolean;
}

const USER_EVENT_TYPES = Object.keys(BFF_USER_EVENTS) as BffUserEventType[];

/** An event of each type with a payload the machine accepts, to ask `can()`: a state that takes it takes this one. */
function sampleEvent(type: BffUserEventType, context: EtnaAuthContext): EtnaAuthEvent {
  const fields: Record<string, unknown> = { type };
  for (const [field, kind] of Object.entries(BFF_USER_EVENTS[type])) {
    if (kind === 'secret') fields[field] = new Secret('1');
    else fields[field] = field === 'username' ? (context.username ?? 'user') : 'sample';
  }
  return fields as unknown as EtnaAuthEvent;
}

/**
 * What the browser may read of a context: the fields the screens read, copied one by one, so that a field the
 * chart adds later stays on the server until it is listed here. No token, no request, no app key or API root.
 */
export function contextView(context: EtnaAuthContext): BffContextView {
  const { settings } = context;
  return {
    settings: {
      maxSteps: settings.maxSteps,
      sessionLifetime: settings.sessionLifetime,
      resendCooldown: settings.resendCooldown,
      sessionWarning: settings.sessionWarning,
      slidingSession: settings.slidingSession,
    },
    username: context.username,
    step: context.step,
    reason: context.reason,
    failure: context.failure && {
      step: context.failure.step,
      reason: context.failure.reason,
      code: context.failure.code,
    },
    error: context.error && { ...context.error },
    sessionExpiresAt: context.sessionExpiresAt,
    personalPhrase: context.personalPhrase,
    securityImage: context.securityImage && { ...context.securityImage },
    securityImages: context.securityImages?.map((image) => ({ ...image })),
    secretQuestion: context.secretQuestion,
    serverErrors: context.serverErrors && [...context.serverErrors],
    codeResent: context.codeResent,
    resendAvailableAt: context.resendAvailableAt,
    retryAvailableAt: context.retryAvailableAt,
  };
}

/** The view of a snapshot for the browser. */
export function viewOf(snapshot: ViewableSnapshot, login: string, seq: number): BffLoginView {
  const can = {} as Record<BffUserEventType, boolean>;
  for (const type of USER_EVENT_TYPES) can[type] = snapshot.can(sampleEvent(type, snapshot.context));
  return {
    login,
    seq,
    value: snapshot.value as BffStateValue,
    tags: [...snapshot.tags].sort(),
    can,
    context: contextView(snapshot.context),
  };
}

/**
 * The view of a login whose process is gone (restarted or killed mid-login): `error`, as a snapshot restored
 * mid-request shows; RETRY and CANCEL start again from the form, since its password never left that process.
 */
export function lostLoginView(fresh: BffLoginView): BffLoginView {
  const can = Object.fromEntries(USER_EVENT_TYPES.map((type) => [type, false])) as Record<
    BffUserEventType,
    boolean
  >;
  return {
    ...fresh,
    login: 'lost',
    value: 'error',
    tags: [],
    can: { ...can, RETRY: true, CANCEL: true },
    context: {
      ...fresh.context,
      error: {
        kind: 'network',
        message: 'the server that held this login restarted: RETRY starts it again',
      },
    },
  };
}
