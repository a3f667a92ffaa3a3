import { EtnaAuthError } from './etna-auth-error.js';

/**
 * HTTP 429. `retryAfterMs` comes from `Retry-After` when the server sent a usable one. `what` names what there
 * were too many of: login attempts for `/token` (the default), plain requests for the calls beside it.
 */
export class RateLimitedError extends EtnaAuthError {
  override name = 'RateLimitedError';

  constructor(retryAfterMs: number | undefined, what = 'too many login attempts') {
    const wait = retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(retryAfterMs / 1000)} s`;
    super('rateLimited', `${what}${wait}`, 429, retryAfterMs);
  }
}
