import type { EtnaAuthErrorData, EtnaAuthErrorKind } from '../../contract/auth-error.js';

/** The base of every error the `/token` service rejects with; `kind` is what to branch on. */
export class EtnaAuthError extends Error implements EtnaAuthErrorData {
  override name = 'EtnaAuthError';
  readonly kind: EtnaAuthErrorKind;
  readonly status?: number;

  constructor(kind: EtnaAuthErrorKind, message: string, status?: number) {
    super(message);
    this.kind = kind;
    if (status !== undefined) this.status = status;
  }
}
