import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { createActor } from 'xstate';
import { BFF_ROUTES, type BffLoginView } from '../contract/bff.js';
import { Secret } from '../contract/secret.js';
import { createEtnaAuthMachine } from '../create-etna-auth-machine.js';
import type { EtnaAuthEvent } from '../machine/types.js';
import { resolveOptions } from '../options.js';
import { createLogout } from '../services/logout.js';
import { type ApiProxyConfig, proxyApiCall } from './api-proxy.js';
import { type EtnaBffOptions, resolveBffOptions } from './bff-options.js';
import { parseBrowserEvent } from './browser-event.js';
import { BffRefusal, readRequestBody, sendJson, sendRefusal } from './http-io.js';
import { lostLoginView, viewOf } from './login-view.js';
import { guardStateChange } from './request-guard.js';
import { type Located, Residents } from './residents.js';
import { inspectBackend } from './server-inspection.js';
import { clearedCookie, sessionCookie } from './session-cookie.js';
import { BrowserRecords, newBrowserId } from './session-records.js';
import { EtnaStoreUnavailableError } from './stores/session-store.js';
import { streamViews } from './watch-stream.js';

/** The largest event body: a few fields of at most 1 024 characters. */
const MAX_EVENT_BYTES = 8 * 1024;

/**
 * A backend-for-frontend: its request handler, and what stops it.
 * @example const bff: EtnaBff = createEtnaBff(options); http.createServer(bff.handler).listen(8080);
 */
export interface EtnaBff {
  /**
   * The `node:http` request handler: answers below `basePath`; anything else goes to `next` when given (Express,
   * Connect), or gets 404. Mount it before any body parser.
   */
  readonly handler: (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;
  /** Logins in flight held by this process (not the sessions). */
  readonly loginsInFlight: () => number;
  /** Stops every login actor and timer; closes the store when the backend made it (the default memory store). */
  close(): Promise<void>;
}

/**
 * A backend-for-frontend for ETNA: the login chart runs here, one actor per login attempt, and the browser drives
 * it through `etna-auth/remote` with the same events, holding only an `HttpOnly` cookie; API calls go through an
 * allow-listed proxy that adds the session's token and the app key. Throws `EtnaConfigurationError` for options
 * that cannot work.
 * @example
 * const bff = createEtnaBff({ etna: { baseUrl, appKey }, allowedOrigins: ['https://app.example'],
 *   api: { routes: [{ method: 'GET', path: 'v1.0/users/@me/info' }] } });
 * http.createServer(bff.handler).listen(8080);
 */
export function createEtnaBff(options: EtnaBffOptions): EtnaBff {
  const config = resolveBffOptions(options);
  // The ETNA options are checked once, here, as the machine would check them.
  const service = resolveOptions(config.etna);
  const records = new BrowserRecords(config.store);
  const log = config.log;
  const logout = service.serverLogout ? createLogout(service) : undefined;
  const inspect = config.inspect && inspectBackend(config.inspect);
  // One machine for the process; each login is an actor of it.
  const machine = createEtnaAuthMachine(config.etna);
  const residents = new Residents({
    records,
    idleTimeout: config.idleTimeout,
    absoluteTimeout: config.absoluteTimeout,
    loginTimeout: config.loginTimeout,
    cookieName: config.cookieName,
    maxLoginsInFlight: config.maxLoginsInFlight,
    machine,
    actorOptions: () => ({
      ...(inspect && { inspect }),
      ...(config.clock && { clock: config.clock as never }),
    }),
    revoke: (token) => {
      logout?.(new Secret(token)).catch(() => {});
    },
    onStoreTrouble: (message) => log?.({ level: 'warn', event: 'storeUnavailable', message }),
  });
  // What a browser without a login sees: the machine's first snapshot.
  const fresh = viewOf(createActor(machine).getSnapshot(), '', 0);
  const proxy: ApiProxyConfig = {
    apiRoot: service.apiRoot,
    appKey: service.appKey,
    routes: config.routes,
    timeout: config.apiTimeout,
    maxRequestBytes: config.maxRequestBytes,
    maxResponseBytes: config.maxResponseBytes,
    fetch: service.fetch,
  };
  // How long a logout waits for ETNA's answer (its request's own timeout, and some).
  const logoutWaitMs = service.timeout + 1_000;

  const viewFor = (located: Located): BffLoginView =>
    located.kind === 'resident'
      ? located.resident.view()
      : located.kind === 'lost'
        ? lostLoginView(fresh)
        : fresh;

  /**
   * The cookie an answer sets: the browser's new id after a login (once), or, for a browser without one, an id of
   * its own from its first request on, which its tabs then share (nothing is stored for it before a login starts).
   */
  const cookieHeaders = (located: Located): { headers: OutgoingHttpHeaders; id: string } => {
    const resident = located.kind === 'resident' ? located.resident : undefined;
    const value = resident
      ? resident.cookieFor(located.id)
      : located.id === undefined
        ? newBrowserId()
        : undefined;
    return {
      headers: value ? { 'set-cookie': sessionCookie(config.cookieName, value) } : {},
      id: (value ?? located.id) as string,
    };
  };

  async function answerView(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const located = await residents.locate(req);
    if (located.kind === 'resident') await located.resident.touch();
    sendJson(res, 200, viewFor(located), cookieHeaders(located).headers);
  }

  async function answerWatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const located = await residents.locate(req);
    const resident = located.kind === 'resident' ? located.resident : undefined;
    await resident?.flush();
    const { headers, id } = cookieHeaders(located);
    streamViews(req, res, viewFor(located), resident, headers, id, (onResident) =>
      residents.awaitResident(id, onResident),
    );
  }

