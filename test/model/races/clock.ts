// The race's clock: XState's SimulatedClock for the machine's timers, and the wall clock Date.now() follows.
import { SimulatedClock } from 'xstate';
import { RaceViolation } from './invariants.js';

/** The wall clock at the start of every race. */
const RACE_START = Date.UTC(2026, 0, 5, 9, 0, 0);

/**
 * A SimulatedClock that knows when its timers are due and fires each at its own time (the wall clock at that time,
 * too). A timer due at once is a task of its own (`dueNow`), as a real event loop runs it: a click may come first.
 */
export function raceClock(dueNow: () => void) {
  const simulated = new SimulatedClock();
  const due = new Map<unknown, number>();
  return {
    setTimeout(fn: (...args: unknown[]) => void, timeout: number) {
      const id: unknown = simulated.setTimeout(() => {
        due.delete(id);
        fn();
      }, timeout);
      due.set(id, simulated.now() + timeout);
      if (timeout <= 0) dueNow();
      return id as ReturnType<typeof simulated.setTimeout>;
    },
    clearTimeout(id: unknown) {
      due.delete(id);
      simulated.clearTimeout(id as ReturnType<typeof simulated.setTimeout>);
    },
    /** Date.now() in the race. */
    now: () => RACE_START + simulated.now(),
    /** Milliseconds until the last timer set is due, if any. */
    untilLast: (): number | undefined =>
      due.size === 0 ? undefined : Math.max(...due.values()) - simulated.now(),
    advance(ms: number): void {
      const target = simulated.now() + ms;
      for (let fired = 0; ; fired++) {
        if (fired > 1_000) throw new RaceViolation('the timers keep firing');
        const next = Math.min(...[...due.values()].filter((at) => at <= target));
        if (!Number.isFinite(next)) break;
        simulated.set(Math.max(next, simulated.now()));
      }
      simulated.set(target);
    },
  };
}

export type RaceClock = ReturnType<typeof raceClock>;
