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
