// The API proxy: the browser calls an allow-listed path with its cookie; ETNA gets the session's Bearer token and
// the app key, added here. No redirect is followed, bodies are bounded both ways, a deadline holds, and ETNA's 401
// to the session's token ends the session in every process.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import ky from 'ky';
import { selectToken } from '../machine/select-token.js';
import { startDeadline } from '../services/deadline.js';
import type { EtnaApiRoute } from './bff-options.js';
import { BASE_HEADERS, BffRefusal, readRequestBody } from './http-io.js';
import type { Resident } from './resident.js';

export interface ApiProxyConfig {
  readonly apiRoot: string;
  readonly appKey: string;
  readonly routes: readonly EtnaApiRoute[];
  readonly timeout: number;
  readonly maxRequestBytes: number;
  readonly maxResponseBytes: number;
  readonly fetch: typeof globalThis.fetch | undefined;
}

/** Characters a path below the API root may hold as sent (no percent-encoding but of letters and digits). */
const PATH = /^(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*$/;
/** What never names an allow-listed route, whatever a pattern says: `..`, `//`, a backslash, an encoded dot or slash. */
const TRAVERSAL = /(^|\/)\.\.?(\/|$)|\/\/|\\|%2e|%2f|%5c|%00/i;
const MAX_QUERY = 2048;

/** Request headers the browser may pass on; never its cookie, an Authorization or an app key. */
const REQUEST_HEADERS = ['accept', 'accept-language', 'content-type', 'if-none-match', 'if-modified-since'];
/** Answer headers passed back; never a cookie ETNA sets. */
const ANSWER_HEADERS = [
  'content-type',
  'content-language',
  'cache-control',
  'etag',
  'last-modified',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

/** The allow-listed route a method and path (below the API root, as sent) name, if any. */
export function allowedRoute(
  routes: readonly EtnaApiRoute[],
  method: string,
  path: string,
): EtnaApiRoute | undefined {
  if (!PATH.test(path) || TRAVERSAL.test(path)) return undefined;
  return routes.find(
    (route) =>
      route.method === method &&
      (typeof route.path === 'string' ? route.path === path : new RegExp(route.path).test(path)),
  );
}

/** Reads an answer body, refusing more than `maxBytes`; rejects as soon as `aborted` does. */
async function answerBytes(response: Response, maxBytes: number, aborted: Promise<never>): Promise<Buffer> {
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes)
        throw new BffRefusal('upstreamTooLarge', `ETNA's answer is larger than ${maxBytes} bytes`);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  return Buffer.concat(chunks);
}

/**
 * Forwards one API call for a logged-in resident and writes ETNA's answer. `path` is below the API root, with
 * its query. Throws a `BffRefusal` before anything is written when the call cannot be made or answered.
 */
export async function proxyApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  resident: Resident,
  pathAndQuery: string,
  config: ApiProxyConfig,
  headers: OutgoingHttpHeaders,
): Promise<void> {
  const method = req.method ?? 'GET';
  const queryAt = pathAndQuery.indexOf('?');
  const path = queryAt < 0 ? pathAndQuery : pathAndQuery.slice(0, queryAt);
  const query = queryAt < 0 ? '' : pathAndQuery.slice(queryAt);
  if (query.length > MAX_QUERY || !allowedRoute(config.routes, method, path)) {
    throw new BffRefusal('pathNotAllowed', `${method} ${path} is not an API call this backend forwards`);
  }
  const token = selectToken(resident.actor.getSnapshot());
  if (token === undefined) throw new BffRefusal('noSession', 'no session: log in first');
  const body =
    method === 'GET' || method === 'DELETE'
      ? undefined
      : await readRequestBody(req, config.maxRequestBytes).then((bytes) =>
          bytes.length > 0 ? new Uint8Array(bytes) : undefined,
        );
  const outgoing = new Headers();
  for (const name of REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') outgoing.set(name, value);
  }
  outgoing.set('Authorization', `Bearer ${token}`);
  outgoing.set('Et-App-Key', config.appKey);
  // The browser leaving calls the request off too.
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  const deadline = startDeadline(config.timeout, gone.signal);
  let response: Response;
  let bytes: Buffer;
  try {
    const baseFetch = config.fetch ?? globalThis.fetch;
    const sent = ky(`${config.apiRoot}${path}${query}`, {
      method,
      headers: outgoing,
      body,
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      redirect: 'manual',
      signal: deadline.signal,
      fetch: (input, init) => baseFetch(input, { ...init, redirect: 'manual' }),
    });
    sent.catch(() => {});
    response = await Promise.race([sent, deadline.aborted]);
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      response.body?.cancel().catch(() => {});
      throw new BffRefusal(
        'redirect',
        `ETNA answered with a redirect (HTTP ${response.status}), which is never followed with a session`,
      );
    }
    bytes = await answerBytes(response, config.maxResponseBytes, deadline.aborted);
  } catch (error) {
    if (error instanceof BffRefusal) throw error;
    if (deadline.timedOut()) {
      throw new BffRefusal('upstreamTimeout', `ETNA did not answer within ${config.timeout} ms`);
    }
    // The cause is dropped on purpose: fetch errors can quote request headers.
    throw new BffRefusal('upstreamUnreachable', 'ETNA could not be reached');
  } finally {
    deadline.clear();
  }
  // A 401 to the session's own token: revoked or expired at ETNA; a late answer to an older token changes nothing.
  const current = selectToken(resident.actor.getSnapshot()) === token;
  if (current && response.status === 401) resident.actor.send({ type: 'SESSION_REVOKED' });
  else if (current && response.ok) resident.actor.send({ type: 'SESSION_ACTIVITY' });
  const answer: OutgoingHttpHeaders = { ...BASE_HEADERS, ...headers, 'content-length': bytes.length };
  for (const name of ANSWER_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) answer[name] = value;
  }
  if (res.headersSent || res.destroyed) return;
  res.writeHead(response.status, answer);
  res.end(bytes);
}
