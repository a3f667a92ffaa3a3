import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIPv6, type Socket } from 'node:net';
import { REDACTED, Secret } from '../contract/secret.js';
import { DEMO_APP_KEY, DEMO_USERS, type FakeEtnaUser } from './demo-users.js';
import {
  type Answer,
  DENIED,
  FakeJourney,
  type FakeJourneyRoute,
  faultRouteOf,
  JOURNEY_ROUTES,
  type JourneyRouteName,
  journeyRouteOf,
  newToken,
  tooManyRequests,
  type UserRecord,
} from './fake/journey.js';
import { type FakeMail, Mailbox, newCode } from './fake/mailbox.js';
import { type FakeSecurityImage, SECURITY_IMAGES } from './fake/png.js';
import { createRateLimiter, type FakeRateLimit } from './fake/rate-limit.js';

export type { FakeJourneyRoute, FakeMail, FakeRateLimit, FakeSecurityImage };

/**
 * The security images `GET v1.0/assets/security-images` lists: 16×16 solid-colour PNGs (base64), each a
 * different colour, named apple.png, heron.png, sailboat.png, mountain.png, lighthouse.png, cactus.png.
 */
export const FAKE_SECURITY_IMAGES: readonly FakeSecurityImage[] = SECURITY_IMAGES;

/**
 * One scripted misbehaviour, consumed by the next `POST /token` (or `POST /logout`, see `injectLogout`, a
 * request to an API route, see `injectApi`, or to a journey route, see `injectAt`).
 */
export type FakeFault =
  /** Wait, then answer normally by the protocol. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Never answer; the request ends only when the client aborts or the server closes. */
  | { readonly kind: 'hang' }
  /**
   * Hold the request until the promise `until(request)` returns settles (called once the request has arrived),
   * then play the fault it gives, or answer by the protocol for undefined: a test decides when, and what, the
   * server answers. A rejection answers 500.
   */
  | {
      readonly kind: 'hold';
      readonly until: (request: RecordedRequest) => PromiseLike<FakeFault | undefined>;
    }
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

/** One request as the server saw it. Secret header values and the body never print. */
export interface RecordedRequest {
  readonly method: string;
  /** URL path, e.g. '/api/token'. */
  readonly path: string;
  /** Header names lower-cased; values of password, pincode, verificationcode, authorization shown as '[redacted]'. */
  readonly headers: Readonly<Record<string, string>>;
  /** The real value of a header (any case of name), for tests that check what was sent. */
  header(name: string): string | undefined;
  /**
   * The parsed JSON body (Password, Pin, Token, Code, … included), or undefined when there was none or it was
   * not JSON. Read once the request has ended (see `waitForEnd`); a fresh copy at each call. The body itself
   * is held as a `Secret`: `JSON.stringify` and `util.inspect` of the request never show it.
   */
  json(): unknown;
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
  /**
   * Milliseconds an idle keep-alive connection stays open (Node's default is 5000). Tests that stop the event
   * loop for long between requests raise it, so that a request never goes out on a socket the server is closing.
   */
  keepAliveTimeout?: number;
  /**
   * A real rate limit, off by default: at most `requests` first-step `/token` posts (credentials only) per
   * username, and as many `resetRequest` posts per username, in any `windowMs`; beyond it 429 with
   * `Retry-After` (seconds until the window frees, at least 1) and a text/plain body.
   */
  rateLimit?: FakeRateLimit;
}

