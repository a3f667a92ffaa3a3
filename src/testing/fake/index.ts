// The fake ETNA server, composed from one module per region of the chart (login.ts, pin-setup.ts,
// password-change.ts, password-reset.ts, session.ts, named like src/machine/regions/) on a shared HTTP core
// (http-server.ts).
import type { JourneyCall } from '../../contract/calls.js';
import { DEMO_APP_KEY, DEMO_USERS, type FakeEtnaUser } from '../demo-users.js';
import { type Answer, APP_KEY_ERROR, envelope } from './answers.js';
import { type FakeFault, FaultQueues, playFault } from './faults.js';
import { type Exchange, startHttpServer } from './http-server.js';
import { answerJourney, type JourneyHandler } from './journey-request.js';
import { FakeLogin, TOKEN_ROUTE } from './login.js';
import { type FakeMail, Mailbox } from './mailbox.js';
import { FakePasswordChange } from './password-change.js';
import { FakePasswordReset } from './password-reset.js';
import { FAKE_SECURITY_IMAGES, FakePinSetup, type FakeSecurityImage } from './pin-setup.js';
import { createRateLimiter, type FakeRateLimit } from './rate-limit.js';
import { headerValue, type RecordedRequest } from './recorded-request.js';
import {
  callOf,
  FAKE_ETNA_ROUTES,
  type FakeJourneyRoute,
  isFakeEtnaRoute,
  journeyRouteOf,
} from './routes.js';
import { FakeSessions, SESSION_ROUTES } from './session.js';
import { UserTable } from './users.js';

export type { FakeFault, FakeJourneyRoute, FakeMail, FakeRateLimit, FakeSecurityImage, RecordedRequest };
export { FAKE_ETNA_ROUTES, FAKE_SECURITY_IMAGES, isFakeEtnaRoute };

/**
 * How `startFakeEtnaServer` sets up its server; every field is optional.
 * @example await startFakeEtnaServer({ cors: true, pinStepName: 'SecurityPin', maxPinAttempts: 5 });
 */
