import ky from 'ky';
import { EtnaAuthError } from './errors/etna-auth-error.js';
import { NetworkError } from './errors/network-error.js';
import { isRedirect, RedirectError } from './errors/redirect-error.js';
import { TimeoutError } from './errors/timeout-error.js';
import { type Hold, readBody } from './read-body.js';
import type { ServiceConfig } from './service-config.js';

/** One request of a service: `Accept: application/json` and `Et-App-Key` are added to every one. */
export interface Sending {
  readonly method: 'get' | 'post' | 'put';
  readonly url: string;
  /** Headers beside `Accept` and `Et-App-Key`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as `Authorization: Bearer …`. */
  readonly bearer?: string;
  /** Sent as the JSON body. */
  readonly json?: Readonly<Record<string, unknown>>;
  /** The body cap, when larger than `readBody`'s default. */
  readonly maxBytes?: number;
}

/** An answer read to its end: what the services parse. */
export interface Received {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: string;
}

/** Sends one request and reads its answer, or rejects with the `EtnaAuthError` that says why there is none. */
export type Transport = (sending: Sending, signal?: AbortSignal) => Promise<Received>;

const ABORTED = 'the request was aborted';

/**
 * The one way every request of the main entry goes (`/token`, `/logout`, the calls beside `/token`): one ky
 * request and never a silent retry (a resent code or PIN could burn a single-use code or a lockout counter), no
 * redirect followed (it would carry the credentials, the token and the app key elsewhere), one deadline over the
 * body too, a bounded body, and nothing sent for a signal already aborted. It settles when the deadline passes
 * even if a replacement fetch or its body ignores the abort.
 */
export function createTransport(config: ServiceConfig): Transport {
  const client = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, redirect: 'manual' });
  const baseFetch = config.fetch ?? globalThis.fetch;

  return async ({ method, url, headers, bearer, json, maxBytes }, signal) => {
    // Nothing is sent for a request already called off, even through a fetch that would ignore the signal.
    if (signal?.aborted) throw new NetworkError(ABORTED);
    const deadline = new AbortController();
    const abort = () => deadline.abort();
    // The wait for the answer, then the body's read: ended at once by the deadline's abort.
    const hold: Hold = { signal: deadline.signal, stop: () => {} };
    deadline.signal.addEventListener('abort', () => hold.stop(), { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort();
    }, config.timeout);
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const response = await new Promise<Response>((resolve, reject) => {
        hold.stop = reject;
        client(url, {
          method,
          headers: {
            Accept: 'application/json',
            'Et-App-Key': config.appKey,
            ...(bearer !== undefined && { Authorization: `Bearer ${bearer}` }),
            ...(json !== undefined && { 'Content-Type': 'application/json' }),
            ...headers,
          },
          body: json && JSON.stringify(json),
          // The signal goes to fetch itself, not to ky, which would join it to its own with AbortSignal.any (slow on
          // Node 20: docs/performance.md). `redirect: 'manual'` again, since a replacement fetch is handed the init.
          fetch: (input, init) => baseFetch(input, { ...init, redirect: 'manual', signal: deadline.signal }),
        }).then(resolve, reject);
      });
      if (isRedirect(response)) {
        void response.body?.cancel().catch(() => {});
        throw new RedirectError(response.status);
      }
      const body = await readBody(response, hold, maxBytes);
      return { status: response.status, retryAfter: response.headers.get('Retry-After'), body };
    } catch (error) {
      if (timedOut) throw new TimeoutError(config.timeout);
      if (error instanceof EtnaAuthError) throw error;
      // The cause is dropped on purpose: fetch errors can quote request headers.
      throw new NetworkError(signal?.aborted ? ABORTED : undefined);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  };
}