export interface FakeEtnaServer {
  /** Base URL with trailing slash, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  readonly appKey: string;
  /**
   * This server's own copy of the user table (live: password changes, PIN set-ups and phrases show here); the
   * table given in the options, or `DEMO_USERS`, is never changed.
   */
  readonly users: readonly FakeEtnaUser[];
  /** Every code the server "e-mailed" (verification and password-reset codes), oldest first (live array). */
  readonly mailbox: readonly FakeMail[];
  /** The newest mail to a user (by login), of one kind or any. */
  lastMail(username: string, kind?: FakeMail['kind']): FakeMail | undefined;
  /**
   * Every mail to the account a login or its e-mail address (any case) names, oldest first: what a demo shows as
   * that user's mailbox. Empty for an unknown account.
   */
  mailTo(loginOrEmail: string): readonly FakeMail[];
  /**
   * The newest mail to a user (of `kind`) among `mailbox[after…]` (`after` a mailbox length read before the
   * request that sends it; default 0), or, when there is none yet, the first such mail to arrive. Never rejects.
   */
  waitForMail(username: string, kind?: FakeMail['kind'], after?: number): Promise<FakeMail>;
  /** Every request, in arrival order (live array). */
  readonly requests: readonly RecordedRequest[];
  /** Queue faults: each one is consumed by the next /token request, in order; with the queue empty the protocol answers. */
  inject(...faults: FakeFault[]): void;
  /** Queue faults for `POST /logout` the same way; with the queue empty it revokes the token and answers 200. */
  injectLogout(...faults: FakeFault[]): void;
  /**
   * Queue faults for the API routes the same way: each one is consumed by the next request to a path under the
   * base path other than `token`, `logout` and the journey routes (see `injectAt`; a CORS preflight excepted),
   * whatever its method, path or headers; with the queue empty the API answers (a 401 without a live session
   * token, 404 for an unknown route). A `respond` fault with a 3xx and a `Location` scripts a redirect.
   */
  injectApi(...faults: FakeFault[]): void;
  /**
   * Queue faults for one journey route (the `identifierResetCode` alias counts as `resetCode`): each one is
   * consumed by the next request to it with its own method, before the app key is checked; `injectApi` faults
   * never reach these routes.
   */
  injectAt(route: FakeJourneyRoute, ...faults: FakeFault[]): void;
  /** Drops every queued fault (for `/token`, `/logout`, the API and the journey routes), so a test that stopped early leaves none behind. */
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
  ...JOURNEY_ROUTES,
} as const satisfies Readonly<Record<string, { readonly method: string; readonly path: string }>>;

/**
 * True when `method` and `path` (relative to the base path, without a query, exactly as sent: no
 * normalisation, no percent-decoding) name one of `FAKE_ETNA_ROUTES`.
 */
export function isFakeEtnaRoute(method: string | undefined, path: string): boolean {
  return Object.values(FAKE_ETNA_ROUTES).some((route) => route.method === method && route.path === path);
}

type StepKind = 'verificationCode' | 'securityPin';

/** What an interim token stands for: whose login, which step is pending, wrong PINs so far, the code sent. */
interface InterimTicket {
  readonly user: UserRecord;
  readonly step: StepKind;
  readonly laterSteps: readonly StepKind[];
  readonly wrongPins: number;
  /** The verification code the step expects (its step being 'verificationCode'). */
  readonly code?: string;
}

const SECRET_HEADERS = new Set(['password', 'pincode', 'verificationcode', 'authorization']);
const JSON_TYPE = 'application/json; charset=utf-8';
const DEFAULT_STEP_ORDER: readonly StepKind[] = ['verificationCode', 'securityPin'];
const ALLOWED_HEADERS =
  'Et-App-Key, Username, Password, Authorization, PinCode, VerificationCode, Accept, Content-Type';
const ALLOWED_METHODS = 'GET, POST, PUT';
const APP_KEY_ERROR = { error: 'Application key is not defined or does not exist' } as const;
/** Bodies past this are not kept (the journey routes answer 400). */
const BODY_LIMIT = 1 << 20;

class LoggedRequest implements RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  outcome: number | 'hang' | 'drop' = 0;
  aborted = false;
  readonly #realHeaders = new Map<string, Secret>();
  #body: Secret | undefined;

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

  /** Keeps the body, once it has arrived (the server's side of `json()`). */
  keepBody(text: string): void {
    if (text !== '') this.#body = new Secret(text);
  }

  json(): unknown {
    if (this.#body === undefined) return undefined;
    try {
      return JSON.parse(this.#body.reveal());
    } catch {
      return undefined;
    }
  }
}

/** The whole body (its first `BODY_LIMIT` bytes); resolves too when the client goes away mid-body. */
function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    const done = () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > BODY_LIMIT });
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
  });
}

