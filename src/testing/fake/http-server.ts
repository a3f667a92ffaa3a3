// The fake server's HTTP core, whatever the routes: it records every request, reads its body, answers CORS
// preflights, writes answers (with CORS headers when asked), and closes without leaving a socket or a wait behind.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIPv6, type Socket } from 'node:net';
import type { Answer } from './answers.js';
import { LoggedRequest, type RecordedRequest, type RequestBody, readBody } from './recorded-request.js';

export const JSON_TYPE = 'application/json; charset=utf-8';
const ALLOWED_HEADERS =
  'Et-App-Key, Username, Password, Authorization, PinCode, VerificationCode, Accept, Content-Type';
const ALLOWED_METHODS = 'GET, POST, PUT';

/** One request on its way through the routes: what they read of it, and how they answer it. */
export interface Exchange {
  readonly req: IncomingMessage;
  /** The path relative to the base path, without the query, exactly as sent. */
  readonly route: string;
  readonly query: URLSearchParams;
  readonly body: RequestBody;
  readonly record: LoggedRequest;
  /** Writes the answer, unless the client has gone away or the server is closing. */
  reply(status: number, body: string, headers: Readonly<Record<string, string>>): void;
  /** Objects as JSON, strings as text/plain, with the answer's own headers. */
  send(answer: Answer): void;
  /** Waits `ms`; closing the server ends the wait at once. */
  delay(ms: number): Promise<void>;
}

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number | undefined;
  /** The base path, as given: `/api/`, `api`, `/` … */
  readonly basePath: string;
  readonly cors: boolean;
  readonly keepAliveTimeout: number | undefined;
}

/** The core's part of a `FakeEtnaServer`. */
export interface HttpServer {
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  waitForRequests(count: number): Promise<void>;
  waitForEnd(index: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/** Listens on loopback and hands every request under the base path (preflights excepted) to `route`. */
export async function startHttpServer(
  options: HttpServerOptions,
  route: (exchange: Exchange) => Promise<void>,
): Promise<HttpServer> {
  const basePath = normalizeBasePath(options.basePath);
  const corsHeaders: Record<string, string> = options.cors
    ? { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' }
    : {};
  const requests: LoggedRequest[] = [];
  const requestEnds: Promise<RecordedRequest>[] = [];
  const arrivalWaiters = new Set<{ count: number; resolve: () => void }>();
  const sockets = new Set<Socket>();
  const pendingDelays = new Set<() => void>();
  let closing = false;

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        pendingDelays.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      pendingDelays.add(finish);
    });

  function exchangeOf(
    req: IncomingMessage,
    res: ServerResponse,
    record: LoggedRequest,
    url: { route: string; query: URLSearchParams },
    body: RequestBody,
  ): Exchange {
    const reply: Exchange['reply'] = (status, text, headers) => {
      // The client may have gone away during a delay; there is nobody left to answer.
      if (closing || res.destroyed || res.headersSent) return;
      record.outcome = status;
      res.statusCode = status;
      for (const [name, value] of Object.entries({ ...corsHeaders, ...headers })) res.setHeader(name, value);
      res.end(text);
    };
    const send: Exchange['send'] = ([status, answer, headers = {}]) =>
      typeof answer === 'string'
        ? reply(status, answer, { 'content-type': 'text/plain; charset=utf-8', ...headers })
        : reply(status, JSON.stringify(answer), { 'content-type': JSON_TYPE, ...headers });
    return { req, ...url, body, record, reply, send, delay };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
    const record = new LoggedRequest(req, path);
    requests.push(record);
    requestEnds.push(
      new Promise((resolve) => {
        res.once('close', () => {
          // A drop or close() is the server's doing, not the client's.
          if (!res.writableFinished && record.outcome !== 'drop' && !closing) record.aborted = true;
          resolve(record);
        });
      }),
    );
    const body = await readBody(req);
    record.keepBody(body.text);
    // A request has arrived once its body has: `waitForRequests` callers may read `json()` at once.
    for (const waiter of arrivalWaiters) {
      if (requests.length >= waiter.count) {
        arrivalWaiters.delete(waiter);
        waiter.resolve();
      }
    }

    const exchange = exchangeOf(req, res, record, { route: path.slice(basePath.length), query }, body);
    if (!path.startsWith(basePath)) return exchange.send([404, { error: 'Not found' }]);
    if (options.cors && req.method === 'OPTIONS') {
      return exchange.reply(204, '', {
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': '600',
      });
    }
    return route(exchange);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bad injected header, say: report it rather than leave the client hanging.
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const waitForRequests = (count: number) =>
    new Promise<void>((resolve) => {
      if (requests.length >= count) resolve();
      else arrivalWaiters.add({ count, resolve });
    });

  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const urlHost = isIPv6(options.host) ? `[${options.host}]` : options.host;
  let closed: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}${basePath}`,
    requests,
    waitForRequests,
    waitForEnd: async (index) => {
      if (!Number.isInteger(index) || index < 0) throw new RangeError(`No request at index ${index}`);
      await waitForRequests(index + 1);
      const ended = requestEnds[index];
      if (ended === undefined) throw new RangeError(`No request at index ${index}`);
      return ended;
    },
    close: () => {
      if (closed) return closed;
      closing = true;
      for (const finish of pendingDelays) finish();
      closed = new Promise((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}
