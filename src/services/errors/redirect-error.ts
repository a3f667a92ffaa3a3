import { EtnaAuthError } from './etna-auth-error.js';

/**
 * The server answered with a redirect, which is never followed: it would resend the credentials elsewhere.
 * `status` is the 3xx, or 0 in browsers, which hide a redirect's status (an `opaqueredirect` response).
 */
export class RedirectError extends EtnaAuthError {
  override name = 'RedirectError';

  constructor(status: number) {
    const shown = status === 0 ? '' : ` (HTTP ${status})`;
    super('http', `the server answered with a redirect${shown}, which is never followed`, status);
  }
}

/** True for an answer that is a redirect: a 3xx in Node, an `opaqueredirect` (status 0) in browsers. */
export function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}
