import { EtnaAuthError } from './etna-auth-error.js';

/** An answer whose status this protocol does not use, such as a 500 or a 404 page. */
export class HttpStatusError extends EtnaAuthError {
  override name = 'HttpStatusError';

  constructor(status: number) {
    super('http', `the server answered with HTTP ${status}`, status);
  }
}
