/** Why `createEtnaClient` refused to send a request; nothing was sent. */
export type EtnaClientErrorCode = 'notLoggedIn' | 'foreignUrl';

/** Thrown by an ETNA client before any request leaves: no session to send, or a URL outside the API root. */
export class EtnaClientError extends Error {
  override name = 'EtnaClientError';
  readonly code: EtnaClientErrorCode;

  constructor(code: EtnaClientErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
