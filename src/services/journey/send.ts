import ky from 'ky';
import type { JourneyAnswer } from '../../contract/journey.js';
import { startDeadline } from '../deadline.js';
import { EtnaAuthError } from '../errors/etna-auth-error.js';
import { NetworkError } from '../errors/network-error.js';
import { isRedirect, RedirectError } from '../errors/redirect-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { readBody } from '../read-body.js';
import type { ServiceConfig } from '../service-config.js';
import { parseEnvelope } from './envelope.js';

/** One request of a call beside `/token`, as the call builds it. */
export interface Outgoing {
  readonly method: 'get' | 'post' | 'put';
  /** Under the API root, e.g. `v1.0/users/password/reset`. */
  readonly path: string;
  /** The session (or interim) token sent as `Authorization: Bearer …`, when the call takes one. */
  readonly bearer?: string;
  /** Sent as JSON. */
  readonly json?: Readonly<Record<string, unknown>>;
  /** Every secret value of the request, scrubbed from the server's `Errors`. */
  readonly secrets: readonly string[];
  /** The answer's Model is a secret too (a reset token): scrubbed from `Errors` like `secrets`. */
  readonly modelIsSecret?: boolean;
  /** `IsSucceed: false` with no errors is a success too: ETNA's documented answer to the reset request. */
  readonly noErrorsIsSuccess?: boolean;
  /** The body cap, when larger than `readBody`'s default. */
  readonly maxBytes?: number;
}

/** What one call's answer is, once its envelope said it succeeded: the validated Model, or a `ProtocolError`. */
export type ModelReader<TModel> = (model: unknown, status: number) => TModel;

/** Sends `Outgoing` requests and reads their envelopes; one per `createJourneyServices`. */
export type Send = <TModel>(
  outgoing: Outgoing,
  read: ModelReader<TModel>,
  signal: AbortSignal | undefined,
) => Promise<JourneyAnswer<TModel>>;

/**
 * The transport of the calls beside `/token`, as the `/token` service does it: one request and never a silent
 * retry (a resent reset request mails another code), no redirect followed (it would carry the token, the app
 * key and the body elsewhere), one deadline over the body too, and nothing sent for a signal already aborted.
 */
export function createSend(config: ServiceConfig): Send {
  const client = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, redirect: 'manual' });
  const baseFetch = config.fetch ?? globalThis.fetch;

  return async (outgoing, read, signal) => {
    // Nothing is sent for a request already called off, even through a fetch that would ignore the signal.
    if (signal?.aborted) throw new NetworkError('the request was aborted');
    const headers: Record<string, string> = { Accept: 'application/json', 'Et-App-Key': config.appKey };
    if (outgoing.bearer !== undefined) headers.Authorization = `Bearer ${outgoing.bearer}`;
    if (outgoing.json !== undefined) headers['Content-Type'] = 'application/json';
    const deadline = startDeadline(config.timeout, signal);
    let status: number;
    let retryAfter: string | null;
    let body: string;
    try {
      const sent = client(`${config.apiRoot}${outgoing.path}`, {
        method: outgoing.method,
        headers,
        ...(outgoing.json === undefined ? {} : { body: JSON.stringify(outgoing.json) }),
        // The abort signal goes to fetch itself, not to ky: ky would join it to its own with AbortSignal.any,
        // which is slow on Node 20 (docs/performance.md). `redirect: 'manual'` again, since a replacement fetch
        // is handed the init as well as the Request.
        fetch: (input, init) => baseFetch(input, { ...init, redirect: 'manual', signal: deadline.signal }),
      });
      sent.catch(() => {});
      const response = await Promise.race([sent, deadline.aborted]);
      if (isRedirect(response)) {
        void response.body?.cancel().catch(() => {});
        throw new RedirectError(response.status);
      }
      status = response.status;
      retryAfter = response.headers.get('Retry-After');
      body = await readBody(response, deadline.aborted, outgoing.maxBytes);
    } catch (error) {
      if (deadline.timedOut()) throw new TimeoutError(config.timeout);
      if (error instanceof EtnaAuthError) throw error;
      if (signal?.aborted) throw new NetworkError('the request was aborted');
      // The cause is dropped on purpose: fetch errors can quote request headers.
      throw new NetworkError();
    } finally {
      deadline.clear();
    }
    const answer = parseEnvelope(status, retryAfter, body, outgoing);
    return answer.ok ? { ok: true, model: read(answer.model, status) } : answer;
  };
}
