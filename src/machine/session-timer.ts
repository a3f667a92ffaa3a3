import { fromCallback } from 'xstate';

/** XState's clock interface (an actor's `clock`: the system's timers, or a `SimulatedClock`). */
interface Clock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

const systemClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/**
 * Sends `SESSION_EXPIRED` to the machine at the session's end time (epoch ms, the input). It runs on the
 * actor's clock, so a `SimulatedClock` drives it in tests; on Node's own timers it is unref'd, so a script
 * that logs in and returns exits by itself instead of waiting 24 hours. A long-lived process still expires it.
 */
export const sessionTimer = fromCallback<{ type: 'SESSION_EXPIRED' }, number>(({ input, self, sendBack }) => {
  const clock = (self as { clock?: Clock }).clock ?? systemClock;
  const handle: unknown = clock.setTimeout(
    () => sendBack({ type: 'SESSION_EXPIRED' }),
    Math.max(0, input - Date.now()),
  );
  (handle as { unref?: () => void } | undefined)?.unref?.();
  return () => clock.clearTimeout(handle);
});

/** What `countdown` waits for: a time (epoch ms; undefined waits for nothing) and the event it then sends. */
export interface CountdownInput {
  readonly at: number | undefined;
  readonly type: 'RETRY_ALLOWED' | 'RESEND_ALLOWED';
}

/**
 * Sends `RETRY_ALLOWED` or `RESEND_ALLOWED` when a wait is over (a rate limit's `Retry-After`, the resend
 * cooldown), on the actor's clock like `sessionTimer`, so the chart offers the event again by itself.
 */
export const countdown = fromCallback<{ type: CountdownInput['type'] }, CountdownInput>(
  ({ input, self, sendBack }) => {
    if (input.at === undefined) return undefined;
    const clock = (self as { clock?: Clock }).clock ?? systemClock;
    const handle: unknown = clock.setTimeout(
      () => sendBack({ type: input.type }),
      Math.max(0, input.at - Date.now()),
    );
    (handle as { unref?: () => void } | undefined)?.unref?.();
    return () => clock.clearTimeout(handle);
  },
);
