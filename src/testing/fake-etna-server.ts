import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIPv6, type Socket } from 'node:net';
import { REDACTED, Secret } from '../contract/secret.js';
import { DEMO_APP_KEY, DEMO_USERS, type FakeEtnaUser } from './demo-users.js';

/**
 * One scripted misbehaviour, consumed by the next `POST /token` (or `POST /logout`, see `injectLogout`, or a
 * request to an API route, see `injectApi`).
 */
export type FakeFault =
  /** Wait, then answer normally by the protocol. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Never answer; the request ends only when the client aborts or the server closes. */
  | { readonly kind: 'hang' }
  /** 500 with an HTML body, like a proxy in front of the platform. */
  | { readonly kind: 'serverError' }
  /** 429 with `Retry-After` (default '2') and a text/plain body. */
  | { readonly kind: 'rateLimited'; readonly retryAfter?: string }
  /** A truncated JSON body (status default 200). */
  | { readonly kind: 'malformedJson'; readonly status?: number }
  /** Destroy the socket without any answer. */
  | { readonly kind: 'drop' }
  /** Any answer: object bodies are sent as JSON, string bodies verbatim. */
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly body: string | object;
      readonly headers?: Readonly<Record<string, string>>;
    };

/** One request as the server saw it. Secret header values never print. */
export interface RecordedRequest {
  readonly method: string;
  /** URL path, e.g. '/api/token'. */
  readonly path: string;
  /** Header names lower-cased; values of password, pincode, verificationcode, authorization shown as '[redacted]'. */
  readonly headers: Readonly<Record<string, string>>;
  /** The real value of a header (any case of name), for tests that check what was sent. */
  header(name: string): string | undefined;
  /** What the server did: an HTTP status, 'hang', or 'drop' (0 while nothing has been written yet). */
  readonly outcome: number | 'hang' | 'drop';
  /** True once the client closed the connection before an answer was written. */
  readonly aborted: boolean;
}

export interface FakeEtnaServerOptions {
  users?: readonly FakeEtnaUser[];
  appKey?: string;
  host?: string;
  port?: number;
  basePath?: string;
  badAppKeyStatus?: 401 | 403;
  /** The platform's own misspelling by default; 'SecurityPin' is also seen. */
  pinStepName?: string;
  /** Wrong PINs 1..n-1 answer 202 'Invalid pin'; the n-th answers 401. */
  maxPinAttempts?: number;
  /** Answer preflights and allow any origin, for browser tests. */
  cors?: boolean;
}

export interface FakeEtnaServer {
  /** Base URL with trailing slash, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  readonly appKey: string;
  readonly users: readonly FakeEtnaUser[];
  /** Every request, in arrival order (live array). */
  readonly requests: readonly RecordedRequest[];
  /** Queue faults: each one is consumed by the next /token request, in order; with the queue empty the protocol answers. */
  inject(...faults: FakeFault[]): void;
  /** Queue faults for `POST /logout` the same way; with the queue empty it revokes the token and answers 200. */
  injectLogout(...faults: FakeFault[]): void;
  /**
   * Queue faults for the API routes the same way: each one is consumed by the next request to a path under the
   * base path other than `token` and `logout` (a CORS preflight excepted), whatever its method, path or
   * headers; with the queue empty the API answers (a 401 without a live session token, 404 for an unknown
   * route). A `respond` fault with a 3xx and a `Location` scripts a redirect.
   */
  injectApi(...faults: FakeFault[]): void;
  /** Drops every queued fault (for `/token`, `/logout` and the API), so a test that stopped early leaves none behind. */
  clearFaults(): void;
  /** The username a session token was issued to, or undefined (tokens from 200 answers only, not interim ones). */
  sessionOwner(token: string): string | undefined;
  /** True while a session token is accepted by the API routes: issued, and neither revoked nor logged out. */
  isSessionActive(token: string): boolean;
  /** Revokes every session token (or those of one user): the API routes then answer 401, as after expiry. */
  revokeSessions(username?: string): void;
  /** Resolves when `count` requests in total have arrived (already arrived resolves at once). */
  waitForRequests(count: number): Promise<void>;
  /** Resolves when the request at `index` has ended: answered, dropped, or aborted by the client. */
  waitForEnd(index: number): Promise<RecordedRequest>;
  /** Closes the server and destroys open sockets (hanging requests too); never rejects. */
  close(): Promise<void>;
}

/**
 * Every route the fake server answers, relative to its base path: the one list to extend when it learns a
 * route. The demo server (`npm start`) forwards these, and nothing else, to it.
 */
