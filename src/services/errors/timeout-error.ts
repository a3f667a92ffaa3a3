import { EtnaAuthError } from './etna-auth-error.js';

/** No complete answer within the configured `timeout`. */
export class TimeoutError extends EtnaAuthError {
  override name = 'TimeoutError';

  constructor(timeoutMs: number) {
    super('timeout', `no answer within ${timeoutMs} ms`);
  }
}
