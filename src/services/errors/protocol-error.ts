import { EtnaAuthError } from './etna-auth-error.js';

/** An answer that is not a valid `/token` answer: malformed, inconsistent or incomplete. */
export class ProtocolError extends EtnaAuthError {
  override name = 'ProtocolError';

  constructor(message: string, status?: number) {
    super('protocol', message, status);
  }
}
