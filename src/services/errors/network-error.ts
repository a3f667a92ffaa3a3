import { EtnaAuthError } from './etna-auth-error.js';

/** No answer: the connection was refused, dropped or reset, or DNS failed. */
export class NetworkError extends EtnaAuthError {
  override name = 'NetworkError';

  constructor(message = 'the server could not be reached') {
    super('network', message);
  }
}
