/** One request's abort: the caller's signal or the timeout, whichever comes first. */
interface Deadline {
  /** Aborts when the caller aborts or the time is up; hand it to fetch. */
  readonly signal: AbortSignal;
  /** Rejects on abort, so a race settles even when a replacement fetch or its body ignores the signal. */
  readonly aborted: Promise<never>;
  /** True once the time ran out (rather than the caller aborting). */
  timedOut(): boolean;
  /** Stops the timer and lets go of the caller's signal; call it when the request is over. */
  clear(): void;
}

export function startDeadline(timeout: number, signal: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeout);
  // Listened to before the caller's signal is read, so a signal aborted already rejects it too.
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  aborted.catch(() => {});
  const abort = () => controller.abort();
  signal?.addEventListener('abort', abort, { once: true });
  if (signal?.aborted) abort();
  return {
    signal: controller.signal,
    aborted,
    timedOut: () => timedOut,
    clear: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    },
  };
}
