// The outcomes region: `failed` (the server ended the attempt: start again from the form) and `error` (no usable
// answer: send the same request again, or give up). RETRY's table is not written here: it is read off the
// composed chart, one row per state whose request fails into `error`, so a new call is retried by itself.
import { and, assign } from 'xstate';
import { machineSetup, regionImplementations } from '../setup.js';

export const outcomeImplementations = regionImplementations({
  guards: {
    // Retrying cannot fix a wrong application key: it would only send the same key again. After a 429,
    // not before its Retry-After has passed.
    retryable: ({ context }) => context.error?.kind !== 'appKey' && context.retryAvailableAt === undefined,
    failedRequestWas: ({ context }, request: string) => context.failedRequest === request,
  },
  actions: {
    clearError: assign({ error: undefined, retryAvailableAt: undefined, failedRequest: undefined }),
  },
});

const region = machineSetup.extend(outcomeImplementations);

export const failed = () =>
  region.createStateConfig({
    meta: { region: 'outcomes' },
    // Start again from the form, the username kept; one way out, so RETRY and CANCEL cannot differ by accident.
    on: {
      RETRY: { target: 'idle', actions: 'abandonAttempt' },
      SESSION_ADOPTED: { target: 'succeeded', actions: 'adoptSession' },
    },
  });

/** A state whose request, failing, leads to `error`: which request it is (`EtnaRetryTarget`), and its path. */
export interface RetryPoint {
  readonly request: string;
  readonly path: string;
}

interface StateConfigShape {
  readonly invoke?: unknown;
  readonly states?: Readonly<Record<string, StateConfigShape>>;
}

/** Which request an invoke is, if its failure leads to `error` (`failsToError` names it in `meta.retry`). */
function failsToErrorOf(invoke: unknown): string | undefined {
  const { onError } = (invoke ?? {}) as { onError?: unknown };
  const transitions = [onError].flat() as { target?: unknown; meta?: { retry?: unknown } }[];
  const retry = transitions.find((t) => t?.target === '#etnaAuth.error')?.meta?.retry;
  return typeof retry === 'string' ? retry : undefined;
}

/**
 * Every state of `states` (and below) whose request fails into `error`, by the request's name. Two states with
 * one name would make RETRY ambiguous: refused, naming it.
 */
export function retryPointsOf(states: Readonly<Record<string, object>>, prefix = ''): RetryPoint[] {
  const points = Object.entries(states).flatMap(([key, state]) => {
    const { invoke, states: children } = state as StateConfigShape;
    const path = `${prefix}${key}`;
    const request = [invoke].flat().map(failsToErrorOf).find(Boolean);
    const own = request === undefined ? [] : [{ request, path }];
    return [...own, ...(children ? retryPointsOf(children, `${path}.`) : [])];
  });
  const ids = points.map((point) => point.request);
  const twice = ids.find((id, index) => ids.indexOf(id) !== index);
  if (twice !== undefined) throw new Error(`two states fail into error with the request ${twice}`);
  return points;
}

/** `error`, whose RETRY sends the failed request again from its own state (one of `points`). */
export function errorState(points: readonly RetryPoint[]) {
  return region.createStateConfig({
    meta: { region: 'outcomes' },
    // After a 429, offers RETRY again once its Retry-After has passed.
    invoke: {
      src: 'countdown',
      input: ({ context }) => ({ at: context.retryAvailableAt, type: 'RETRY_ALLOWED' as const }),
    },
    on: {
      RETRY: points.map(({ request, path }) => ({
        guard: and(['retryable', { type: 'failedRequestWas', params: request }]),
        target: `#etnaAuth.${path}`,
        actions: 'clearError',
      })),
      RETRY_ALLOWED: { guard: 'waitingToRetry', actions: 'allowRetry' },
      CANCEL: { target: 'idle', actions: 'abandonAttempt' },
      // Another tab logged in: no need to send this tab's request again.
      SESSION_ADOPTED: { target: 'succeeded', actions: 'adoptSession' },
    },
  });
}
