import { EtnaAuthError } from './etna-auth-error.js';

/** HTTP 429. `retryAfterMs` comes from `Retry-After` when the server sent a usable one. */
export class RateLimitedError extends EtnaAuthError {
  override name = 'RateLimitedError';

  constructor(retryAfterMs: number | undefined) {
    const wait = retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(retryAfterMs / 1000)} s`;
    super('rateLimited', `too many login attempts${wait}`, 429, retryAfterMs);
  }
}