export interface FakeEtnaServerOptions {
  /**
   * The accounts; the server works on its own copy.
   * @default DEMO_USERS
   */
  users?: readonly FakeEtnaUser[];
  /**
   * The `Et-App-Key` every route wants.
   * @default DEMO_APP_KEY
   */
  appKey?: string;
  /** @default '127.0.0.1' */
  host?: string;
  /**
   * @default 0 (a free port, read back from `url`)
   */
  port?: number;
  /**
   * Where the routes live; `url` ends with it.
   * @default '/api/'
   */
  basePath?: string;
  /**
   * The status of a missing or wrong app key.
   * @default 403
   */
  badAppKeyStatus?: 401 | 403;
  /**
   * The PIN step's name in the answers: the platform's own misspelling by default; 'SecurityPin' is also seen.
   * @default 'SecutityPin'
   */
  pinStepName?: string;
  /**
   * Wrong PINs 1..n-1 answer 202 'Invalid pin'; the n-th answers 401.
   * @default 3
   */
  maxPinAttempts?: number;
  /**
   * Answer preflights and allow any origin, for browser tests.
   * @default false
   */
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

/**
 * A running fake ETNA server: its address, its live tables, its request log and its fault queues.
 * @example expect(server.requests.at(-1)?.header('et-app-key')).toBe(server.appKey);
 */
export interface FakeEtnaServer {
  /** Base URL with trailing slash, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  /** The app key it wants (`options.appKey`, or `DEMO_APP_KEY`). */
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
  /**
   * Puts every account of `users` back as the table given at the start had it (passwords, PINs, phrases, pictures,
   * the expired-password and PIN-not-set-up flags), in place: a demo's list of users is true again. Sessions,
   * tokens in flight and mail are left as they are.
   * @example server.resetUsers(); // erin's password has expired again
   */
  resetUsers(): void;
  /** Resolves when `count` requests in total have arrived (already arrived resolves at once). */
  waitForRequests(count: number): Promise<void>;
  /** Resolves when the request at `index` has ended: answered, dropped, or aborted by the client. */
  waitForEnd(index: number): Promise<RecordedRequest>;
  /** Closes the server and destroys open sockets (hanging requests too); never rejects. */
  close(): Promise<void>;
}

/**
 * Starts a real HTTP server on loopback that speaks ETNA Trader's `POST /token` protocol, plus
 * `POST /logout`, one protected API route, `GET v1.0/users/@me/info`, that needs the session token, and the
 * rest of the login journey (every route of `FAKE_ETNA_ROUTES`), each answering ETNA's envelope
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
 *
 * @example
 * const server = await startFakeEtnaServer({ cors: true });
 * const machine = createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey });
 * // … log in as 'alice' (see DEMO_USERS), then:
 * await server.close();
 */
export async function startFakeEtnaServer(options: FakeEtnaServerOptions = {}): Promise<FakeEtnaServer> {
  const users = new UserTable(options.users ?? DEMO_USERS);
  const appKey = options.appKey ?? DEMO_APP_KEY;
  const badAppKeyStatus = options.badAppKeyStatus ?? 403;
  const pinStepName = options.pinStepName ?? 'SecutityPin';
  const mailbox = new Mailbox();
  const limited = createRateLimiter(options.rateLimit);
  const faults = new FaultQueues();
  const sessions = new FakeSessions(users);
  const passwordChange = new FakePasswordChange();
  const pinSetup = new FakePinSetup(pinStepName);
  const passwordReset = new FakePasswordReset({ users, mailbox, limited, passwordChange });
  const login = new FakeLogin({
    users,
    mailbox,
    limited,
    pinStepName,
    maxPinAttempts: options.maxPinAttempts ?? 3,
    sessions,
    pinSetup,
    passwordChange,
  });
  // Every call of JOURNEY_CALLS needs its handler here, from its region's module, or this does not compile.
  const calls: { readonly [K in JourneyCall]: JourneyHandler } = {
    ...pinSetup.routes,
    ...passwordChange.routes,
    ...passwordReset.routes,
  };
  const journeyHandlers = { ...calls, ...passwordReset.aliases };

  /** The route's next queued fault, then the app key, then the route's own rules. */
  async function answerAfterFault(
    exchange: Exchange,
    queue: FakeFault[],
    rules: () => Answer,
  ): Promise<void> {
    const fault = queue.shift();
    if (fault !== undefined && (await playFault(fault, exchange))) return;
    if (headerValue(exchange.req, 'et-app-key') !== appKey)
      return exchange.send([badAppKeyStatus, APP_KEY_ERROR]);
    exchange.send(rules());
  }

  /** A 405 with `Allow`, in the route's own body. */
  const methodNotAllowed = (exchange: Exchange, method: string, body: object) =>
    exchange.send([405, body, { allow: options.cors ? `${method}, OPTIONS` : method }]);

  async function routeRequest(exchange: Exchange): Promise<void> {
    const { req } = exchange;
    const journeyRoute = journeyRouteOf(exchange.route);
    if (journeyRoute !== undefined) {
      const { method } = FAKE_ETNA_ROUTES[journeyRoute];
      if (req.method !== method) {
        return methodNotAllowed(
          exchange,
          method,
          envelope(null, false, ['Method not allowed.'], ['ErrorMethodNotAllowed']),
        );
      }
      return answerAfterFault(exchange, faults.journey[callOf(journeyRoute)], () =>
        answerJourney(journeyHandlers[journeyRoute], {
          authorization: headerValue(req, 'authorization'),
          contentType: headerValue(req, 'content-type'),
          query: exchange.query,
          body: exchange.body,
        }),
      );
    }
    const logout = exchange.route === SESSION_ROUTES.logout.path;
    if (exchange.route !== TOKEN_ROUTE.path && !logout) {
      return answerAfterFault(exchange, faults.api, () => sessions.answerApi(req, exchange.route));
    }
    if (req.method !== 'POST') return methodNotAllowed(exchange, 'POST', { error: 'Method not allowed' });
    if (logout) return answerAfterFault(exchange, faults.logout, () => sessions.answerLogout(req));
    return answerAfterFault(exchange, faults.token, () => login.answerToken(req));
  }

  const http = await startHttpServer(
    {
      host: options.host ?? '127.0.0.1',
      port: options.port,
      basePath: options.basePath ?? '/api/',
      cors: options.cors === true,
      keepAliveTimeout: options.keepAliveTimeout,
    },
    routeRequest,
  );

  return {
    url: http.url,
    appKey,
    users: users.rows,
    requests: http.requests,
    mailbox: mailbox.mails,
    lastMail: (username, kind) => mailbox.last(username, kind),
    mailTo: (loginOrEmail) => {
      const owner = users.find(loginOrEmail)?.username;
      return owner === undefined ? [] : mailbox.mails.filter((mail) => mail.to === owner);
    },
    waitForMail: (username, kind, after) => mailbox.wait(username, kind, after),
    inject: (...more) => {
      faults.token.push(...more);
    },
    injectLogout: (...more) => {
      faults.logout.push(...more);
    },
    injectApi: (...more) => {
      faults.api.push(...more);
    },
    injectAt: (route, ...more) => {
      const queue = Object.hasOwn(faults.journey, route) ? faults.journey[route] : undefined;
      if (queue === undefined) throw new RangeError(`No journey route named ${String(route)}`);
      queue.push(...more);
    },
    clearFaults: () => faults.clear(),
    sessionOwner: (token) => sessions.owner(token),
    isSessionActive: (token) => sessions.isActive(token),
    revokeSessions: (username) => sessions.revoke(username),
    resetUsers: () => users.reset(),
    waitForRequests: http.waitForRequests,
    waitForEnd: http.waitForEnd,
    close: http.close,
  };
}