export const FAKE_ETNA_ROUTES = {
  token: { method: 'POST', path: 'token' },
  logout: { method: 'POST', path: 'logout' },
  userInfo: { method: 'GET', path: 'v1.0/users/@me/info' },
} as const satisfies Readonly<Record<string, { readonly method: string; readonly path: string }>>;

/**
 * True when `method` and `path` (relative to the base path, without a query, exactly as sent: no
 * normalisation, no percent-decoding) name one of `FAKE_ETNA_ROUTES`.
 */
export function isFakeEtnaRoute(method: string | undefined, path: string): boolean {
  return Object.values(FAKE_ETNA_ROUTES).some((route) => route.method === method && route.path === path);
}

type StepKind = 'verificationCode' | 'securityPin';

/** What an interim token stands for: whose login, which step is pending, and wrong PINs so far. */
interface InterimTicket {
  readonly user: FakeEtnaUser;
  readonly step: StepKind;
  readonly laterSteps: readonly StepKind[];
  readonly wrongPins: number;
}

const SECRET_HEADERS = new Set(['password', 'pincode', 'verificationcode', 'authorization']);
const JSON_TYPE = 'application/json; charset=utf-8';
const DEFAULT_STEP_ORDER: readonly StepKind[] = ['verificationCode', 'securityPin'];
const ALLOWED_HEADERS =
  'Et-App-Key, Username, Password, Authorization, PinCode, VerificationCode, Accept, Content-Type';

class LoggedRequest implements RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  outcome: number | 'hang' | 'drop' = 0;
  aborted = false;
  readonly #realHeaders = new Map<string, Secret>();

  constructor(req: IncomingMessage, path: string) {
    this.method = req.method ?? 'GET';
    this.path = path;
    const shown: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      const text = Array.isArray(value) ? value.join(', ') : value;
      shown[name] = SECRET_HEADERS.has(name) ? REDACTED : text;
      this.#realHeaders.set(name, new Secret(text));
    }
    this.headers = shown;
  }

  header(name: string): string | undefined {
    return this.#realHeaders.get(name.toLowerCase())?.reveal();
  }
}

// 25 bytes encode to 36 base64 characters ending in '=', like the platform's opaque tokens.
const newToken = (): string => randomBytes(25).toString('base64');

const stepsOf = (user: FakeEtnaUser): StepKind[] =>
  (user.stepOrder ?? DEFAULT_STEP_ORDER).filter((step) =>
    step === 'verificationCode' ? user.verificationCode !== undefined : user.pin !== undefined,
  );

const failed = (step: string, reason: string) => ({ State: 'Failed', Step: step, Reason: reason });

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/**
 * Starts a real HTTP server on loopback that speaks ETNA Trader's `POST /token` protocol, plus
 * `POST /logout` and one protected API route, `GET v1.0/users/@me/info`, that needs the session token.
 */
