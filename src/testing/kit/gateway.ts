// The door between the app under test and a path's fake server: it holds each request of the login until the kit
// has read the busy screen, answers a browser's CORS preflights itself (so the fake server logs only the app's
// requests), and closes every connection after its answer (Chromium silently sends again a request whose reused
// connection is dropped, which would hide the `drop` answer of the model's network error).
import {
  createServer,
  request as forwardRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { FAKE_ETNA_ROUTES, type FakeEtnaServer } from '../fake/index.js';

/** A request of the login, held at the gateway until `release()` sends it on to the fake server. */
export interface HeldRequest {
  readonly method: string;
  /** Relative to the API root, without the query: `token`, `v1.0/users/pincode/change`… */
  readonly route: string;
  /** Its query string, as sent. */
  readonly query: URLSearchParams;
  /** True once the app gave up on it (a timeout, say) while it was held. */
  readonly abandoned: boolean;
  release(): void;
}

export interface Gateway {
  /** The API root the app is given: the fake server's, on the gateway's port. */
  readonly url: string;
  /** The next request of the login the app sends (resolves at once when one is held already). */
  nextHeld(withinMs: number): Promise<HeldRequest>;
  /** Held requests not taken by `nextHeld` yet. */
  readonly waiting: number;
  close(): Promise<void>;
}

const CORS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' };
const LOGIN_ROUTES = new Set(
  Object.entries(FAKE_ETNA_ROUTES)
    .filter(([name]) => name !== 'userInfo')
    .map(([, route]) => `${route.method} ${route.path}`),
);

/** True for a request (as the fake server records it) of the login: every route of the fake server but the API's. */
export function isLoginRequest(method: string, path: string, baseUrl: string): boolean {
  const base = new URL(baseUrl).pathname;
  return path.startsWith(base) && LOGIN_ROUTES.has(`${method} ${path.slice(base.length)}`);
}

/** Starts a gateway on loopback in front of `server`. */
export async function startGateway(server: FakeEtnaServer): Promise<Gateway> {
  const target = new URL(server.url);
  const held: HeldRequest[] = [];
  const takers: ((request: HeldRequest) => void)[] = [];
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const headers = { ...req.headers, host: target.host, connection: 'close' };
    relay(req, res, new URL(req.url ?? '/', target), headers, { ...CORS, connection: 'close' });
  };

  const gateway = createServer((req, res) => {
    res.shouldKeepAlive = false;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...CORS,
        'access-control-allow-methods': 'GET, POST, PUT',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const [path = '/', search = ''] = (req.url ?? '/').split('?');
    const route = path.startsWith(target.pathname) ? path.slice(target.pathname.length) : path;
    if (!LOGIN_ROUTES.has(`${req.method} ${route}`)) return forward(req, res);
    let gone = false;
    res.once('close', () => {
      gone = !res.writableFinished;
    });
    const request: HeldRequest = {
      method: req.method ?? 'GET',
      route,
      query: new URLSearchParams(search),
      get abandoned() {
        return gone;
      },
      release: () => {
        if (!gone) forward(req, res);
      },
    };
    const taker = takers.shift();
    if (taker) taker(request);
    else held.push(request);
  });
  gateway.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    gateway.once('error', reject);
    gateway.listen(0, '127.0.0.1', () => resolve());
  });
  const address = gateway.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    get waiting() {
      return held.length;
    },
    nextHeld: (withinMs) =>
      new Promise((resolve, reject) => {
        const first = held.shift();
        if (first) return resolve(first);
        const timer = setTimeout(() => {
          takers.splice(takers.indexOf(take), 1);
          reject(new Error(`no request of the login reached the server within ${withinMs} ms`));
        }, withinMs);
        const take = (request: HeldRequest) => {
          clearTimeout(timer);
          resolve(request);
        };
        takers.push(take);
      }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        gateway.close(() => resolve());
      }),
  };
}

/**
 * Sends `req` on to `target` and its answer back, with
 * `answerHeaders` added: a hang-up on either side hangs up the other, so the app sees a network error when the
 * fake server drops the connection, and the fake server sees the app give up (a timeout, CANCEL, LOGOUT).
 */
export function relay(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  headers: OutgoingHttpHeaders,
  answerHeaders: OutgoingHttpHeaders = {},
): void {
  const onward = forwardRequest(target, { method: req.method, headers, agent: false }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...answerHeaders });
    answer.pipe(res);
    answer.once('aborted', () => res.destroy());
  });
  onward.once('error', () => res.destroy());
  res.once('close', () => {
    if (!res.writableFinished) onward.destroy();
  });
  req.pipe(onward);
}