  async function answerEvent(req: IncomingMessage, res: ServerResponse): Promise<void> {
    guardStateChange(req, config.allowedOrigins);
    if (!String(req.headers['content-type']).startsWith('application/json')) {
      throw new BffRefusal('mediaType', 'send the event as application/json');
    }
    const event = parseBrowserEvent(await readRequestBody(req, MAX_EVENT_BYTES));
    const located = await residents.locate(req);
    let resident = located.kind === 'resident' ? located.resident : undefined;
    if (!resident) {
      if (located.kind === 'lost' && (event.type === 'RETRY' || event.type === 'CANCEL')) {
        await records.remove(located.keys);
        sendJson(res, 200, fresh);
        return;
      }
      if (located.kind === 'lost' || !acceptsInitially(event)) throw notAccepted(event, viewFor(located));
      resident = await residents.startLogin(located.id ?? newBrowserId());
    } else {
      if (!resident.actor.getSnapshot().can(event)) throw notAccepted(event, resident.view());
      await resident.touch();
    }
    // Answered at once, as a local actor takes an event: the watch stream shows what follows.
    resident.actor.send(event);
    await resident.flush();
    const value = resident.cookieFor(located.id);
    sendJson(
      res,
      200,
      resident.view(),
      value ? { 'set-cookie': sessionCookie(config.cookieName, value) } : {},
    );
  }

  /** The first event of a login: what a fresh machine takes. */
  const acceptsInitially = (event: EtnaAuthEvent) => fresh.can[event.type as keyof typeof fresh.can] === true;

  async function answerLogout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    guardStateChange(req, config.allowedOrigins);
    const located = await residents.locate(req);
    if (located.kind === 'lost') await records.remove(located.keys);
    let view = fresh;
    if (located.kind === 'resident') {
      const { resident } = located;
      await resident.flush();
      const snapshot = resident.actor.getSnapshot();
      if (snapshot.can({ type: 'LOGOUT' })) resident.actor.send({ type: 'LOGOUT' });
      else if (snapshot.can({ type: 'CANCEL' })) resident.actor.send({ type: 'CANCEL' });
      await resident.settled(logoutWaitMs);
      await resident.flush();
      view = resident.view();
      residents.drop(resident);
    }
    sendJson(res, 200, view, { 'set-cookie': clearedCookie(config.cookieName) });
  }

  async function answerApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    guardStateChange(req, config.allowedOrigins);
    const located = await residents.locate(req);
    const resident = located.kind === 'resident' ? located.resident : undefined;
    if (resident) await resident.touch();
    if (!resident?.inSession) throw new BffRefusal('noSession', 'no session: log in first');
    await proxyApiCall(req, res, resident, path, proxy, cookieHeaders(located).headers);
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<string> {
    const method = req.method ?? 'GET';
    const only = (allowed: string) => {
      if (!allowed.split(', ').includes(method)) {
        throw new BffRefusal('method', `use ${allowed}`, undefined, { allow: allowed });
      }
    };
    if (path.startsWith(BFF_ROUTES.api)) {
      await answerApi(req, res, path.slice(BFF_ROUTES.api.length));
      return `${BFF_ROUTES.api}${path.slice(BFF_ROUTES.api.length).split('?')[0]}`;
    }
    const name = path.split('?')[0] ?? '';
    if (name === BFF_ROUTES.view) {
      only('GET, HEAD');
      await answerView(req, res);
    } else if (name === BFF_ROUTES.watch) {
      only('GET');
      await answerWatch(req, res);
    } else if (name === BFF_ROUTES.events) {
      only('POST');
      await answerEvent(req, res);
    } else if (name === BFF_ROUTES.logout) {
      only('POST');
      await answerLogout(req, res);
    } else {
      throw new BffRefusal('notFound', 'no such route');
    }
    return name;
  }

  const handler: EtnaBff['handler'] = (req, res, next) => {
    const url = req.url ?? '/';
    if (!url.startsWith(config.basePath)) {
      if (next) next();
      else sendRefusal(res, new BffRefusal('notFound', 'no such route'));
      return;
    }
    const started = performance.now();
    const path = url.slice(config.basePath.length);
    let routeName = path.split('?')[0] ?? '';
    let kind: string | undefined;
    route(req, res, path)
      .then((name) => {
        routeName = name;
      })
      .catch((error: unknown) => {
        const refusal =
          error instanceof BffRefusal
            ? error
            : error instanceof EtnaStoreUnavailableError
              ? new BffRefusal('storeUnavailable', 'the session store cannot be reached: try again shortly')
              : undefined;
        if (refusal) {
          kind = refusal.kind;
          sendRefusal(res, refusal);
          return;
        }
        log?.({
          level: 'error',
          event: 'unexpected',
          message: error instanceof Error ? error.name : 'error',
        });
        sendJson(res, 500, { error: { kind: 'internal', message: 'the backend failed' } });
      })
      .finally(() => {
        log?.({
          level: res.statusCode >= 500 ? 'warn' : 'info',
          event: 'request',
          method: req.method,
          route: routeName.startsWith(BFF_ROUTES.api)
            ? routeName
            : routeName.split('/').slice(0, 2).join('/'),
          status: res.statusCode,
          ...(kind && { kind }),
          ms: Math.round(performance.now() - started),
        });
      });
  };

  return {
    handler,
    loginsInFlight: () => residents.loginsInFlight,
    close: async () => {
      await residents.close();
      if (config.ownsStore) await config.store.close();
    },
  };
}

function notAccepted(event: EtnaAuthEvent, view: BffLoginView): BffRefusal {
  return new BffRefusal('notAccepted', `${event.type} is not taken in this state; nothing was sent`, view);
}
