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

/** The events the machine's own timers send. */
type TimerEvent = 'SESSION_EXPIRED' | 'RETRY_ALLOWED' | 'RESEND_ALLOWED';

/** What `countdown` waits for: a time (epoch ms; undefined waits for nothing) and the event it then sends. */
export interface CountdownInput {
  readonly at: number | undefined;
  readonly type: TimerEvent;
}

/**
 * Sends an event to the machine at a time: `SESSION_EXPIRED` at the session's end, `RETRY_ALLOWED` when a rate
 * limit's `Retry-After` has passed, `RESEND_ALLOWED` when the resend cooldown is over. It runs on the actor's
 * clock, so a `SimulatedClock` drives it in tests; on Node's own timers it is unref'd, so a script that logs in
 * and returns exits by itself instead of waiting 24 hours. A long-lived process still sees it fire.
 */
export const countdown = fromCallback<{ type: TimerEvent }, CountdownInput>(({ input, self, sendBack }) => {
  if (input.at === undefined) return undefined;
  const clock = (self as { clock?: Clock }).clock ?? systemClock;
  const handle: unknown = clock.setTimeout(
    () => sendBack({ type: input.type }),
    Math.max(0, input.at - Date.now()),
  );
  (handle as { unref?: () => void } | undefined)?.unref?.();
  return () => clock.clearTimeout(handle);
});