export async function startFakeEtnaServer(options: FakeEtnaServerOptions = {}): Promise<FakeEtnaServer> {
  const users = options.users ?? DEMO_USERS;
  const appKey = options.appKey ?? DEMO_APP_KEY;
  const host = options.host ?? '127.0.0.1';
  const basePath = normalizeBasePath(options.basePath ?? '/api/');
  const tokenPath = `${basePath}${FAKE_ETNA_ROUTES.token.path}`;
  const logoutPath = `${basePath}${FAKE_ETNA_ROUTES.logout.path}`;
  const userInfoPath = `${basePath}${FAKE_ETNA_ROUTES.userInfo.path}`;
  const badAppKeyStatus = options.badAppKeyStatus ?? 403;
  const pinStepName = options.pinStepName ?? 'SecutityPin';
  const maxPinAttempts = options.maxPinAttempts ?? 3;
  const corsHeaders: Record<string, string> = options.cors
    ? { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' }
    : {};

  const requests: LoggedRequest[] = [];
  const requestEnds: Promise<RecordedRequest>[] = [];
  const arrivalWaiters = new Set<{ count: number; resolve: () => void }>();
  const faults: FakeFault[] = [];
  const logoutFaults: FakeFault[] = [];
  const apiFaults: FakeFault[] = [];
  const interimTickets = new Map<string, InterimTicket>();
  const sessionOwners = new Map<string, string>();
  const activeSessions = new Set<string>();
  const sockets = new Set<Socket>();
  const pendingDelays = new Set<() => void>();
  let closing = false;

  const stepName = (step: StepKind) => (step === 'verificationCode' ? 'VerificationCode' : pinStepName);

  function reply(
    res: ServerResponse,
    record: LoggedRequest,
    status: number,
    body: string,
    headers: Readonly<Record<string, string>>,
  ): void {
    // The client may have gone away during a delay; there is nobody left to answer.
    if (closing || res.destroyed || res.headersSent) return;
    record.outcome = status;
    res.statusCode = status;
    for (const [name, value] of Object.entries({ ...corsHeaders, ...headers })) res.setHeader(name, value);
    res.end(body);
  }

  const sendJson = (res: ServerResponse, record: LoggedRequest, status: number, body: object) =>
    reply(res, record, status, JSON.stringify(body), { 'content-type': JSON_TYPE });

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

  function expecting(ticket: InterimTicket, reason?: string) {
    const token = newToken();
    interimTickets.set(token, ticket);
    const defaultReason =
      ticket.step === 'verificationCode' ? 'Expecting confirmation code' : 'Expecting pin code';
    return { State: 'Expecting', Step: stepName(ticket.step), Reason: reason ?? defaultReason, Token: token };
  }

  function succeeded(user: FakeEtnaUser) {
    const token = newToken();
    sessionOwners.set(token, user.username);
    activeSessions.add(token);
    return { State: 'Succeeded', Token: token, PersonalPhrase: null };
  }

  /** The protocol itself: returns the status and body to send. */
  function answerToken(req: IncomingMessage): [number, object] {
    if (headerValue(req, 'et-app-key') !== appKey) {
      return [badAppKeyStatus, { error: 'Application key is not defined or does not exist' }];
    }
    const contentLength = req.headers['content-length'];
    if (req.headers['transfer-encoding'] !== undefined || Number(contentLength ?? '0') !== 0) {
      return [400, { error: 'Body not allowed' }];
    }
    const username = headerValue(req, 'username');
    const password = headerValue(req, 'password');
    const authorization = headerValue(req, 'authorization');

    if (authorization === undefined) {
      const user = users.find((candidate) => candidate.username === username);
      if (user === undefined || password !== user.password) {
        return [401, failed('BaseAuthentication', 'Invalid credentials')];
      }
      if (user.passwordExpired) {
        return [401, failed('BaseAuthentication', 'Your Password has expired and must be changed')];
      }
      if (user.pinNotInitialized) return [401, failed(pinStepName, 'PIN code is not init')];
      const [step, ...laterSteps] = stepsOf(user);
      if (step === undefined) return [200, succeeded(user)];
      return [202, expecting({ user, step, laterSteps, wrongPins: 0 })];
    }

    const interimToken = /^Bearer +(.+)$/i.exec(authorization)?.[1];
    const ticket = interimToken === undefined ? undefined : interimTickets.get(interimToken);
    // Interim tokens are single-use, whatever the answer.
    if (interimToken !== undefined) interimTickets.delete(interimToken);
    if (ticket === undefined || (username !== undefined && username !== ticket.user.username)) {
      return [401, failed('BaseAuthentication', 'Corrupted ticket')];
    }
    const { user } = ticket;
    if (password !== undefined && password !== user.password) {
      return [401, failed('BaseAuthentication', 'Invalid credentials')];
    }
    const answer = headerValue(req, ticket.step === 'verificationCode' ? 'verificationcode' : 'pincode');
    if (answer === undefined) return [202, expecting(ticket)];
    if (ticket.step === 'verificationCode' && answer !== user.verificationCode) {
      return [401, failed('VerificationCode', 'Invalid verification code')];
    }
    if (ticket.step === 'securityPin' && answer !== user.pin) {
      const wrongPins = ticket.wrongPins + 1;
      if (wrongPins >= maxPinAttempts) return [401, failed(pinStepName, 'Invalid pin')];
      return [202, expecting({ ...ticket, wrongPins }, 'Invalid pin')];
    }
    const [next, ...laterSteps] = ticket.laterSteps;
    if (next === undefined) return [200, succeeded(user)];
    return [202, expecting({ user, step: next, laterSteps, wrongPins: ticket.wrongPins })];
  }

  /** The session token of a request's `Authorization: Bearer …`, when it is an active one. */
  function activeSessionOf(req: IncomingMessage): string | undefined {
    const token = /^Bearer +(.+)$/i.exec(headerValue(req, 'authorization') ?? '')?.[1];
    return token !== undefined && activeSessions.has(token) ? token : undefined;
  }

  /** `POST /logout`: ends the session the bearer token names. */
  function answerLogout(req: IncomingMessage): [number, object] {
    if (headerValue(req, 'et-app-key') !== appKey) {
      return [badAppKeyStatus, { error: 'Application key is not defined or does not exist' }];
    }
    const token = activeSessionOf(req);
    if (token === undefined) return [401, { Message: 'Authorization has been denied for this request.' }];
    activeSessions.delete(token);
    return [200, {}];
  }

  /** The protected API: `GET v1.0/users/@me/info` with a live session token and the app key. */
  function answerApi(req: IncomingMessage, path: string): [number, object] {
    if (headerValue(req, 'et-app-key') !== appKey) {
      return [badAppKeyStatus, { error: 'Application key is not defined or does not exist' }];
    }
    const token = activeSessionOf(req);
    if (token === undefined) return [401, { Message: 'Authorization has been denied for this request.' }];
    if (path !== userInfoPath) return [404, { Message: 'No such route.' }];
    if (req.method !== FAKE_ETNA_ROUTES.userInfo.method) return [405, { Message: 'Method not allowed.' }];
    const login = sessionOwners.get(token) ?? '';
    return [200, { Id: users.findIndex((user) => user.username === login) + 1, Login: login }];
  }

  /** Plays a fault; returns true when the request is dealt with, false to continue with the protocol. */
  async function playFault(
    fault: FakeFault,
    req: IncomingMessage,
    res: ServerResponse,
    record: LoggedRequest,
  ): Promise<boolean> {
    switch (fault.kind) {
      case 'delay':
        await delay(fault.ms);
        return false;
      case 'hang':
        record.outcome = 'hang';
        return true;
      case 'drop':
        record.outcome = 'drop';
        req.socket.destroy();
        return true;
      case 'serverError':
        reply(res, record, 500, '<html><body><h1>500 Internal Server Error</h1></body></html>', {
          'content-type': 'text/html; charset=utf-8',
        });
        return true;
      case 'rateLimited':
        reply(res, record, 429, 'Too Many Requests', {
          'content-type': 'text/plain; charset=utf-8',
          'retry-after': fault.retryAfter ?? '2',
        });
        return true;
      case 'malformedJson':
        reply(res, record, fault.status ?? 200, '{"State":"Succ', { 'content-type': JSON_TYPE });
        return true;
      case 'respond': {
        const headers = fault.headers ?? {};
        if (typeof fault.body === 'string') {
          reply(res, record, fault.status, fault.body, headers);
          return true;
        }
        const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
        reply(res, record, fault.status, JSON.stringify(fault.body), {
          ...(hasType ? {} : { 'content-type': JSON_TYPE }),
          ...headers,
        });
        return true;
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
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
    for (const waiter of arrivalWaiters) {
      if (requests.length >= waiter.count) {
        arrivalWaiters.delete(waiter);
        waiter.resolve();
      }
    }

    if (!path.startsWith(basePath)) return sendJson(res, record, 404, { error: 'Not found' });
    if (options.cors && req.method === 'OPTIONS') {
      return reply(res, record, 204, '', {
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': '600',
      });
    }
    if (path !== tokenPath && path !== logoutPath) {
      const apiFault = apiFaults.shift();
      if (apiFault !== undefined && (await playFault(apiFault, req, res, record))) return;
      return sendJson(res, record, ...answerApi(req, path));
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', options.cors ? 'POST, OPTIONS' : 'POST');
      return sendJson(res, record, 405, { error: 'Method not allowed' });
    }
    if (path === logoutPath) {
      const logoutFault = logoutFaults.shift();
      if (logoutFault !== undefined && (await playFault(logoutFault, req, res, record))) return;
      return sendJson(res, record, ...answerLogout(req));
    }
    const fault = faults.shift();
    if (fault !== undefined && (await playFault(fault, req, res, record))) return;
    const [status, body] = answerToken(req);
    sendJson(res, record, status, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bad injected header, say: report it rather than leave the client hanging.
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
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
  const urlHost = isIPv6(host) ? `[${host}]` : host;
  let closed: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}${basePath}`,
    appKey,
    users,
    requests,
    inject: (...more) => {
      faults.push(...more);
    },
    injectLogout: (...more) => {
      logoutFaults.push(...more);
    },
    injectApi: (...more) => {
      apiFaults.push(...more);
    },
    clearFaults: () => {
      faults.length = 0;
      logoutFaults.length = 0;
      apiFaults.length = 0;
    },
    sessionOwner: (token) => sessionOwners.get(token),
    isSessionActive: (token) => activeSessions.has(token),
    revokeSessions: (username) => {
      for (const token of activeSessions) {
        if (username === undefined || sessionOwners.get(token) === username) activeSessions.delete(token);
      }
    },
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
