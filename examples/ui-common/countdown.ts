// The once-a-second count of a wait the machine holds (`context.resendAvailableAt`, `context.retryAvailableAt`,
// the session's end `context.sessionExpiresAt` while it ends soon):
// the machine's own timer ends the wait; the screen only counts it down.

/** Whole seconds left until `at` (epoch ms), rounded up; 0 once it has passed. */
export function secondsLeft(at: number, now: number = Date.now()): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Seconds as `M:SS` (`1:00`, `0:59`), for a wait of minutes: the end of a session. */
export function clockText(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/**
 * Calls `tick` with the seconds left until `at` each time that number changes (at each whole second before it),
 * and stops after it reaches 0. Returns the function that stops it: call it when the countdown leaves the screen.
 */
export function startCountdown(at: number, tick: (seconds: number) => void): () => void {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const next = () => {
    const left = at - Date.now();
    if (left <= 0) {
      handle = undefined;
      return;
    }
    // Wake just after the count changes: when `left` crosses the next whole second.
    handle = setTimeout(
      () => {
        tick(secondsLeft(at));
        next();
      },
      (left % 1000 || 1000) + 1,
    );
  };
  next();
  return () => clearTimeout(handle);
}
