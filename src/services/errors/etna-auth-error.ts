import type { EtnaAuthErrorData, EtnaAuthErrorKind } from '../../contract/auth-error.js';

/**
 * The one error class of the `/token` and `/logout` services; `kind` is what to branch on (the machine copies
 * it into `context.error` as plain data). A service you `.provide()` yourself rejects with one too:
 * `throw new EtnaAuthError('network', 'the broker is unreachable')`.
 * @example requestToken: fromPromise(async () => { throw new EtnaAuthError('network', 'The server could not be reached.'); })
 */
export class EtnaAuthError extends Error implements EtnaAuthErrorData {
  override name = 'EtnaAuthError';
  readonly kind: EtnaAuthErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(kind: EtnaAuthErrorKind, message: string, status?: number, retryAfterMs?: number) {
    super(message);
    this.kind = kind;
    if (status !== undefined) this.status = status;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}
