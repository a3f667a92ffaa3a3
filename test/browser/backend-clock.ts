// The backend's clock for a browser test: it runs at the real pace, as the page's Playwright clock does, and jumps
// forward when the test runs the page's clock on, firing the timers that fall due on the way, in order.

interface Timer {
  readonly fn: () => void;
  readonly due: number;
  real: ReturnType<typeof setTimeout>;
}

/** A clock for `createEtnaBff({ clock })` that `fastForward` runs on with the page's. */
export interface BackendClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** Runs the clock on by `ms`: every timer due by then fires, the earliest first. */
  fastForward(ms: number): void;
}

export function createBackendClock(): BackendClock {
  let offset = 0;
  let nextId = 1;
  const timers = new Map<number, Timer>();
  const now = () => Date.now() + offset;
  const fire = (id: number) => {
    const timer = timers.get(id);
    if (!timer) return;
    timers.delete(id);
    clearTimeout(timer.real);
    timer.fn();
  };
  const arm = (id: number, timer: Timer) => {
    clearTimeout(timer.real);
    timer.real = setTimeout(() => fire(id), Math.max(0, timer.due - now()));
  };
  return {
    setTimeout(fn, ms) {
      const id = nextId++;
      const timer: Timer = { fn, due: now() + Math.max(0, ms), real: setTimeout(() => {}, 0) };
      timers.set(id, timer);
      arm(id, timer);
      return id;
    },
    clearTimeout(id) {
      const timer = timers.get(id as number);
      if (timer) clearTimeout(timer.real);
      timers.delete(id as number);
    },
    fastForward(ms) {
      offset += ms;
      // A timer a firing one sets, due by then, fires too.
      for (;;) {
        const due = [...timers].filter(([, timer]) => timer.due <= now());
        if (due.length === 0) break;
        const [first] = due.sort(([, a], [, b]) => a.due - b.due);
        fire((first as [number, Timer])[0]);
      }
      for (const [id, timer] of timers) arm(id, timer);
    },
  };
}