const stepsOf = (user: UserRecord): StepKind[] =>
  (user.stepOrder ?? DEFAULT_STEP_ORDER).filter((step) =>
    step === 'verificationCode'
      ? user.verificationCode !== undefined || user.rotatingCodes === true
      : user.pin !== undefined,
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
 * `POST /logout`, one protected API route, `GET v1.0/users/@me/info`, that needs the session token, and the
 * rest of the login journey (`JOURNEY_ROUTES`), each answering ETNA's envelope
 * `{ Model, Errors, ErrorsCode, IsSucceed }`:
 *
 * - `GET v1.0/assets/security-images` (Bearer: a PIN set-up token) → `Model: [{ FileName, Content }]`.
 * - `POST v1.0/users/pincode/change` (same Bearer) `{ Token, Pin, ImageName, PersonalPhrase }`.
 * - `PUT v1.0/users/passwords/reset/` `{ Token, Password, PasswordConfirmation }`: the expired password's
 *   confirmation token, or a reset token; the new password needs 8 characters and a digit.
 * - `GET v1.0/users/password/secret-question?username=` → `Model`: the question, or `''`.
 * - `POST v1.0/users/password/reset` `{ User, SecretQuestionAnswer }` → a code in the mailbox.
 * - `POST v1.0/users/password/reset/code` `{ Code }` (or `v1.0/users/identifiers/reset/code`
 *   `{ Code, Identifier: 'ResetPassword' }`) → `Model`: the reset token.
 *
 * Statuses there: 200 for every answer by the rules, `IsSucceed: false` with `Errors`/`ErrorsCode` included
 * (a wrong token, PIN, image, phrase, password, answer or code); 400 `IsSucceed: false` for a body that is not
 * a JSON object (or not `Content-Type: application/json`), a field of the wrong type or missing, or a missing
 * `username`; 401 `{ Message }` without the PIN set-up bearer; `badAppKeyStatus` for the app key; 405 with
 * `Allow` for another method; 429 past `rateLimit`. The checks run in that order: method, queued fault, app
 * key, bearer, body.
 */
export async function startFakeEtnaServer(options: FakeEtnaServerOptions = {}): Promise<FakeEtnaServer> {
  // This instance's own copy: it changes passwords, PINs and phrases.
  const users = (options.users ?? DEMO_USERS).map((user) => structuredClone(user) as UserRecord);
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
  const journeyFaults: Record<FakeJourneyRoute, FakeFault[]> = {
    securityImages: [],
    pinChange: [],
    passwordChange: [],
    secretQuestion: [],
    resetRequest: [],
    resetCode: [],
  };
  const mailbox = new Mailbox();
  const limited = createRateLimiter(options.rateLimit);
  const journey = new FakeJourney({ users, mailbox, pinStepName, limited });
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

  /** Objects as JSON, strings as text/plain, with the answer's own headers. */
  const send = (res: ServerResponse, record: LoggedRequest, [status, body, headers = {}]: Answer) =>
    typeof body === 'string'
      ? reply(res, record, status, body, { 'content-type': 'text/plain; charset=utf-8', ...headers })
      : reply(res, record, status, JSON.stringify(body), { 'content-type': JSON_TYPE, ...headers });

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
    const answer = {
      State: 'Expecting',
      Step: stepName(ticket.step),
      Reason: reason ?? defaultReason,
      Token: token,
    };
    if (ticket.step !== 'securityPin') return answer;
    // Anti-phishing: what the user chose, shown with every PIN prompt.
    const { personalPhrase, securityImage } = ticket.user;
    const image = SECURITY_IMAGES.find((candidate) => candidate.FileName === securityImage)?.Content;
    return {
      ...answer,
      ...(personalPhrase === undefined ? {} : { PersonalPhrase: personalPhrase }),
      ...(image === undefined ? {} : { Image: image }),
    };
  }

  /** A ticket for a step being entered: a verification-code step sends its code (to the mailbox). */
  function entering(user: UserRecord, step: StepKind, laterSteps: readonly StepKind[], wrongPins: number) {
    if (step !== 'verificationCode') return expecting({ user, step, laterSteps, wrongPins });
    const code = user.rotatingCodes ? newCode() : (user.verificationCode ?? newCode());
    mailbox.send(user.username, 'verificationCode', code);
    return expecting({ user, step, laterSteps, wrongPins, code });
  }

  function succeeded(user: UserRecord) {
    const token = newToken();
    sessionOwners.set(token, user.username);
    activeSessions.add(token);
    return { State: 'Succeeded', Token: token, PersonalPhrase: null };
  }

  /** The protocol itself: returns the status and body to send. */
  function answerToken(req: IncomingMessage): Answer {
    if (headerValue(req, 'et-app-key') !== appKey) return [badAppKeyStatus, APP_KEY_ERROR];
    const contentLength = req.headers['content-length'];
    if (req.headers['transfer-encoding'] !== undefined || Number(contentLength ?? '0') !== 0) {
      return [400, { error: 'Body not allowed' }];
    }
    const username = headerValue(req, 'username');
    const password = headerValue(req, 'password');
    const authorization = headerValue(req, 'authorization');

    if (authorization === undefined) {
      const retryAfter = limited(`token\n${username ?? ''}`);
      if (retryAfter !== undefined) return tooManyRequests(retryAfter);
      // A login or the account's e-mail address, as the reset's secret-question lookup takes either.
      const user = username === undefined ? undefined : journey.findUser(username);
      if (user === undefined || password !== user.password) {
        return [401, failed('BaseAuthentication', 'Invalid credentials')];
      }
      if (user.passwordExpired) return journey.passwordExpired(user);
      if (user.pinNotInitialized) return journey.pinNotInitialized(user);
      // A new first step is how a client resends the code: the tokens of the user's pending code step stop
      // working (and, with rotating codes, the code they expected, since a fresh one is sent).
      for (const [token, ticket] of interimTickets) {
        if (ticket.user === user && ticket.step === 'verificationCode') interimTickets.delete(token);
      }
      const [step, ...laterSteps] = stepsOf(user);
      if (step === undefined) return [200, succeeded(user)];
      return [202, entering(user, step, laterSteps, 0)];
    }

    const interimToken = /^Bearer +(.+)$/i.exec(authorization)?.[1];
    const ticket = interimToken === undefined ? undefined : interimTickets.get(interimToken);
    // Interim tokens are single-use, whatever the answer.
    if (interimToken !== undefined) interimTickets.delete(interimToken);
    if (ticket === undefined || (username !== undefined && journey.findUser(username) !== ticket.user)) {
      return [401, failed('BaseAuthentication', 'Corrupted ticket')];
    }
    const { user } = ticket;
    if (password !== undefined && password !== user.password) {
      return [401, failed('BaseAuthentication', 'Invalid credentials')];
    }
    const answer = headerValue(req, ticket.step === 'verificationCode' ? 'verificationcode' : 'pincode');
    if (answer === undefined) return [202, expecting(ticket)];
    if (ticket.step === 'verificationCode' && answer !== ticket.code) {
      return [401, failed('VerificationCode', 'Invalid verification code')];
    }
    if (ticket.step === 'securityPin' && answer !== user.pin) {
      const wrongPins = ticket.wrongPins + 1;
      if (wrongPins >= maxPinAttempts) return [401, failed(pinStepName, 'Invalid pin')];
      return [202, expecting({ ...ticket, wrongPins }, 'Invalid pin')];
    }
    const [next, ...laterSteps] = ticket.laterSteps;
    if (next === undefined) return [200, succeeded(user)];
    return [202, entering(user, next, laterSteps, ticket.wrongPins)];
  }

  /** The session token of a request's `Authorization: Bearer …`, when it is an active one. */
  function activeSessionOf(req: IncomingMessage): string | undefined {
    const token = /^Bearer +(.+)$/i.exec(headerValue(req, 'authorization') ?? '')?.[1];
    return token !== undefined && activeSessions.has(token) ? token : undefined;
  }

  /** `POST /logout`: ends the session the bearer token names. */
  function answerLogout(req: IncomingMessage): Answer {
    if (headerValue(req, 'et-app-key') !== appKey) return [badAppKeyStatus, APP_KEY_ERROR];
    const token = activeSessionOf(req);
    if (token === undefined) return [401, DENIED];
    activeSessions.delete(token);
    return [200, {}];
  }

  /** The protected API: `GET v1.0/users/@me/info` with a live session token and the app key. */
  function answerApi(req: IncomingMessage, path: string): Answer {
    if (headerValue(req, 'et-app-key') !== appKey) return [badAppKeyStatus, APP_KEY_ERROR];
    const token = activeSessionOf(req);
    if (token === undefined) return [401, DENIED];
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
      case 'hold': {
        const next = await fault.until(record);
        return next !== undefined && playFault(next, req, res, record);
      }
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

  /** A journey route: its method, then its queued fault, then the app key, then the route's own rules. */
  async function handleJourney(
    name: JourneyRouteName,
    req: IncomingMessage,
    res: ServerResponse,
    record: LoggedRequest,
    query: URLSearchParams,
    body: { text: string; tooLarge: boolean },
  ): Promise<void> {
    const { method } = JOURNEY_ROUTES[name];
    if (req.method !== method) {
      res.setHeader('allow', options.cors ? `${method}, OPTIONS` : method);
      return sendJson(res, record, 405, {
        Model: null,
        Errors: ['Method not allowed.'],
        ErrorsCode: ['ErrorMethodNotAllowed'],
        IsSucceed: false,
      });
    }
    const fault = journeyFaults[faultRouteOf(name)].shift();
    if (fault !== undefined && (await playFault(fault, req, res, record))) return;
    if (headerValue(req, 'et-app-key') !== appKey)
      return sendJson(res, record, badAppKeyStatus, APP_KEY_ERROR);
    send(
      res,
      record,
      journey.answer(name, {
        authorization: headerValue(req, 'authorization'),
        contentType: headerValue(req, 'content-type'),
        query,
        body,
      }),
    );
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

    if (!path.startsWith(basePath)) return sendJson(res, record, 404, { error: 'Not found' });
    if (options.cors && req.method === 'OPTIONS') {
      return reply(res, record, 204, '', {
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': '600',
      });
    }
    const journeyRoute = journeyRouteOf(path.slice(basePath.length));
    if (journeyRoute !== undefined) return handleJourney(journeyRoute, req, res, record, query, body);
    if (path !== tokenPath && path !== logoutPath) {
      const apiFault = apiFaults.shift();
      if (apiFault !== undefined && (await playFault(apiFault, req, res, record))) return;
      return send(res, record, answerApi(req, path));
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', options.cors ? 'POST, OPTIONS' : 'POST');
      return sendJson(res, record, 405, { error: 'Method not allowed' });
    }
    if (path === logoutPath) {
      const logoutFault = logoutFaults.shift();
      if (logoutFault !== undefined && (await playFault(logoutFault, req, res, record))) return;
      return send(res, record, answerLogout(req));
    }
    const fault = faults.shift();
    if (fault !== undefined && (await playFault(fault, req, res, record))) return;
    send(res, record, answerToken(req));
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
    mailbox: mailbox.mails,
    lastMail: (username, kind) => mailbox.last(username, kind),
    mailTo: (loginOrEmail) => {
      const login = journey.findUser(loginOrEmail)?.username;
      return login === undefined ? [] : mailbox.mails.filter((mail) => mail.to === login);
    },
    waitForMail: (username, kind, after) => mailbox.wait(username, kind, after),
    inject: (...more) => {
      faults.push(...more);
    },
    injectLogout: (...more) => {
      logoutFaults.push(...more);
    },
    injectApi: (...more) => {
      apiFaults.push(...more);
    },
    injectAt: (route, ...more) => {
      const queue = Object.hasOwn(journeyFaults, route) ? journeyFaults[route] : undefined;
      if (queue === undefined) throw new RangeError(`No journey route named ${String(route)}`);
      queue.push(...more);
    },
    clearFaults: () => {
      faults.length = 0;
      logoutFaults.length = 0;
      apiFaults.length = 0;
      for (const queue of Object.values(journeyFaults)) queue.length = 0;
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
