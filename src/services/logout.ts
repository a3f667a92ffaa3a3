import type { Secret } from '../contract/secret.js';
import type { EtnaAuthError } from './errors/etna-auth-error.js';
import { HttpStatusError } from './errors/http-status-error.js';
import type { ServiceConfig } from './service-config.js';
import { createTransport } from './transport.js';

/** Tells the server a session is over; rejects with an `EtnaAuthError` when it could not. */
type Logout = (token: Secret | undefined, signal?: AbortSignal) => Promise<void>;

/**
 * `POST {apiRoot}logout` with `Et-App-Key` and the session token, through the transport (no redirect followed: it
 * would carry the token elsewhere). The platform documents little more than the route, so any 2xx counts as
 * done. The small body is read to its end, within the timeout, so the request does not show as aborted in devtools.
 */
export function createLogout(config: ServiceConfig): Logout {
  const send = createTransport(config);
  const url = `${config.apiRoot}logout`;
  return async (token, signal) => {
    const status = await send({ method: 'post', url, bearer: token?.reveal() }, signal).then(
      (received) => received.status,
      // A body too large or not UTF-8 says nothing about the logout itself: the status decides.
      (error: EtnaAuthError) => {
        if (error.kind !== 'protocol') throw error;
        return error.status ?? 0;
      },
    );
    if (status < 200 || status > 299) throw new HttpStatusError(status);
  };
}
