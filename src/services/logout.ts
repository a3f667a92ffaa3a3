import ky from 'ky';
import type { Secret } from '../contract/secret.js';
import { startDeadline } from './deadline.js';
import { EtnaAuthError } from './errors/etna-auth-error.js';
import { HttpStatusError } from './errors/http-status-error.js';
import { NetworkError } from './errors/network-error.js';
import { isRedirect, RedirectError } from './errors/redirect-error.js';
import { TimeoutError } from './errors/timeout-error.js';
import { readBody } from './read-body.js';
import type { ServiceConfig } from './service-config.js';

/** Tells the server a session is over; rejects with an `EtnaAuthError` when it could not. */
type Logout = (token: Secret | undefined, signal?: AbortSignal) => Promise<void>;

/**
 * `POST {apiRoot}logout` with `Et-App-Key` and the session token, never following a redirect (it would carry
 * the token elsewhere). The platform documents little more than the route, so any 2xx counts as done. The
 * small body is read to its end, within the timeout, so the request does not show as aborted in devtools.
 */
export function createLogout(config: ServiceConfig): Logout {
  const client = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, redirect: 'manual' });
  const baseFetch = config.fetch ?? globalThis.fetch;
  const url = `${config.apiRoot}logout`;
  return async (token, signal) => {
    const headers: Record<string, string> = { Accept: 'application/json', 'Et-App-Key': config.appKey };
    if (token) headers.Authorization = `Bearer ${token.reveal()}`;
    // Nothing is sent for a request already called off, even through a fetch that would ignore the signal.
    if (signal?.aborted) throw new NetworkError();
    const deadline = startDeadline(config.timeout, signal);
    let status = 0;
    try {
      const sent = client.post(url, {
        headers,
        fetch: (input, init) => baseFetch(input, { ...init, redirect: 'manual', signal: deadline.signal }),
      });
      sent.catch(() => {});
      const response = await Promise.race([sent, deadline.aborted]);
      status = response.status;
      if (isRedirect(response)) {
        void response.body?.cancel().catch(() => {});
        throw new RedirectError(status);
      }
      await readBody(response, deadline.aborted);
    } catch (error) {
      if (deadline.timedOut()) throw new TimeoutError(config.timeout);
      // A body too large or not UTF-8 says nothing about the logout itself: the status decides.
      if (error instanceof EtnaAuthError && error.kind !== 'protocol') throw error;
      if (!(error instanceof EtnaAuthError)) {
        // The cause is dropped on purpose: fetch errors can quote request headers.
        throw new NetworkError();
      }
    } finally {
      deadline.clear();
    }
    if (status < 200 || status > 299) throw new HttpStatusError(status);
  };
}
