import { EtnaAuthError } from './etna-auth-error.js';

/** The server refused the application key: a configuration problem, not the user's. Never retried by itself. */
export class AppKeyError extends EtnaAuthError {
  override name = 'AppKeyError';

  constructor(status: number) {
    super('appKey', `the server refused the application key (HTTP ${status})`, status);
  }
}
