import type { AnyActorLogic } from 'xstate';
import { fromPromise } from 'xstate';

/** What a request actor restored mid-flight runs with instead of its input: a marker, never a secret. */
const RESTORED = Symbol('etna-auth.restored');

/** Why a restored request actor did not run: its request had already been sent once, before the snapshot. */
export const INTERRUPTED_BY_RESTORE = {
  kind: 'network',
  message: 'restored mid-request: RETRY sends it again',
} as const;

/** True when a request actor was given the restore marker instead of a request. */
export function isRestoredInput(input: unknown): boolean {
  return input === RESTORED;
}

/**
 * Promise logic that never sends its request again when a snapshot is restored: XState restarts a restored
 * promise actor with its old input, which would resend a password, PIN or code with no user action. Here the
 * restored actor gets the marker instead, and the request function rejects at once (see `isRestoredInput`).
 */
export function restoreSafe<TLogic extends AnyActorLogic>(logic: TLogic): TLogic {
  return {
    ...logic,
    restoreSnapshot: (snapshot: unknown, scope: unknown) => {
      const restored = logic.restoreSnapshot
        ? (logic.restoreSnapshot as (s: unknown, a: unknown) => unknown)(snapshot, scope)
        : snapshot;
      const state = restored as { status?: unknown };
      return state.status === 'active' ? { ...state, input: RESTORED } : restored;
    },
  };
}

/**
 * A promise actor for one request that is never re-sent by a restore: `run` sends it; a restored actor
 * calls `restored` instead (reject for `/token`, resolve for a local logout).
 */
export function fromRequest<TOutput, TInput>(
  run: (input: TInput, signal: AbortSignal) => Promise<TOutput>,
  restored: () => Promise<TOutput>,
) {
  return restoreSafe(
    fromPromise<TOutput, TInput>(({ input, signal }) =>
      isRestoredInput(input) ? restored() : run(input, signal),
    ),
  );
}

/**
 * The request a region holds for the state it is in. The chart enters a request's state only with its request
 * held; a state entered without it is a defect of the chart, and says so.
 */
export function held<TRequest>(request: TRequest | undefined, what: string): TRequest {
  if (request === undefined) throw new Error(`the chart holds no ${what} request here`);
  return request;
}
