/**
 * Why `createEtnaClient` refused to send a request (or to follow a redirect); nothing was sent.
 * - `notLoggedIn`: no session, or its end time has passed.
 * - `foreignUrl`: the URL, or a redirect's `Location`, is outside the API root.
 * - `redirect`: a redirect that cannot be followed safely: its target is hidden (browsers) or is not a URL,
 *   there were too many, or the request said `redirect: 'error'`.
 * No message quotes a URL's user and password, nor a redirect's `Location`.
 * @example if (error instanceof EtnaClientError && error.code === 'notLoggedIn') showLogin();
 */
export type EtnaClientErrorCode = 'notLoggedIn' | 'foreignUrl' | 'redirect';

/**
 * Thrown by an ETNA client before any request leaves: no session to send, or a URL outside the API root.
 * @example api.get('v1.0/accounts').catch((e) => { if (e instanceof EtnaClientError) showLogin(); });
 */
export class EtnaClientError extends Error {
  override name = 'EtnaClientError';
  readonly code: EtnaClientErrorCode;

  constructor(code: EtnaClientErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
