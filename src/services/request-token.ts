import ky from 'ky';
import type { TokenAnswer, TokenRequest } from '../contract/token-request.js';
import { startDeadline } from './deadline.js';
import { EtnaAuthError } from './errors/etna-auth-error.js';
import { NetworkError } from './errors/network-error.js';
import { isRedirect, RedirectError } from './errors/redirect-error.js';
import { TimeoutError } from './errors/timeout-error.js';
import { parseTokenResponse } from './parse-token-response.js';
import { readBody } from './read-body.js';
import type { ServiceConfig } from './service-config.js';
import { secretValuesOf, tokenHeaders } from './token-headers.js';

/** Sends one `/token` request and resolves with its validated answer; `signal` aborts it. */
type RequestToken = (request: TokenRequest, signal?: AbortSignal) => Promise<TokenAnswer>;

/**
 * The `/token` service. One POST per call and never a silent retry: a resent code or PIN
 * could burn a single-use code or a lockout counter. The timeout covers the body too.
 */
export function createRequestToken(config: ServiceConfig): RequestToken {
  const client = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, redirect: 'manual' });
  const baseFetch = config.fetch ?? globalThis.fetch;

  return async (request, signal) => {
    // Nothing is sent for a request already called off, even through a fetch that would ignore the signal.
    if (signal?.aborted) throw new NetworkError('the request was aborted');
    const deadline = startDeadline(config.timeout, signal);
    try {
      const sent = client.post(config.tokenUrl, {
        headers: tokenHeaders(request, config.appKey),
        // The abort signal goes to fetch itself, not to ky: ky would join it to its own with
        // AbortSignal.any, which costs more than the rest of a login on Node 20 (docs/performance.md).
        // `redirect: 'manual'` again here, since a replacement fetch is handed the init as well as the Request:
        // a redirect would resend Username, Password, PinCode and Et-App-Key to wherever it points.
        fetch: (input, init) => baseFetch(input, { ...init, redirect: 'manual', signal: deadline.signal }),
      });
      sent.catch(() => {});
      const response = await Promise.race([sent, deadline.aborted]);
      if (isRedirect(response)) {
        void response.body?.cancel().catch(() => {});
        throw new RedirectError(response.status);
      }
      const body = await readBody(response, deadline.aborted);
      return parseTokenResponse(
        response.status,
        response.headers.get('Retry-After'),
        body,
        secretValuesOf(request),
      );
    } catch (error) {
      if (deadline.timedOut()) throw new TimeoutError(config.timeout);
      if (error instanceof EtnaAuthError) throw error;
      if (signal?.aborted) throw new NetworkError('the request was aborted');
      // The cause is dropped on purpose: fetch errors can quote request headers.
      throw new NetworkError();
    } finally {
      deadline.clear();
    }
  };
}
