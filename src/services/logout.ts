import ky from 'ky';
import type { Secret } from '../contract/secret.js';
import type { TokenServiceConfig } from './config.js';
import { HttpStatusError } from './errors/http-status-error.js';
import { NetworkError } from './errors/network-error.js';
import { TimeoutError } from './errors/timeout-error.js';

/** Tells the server a session is over; rejects with an `EtnaAuthError` when it could not. */
export type Logout = (token: Secret | undefined, signal?: AbortSignal) => Promise<void>;

/**
 * `POST {apiRoot}logout` with `Et-App-Key` and the session token. The platform documents little more than
 * the route, so any 2xx counts as done and the body is not read.
 */
export function createLogout(config: TokenServiceConfig & { readonly apiRoot: string }): Logout {
  const client = ky.create({
    retry: 0,
    timeout: config.timeout,
    throwHttpErrors: false,
    ...(config.fetch ? { fetch: config.fetch } : {}),
  });
  const url = `${config.apiRoot}logout`;
  return async (token, signal) => {
    const headers: Record<string, string> = { Accept: 'application/json', 'Et-App-Key': config.appKey };
    if (token) headers.Authorization = `Bearer ${token.reveal()}`;
    let status: number;
    try {
      const response = await client.post(url, { headers, ...(signal ? { signal } : {}) });
      status = response.status;
      await response.body?.cancel().catch(() => {});
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') throw new TimeoutError(config.timeout);
      // The cause is dropped on purpose: fetch errors can quote request headers.
      throw new NetworkError();
    }
    if (status < 200 || status > 299) throw new HttpStatusError(status);
  };
}
