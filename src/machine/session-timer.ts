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
type TimerEvent = 'SESSION_EXPIRED' | 'SESSION_ENDING_SOON' | 'RETRY_ALLOWED' | 'RESEND_ALLOWED';

/** What `countdown` waits for: a time (epoch ms; undefined waits for nothing) and the event it then sends. */
export interface CountdownInput {
  readonly at: number | undefined;
  readonly type: TimerEvent;
}

/** Sends `fire` at `at` (epoch ms) on the actor's clock, unref'd on Node's timers; returns its stop. */
function at(self: unknown, when: number, fire: () => void): () => void {
  const clock = (self as { clock?: Clock }).clock ?? systemClock;
  const handle: unknown = clock.setTimeout(fire, Math.max(0, when - Date.now()));
  (handle as { unref?: () => void } | undefined)?.unref?.();
  return () => clock.clearTimeout(handle);
}

/**
 * Sends an event to the machine at a time: `RETRY_ALLOWED` when a rate limit's `Retry-After` has passed,
 * `RESEND_ALLOWED` when the resend cooldown is over. It runs on the actor's clock, so a `SimulatedClock` drives it
 * in tests; on Node's own timers it is unref'd, so a script that logs in and returns exits by itself.
 */
export const countdown = fromCallback<{ type: TimerEvent }, CountdownInput>(({ input, self, sendBack }) =>
  input.at === undefined ? undefined : at(self, input.at, () => sendBack({ type: input.type })),
);

/** When the session ends (epoch ms), and when to warn of it (undefined: no warning). */
export interface SessionClockInput {
  readonly endsAt: number;
  readonly warnAt: number | undefined;
}

type Listening = (type: string, listener: () => void) => void;
interface Page {
  readonly addEventListener?: Listening;
  readonly removeEventListener?: Listening;
  readonly document?: {
    readonly visibilityState?: string;
    readonly addEventListener?: Listening;
    readonly removeEventListener?: Listening;
  };
}

/** The window's events after which a timer may have fired late: shown again, focused, back online. */
const WINDOW_WAKE_EVENTS = ['pageshow', 'focus', 'online'] as const;

/**
 * The session's clock, one actor for the whole of `succeeded`: `SESSION_ENDING_SOON` at `warnAt`,
 * `SESSION_EXPIRED` at the end, both on the actor's clock (unref'd on Node: a script that logs in and returns
 * exits by itself instead of waiting 24 hours). It also compares the end with the wall clock whenever the page
 * becomes visible, is shown again from the back-forward cache, gets the focus or comes back online, and sends
 * `SESSION_EXPIRED` at once if the end has passed: timers are paused or late while a computer sleeps or a tab is
 * frozen, and the clock may have been changed. Outside a browser there is nothing to listen to.
 */
export const sessionClock = fromCallback<{ type: TimerEvent }, SessionClockInput>(
  ({ input, self, sendBack }) => {
    const expire = () => sendBack({ type: 'SESSION_EXPIRED' });
    // The end first: when both are due at once, the session ends without a warning.
    const stopEnd = at(self, input.endsAt, expire);
    const stopWarning =
      input.warnAt === undefined
        ? undefined
        : at(self, input.warnAt, () => sendBack({ type: 'SESSION_ENDING_SOON' }));
    const page = globalThis as Page;
    const { document } = page;
    const check = () => {
      if (document?.visibilityState !== 'hidden' && Date.now() >= input.endsAt) expire();
    };
    const listen = (method: 'addEventListener' | 'removeEventListener') => {
      document?.[method]?.('visibilitychange', check);
      for (const type of WINDOW_WAKE_EVENTS) page[method]?.(type, check);
    };
    listen('addEventListener');
    return () => {
      stopWarning?.();
      stopEnd();
      listen('removeEventListener');
    };
  },
);
