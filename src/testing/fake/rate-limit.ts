/**
 * A sliding-window limit: at most `requests` in any `windowMs`.
 * @example await startFakeEtnaServer({ rateLimit: { requests: 3, windowMs: 60_000 } })
 */
export interface FakeRateLimit {
  readonly requests: number;
  readonly windowMs: number;
}

/**
 * Counts hits per key; returns undefined when a hit is allowed (and counts it), or the seconds until the window
 * frees (at least 1) when it is refused (refused hits are not counted). Without a limit every hit is allowed.
 */
export function createRateLimiter(limit: FakeRateLimit | undefined): (key: string) => number | undefined {
  const hits = new Map<string, number[]>();
  return (key) => {
    if (limit === undefined) return undefined;
    const now = Date.now();
    const recent = (hits.get(key) ?? []).filter((at) => now - at < limit.windowMs);
    const oldest = recent[0];
    if (recent.length >= limit.requests && oldest !== undefined) {
      hits.set(key, recent);
      return Math.max(1, Math.ceil((oldest + limit.windowMs - now) / 1000));
    }
    if (recent.length >= limit.requests) return Math.max(1, Math.ceil(limit.windowMs / 1000)); // requests <= 0
    recent.push(now);
    hits.set(key, recent);
    return undefined;
  };
}
