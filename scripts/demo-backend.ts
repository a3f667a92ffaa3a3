// The demo's backend-for-frontend mode (`npm start -- --bff`): etna-auth/server in the demo server's process logs
// into the embedded fake ETNA server, and the page holds no app key and no token, only the backend's cookie. The
// backend owns the machine's settings, so a page asking for other timings (the "2-minute session" link,
// `?sessionLifetime=…&sessionWarning=…`) gets a backend of its own with them, at its own path and cookie; the page
// learns its path from the HTML. A test may also let a page name its own fake server (`?api=`, loopback only).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createEtnaBff,
  DEFAULT_BFF_PATH,
  type EtnaBff,
  type EtnaBffMachineOptions,
  type EtnaBffOptions,
} from '../src/server/index.js';
import type { FakeEtnaServer } from '../src/testing/index.js';
import { DEMO_FAULT_HEADER, demoFaultNamed, injectDemoFault } from './demo-faults.js';

/**
 * What the demo server's backends are made with besides the fake server.
 * @example startDemoServer({ backend: { pageEtna: true, bff: { absoluteTimeout: 86_400_000 } } })
 */
export interface DemoBackendOptions {
  /**
   * Whether a page's `?api=<http://127.0.0.1:…/>` names the fake server its backend logs into: a test's own, one
   * per model path. Loopback only, and off by default: the backend sends the app key and the passwords there.
   * @default false
   */
  readonly pageEtna?: boolean;
  /** More options for every backend (a test's clock and timeouts). */
  readonly bff?: Partial<Omit<EtnaBffOptions, 'etna' | 'allowedOrigins' | 'basePath' | 'cookieName' | 'api'>>;
}

/** The backends of one demo server, by the path each answers below. */
export interface DemoBackends {
  /** The path of the backend for a page's query (made on first use): `/etna-auth/` without settings. */
  pathFor(query: URLSearchParams): string;
  /** The name of the cookie the backend for a page's query sets (tests seed a browser's session under it). */
  cookieNameFor(query: URLSearchParams): string;
  /** Answers a request below `/etna-auth/`; false when it is not one. */
  answer(req: IncomingMessage, res: ServerResponse): boolean;
  close(): Promise<void>;
}

/** The one API call the demo's session panel makes. */
const API_ROUTES = [{ method: 'GET', path: 'v1.0/users/@me/info' }] as const;
/** The page's timing parameters (as demo/main.ts lists them): the backend's machine takes them. */
const TIMINGS = ['timeout', 'maxSteps', 'sessionLifetime', 'resendCooldown', 'sessionWarning'] as const;
/** Backends kept besides the default one; making another closes the oldest (a test makes one per path). */
const MAX_OTHER_BACKENDS = 4;
const COOKIE = '__Host-etna-auth';

interface Backend {
  readonly bff: EtnaBff;
  readonly cookieName: string;
  /** The fault the page's select asked for, waiting for the backend's next request of the login. */
  fault: string | undefined;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 12);

/** The machine settings a page's query asks for: whole numbers above 0, and `slidingSession=1`. */
function timingsOf(query: URLSearchParams): Partial<EtnaBffMachineOptions> {
  const settings: Record<string, number | boolean> = {};
  for (const name of TIMINGS) {
    const value = Number(query.get(name));
    if (Number.isInteger(value) && value > 0) settings[name] = value;
  }
  if (query.get('slidingSession') === '1') settings.slidingSession = true;
  return settings;
}

/** A fake server on this machine that the query names, when the demo server honours it. */
function loopbackApi(query: URLSearchParams): string | undefined {
  const asked = URL.canParse(query.get('api') ?? '') ? new URL(query.get('api') ?? '') : undefined;
  return asked?.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(asked.hostname)
    ? asked.href
    : undefined;
}

/** The route of a request the backend sends to the fake server, relative to its root. */
function routeOf(input: RequestInfo | URL, root: string): string {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const base = new URL(root).pathname;
  return url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname;
}

/** The backends of a demo server whose pages come from `origins`, logging into `etna` (or a page's own, see above). */
export function createDemoBackends(
  etna: FakeEtnaServer,
  origins: readonly string[],
  options: DemoBackendOptions = {},
): DemoBackends {
  const backends = new Map<string, Backend>();
  const closing: Promise<void>[] = [];

  function make(path: string, cookieName: string, settings: Partial<EtnaBffMachineOptions>, api?: string) {
    const baseUrl = api ?? etna.url;
    const backend: Backend = {
      fault: undefined,
      cookieName,
      bff: createEtnaBff({
        ...options.bff,
        etna: {
          ...settings,
          baseUrl,
          appKey: etna.appKey,
          // The select's fault, queued at the route of the backend's next request of the login.
          fetch: (input, init) => {
            const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
            const { fault } = backend;
            if (fault && !api && injectDemoFault(fault, method, routeOf(input, baseUrl), etna))
              backend.fault = undefined;
            return globalThis.fetch(input, init);
          },
        },
        allowedOrigins: origins,
        api: { routes: API_ROUTES },
        basePath: path,
        cookieName,
      }),
    };
    backends.set(path, backend);
    const others = [...backends.keys()].filter((key) => key !== DEFAULT_BFF_PATH);
    for (const old of others.slice(0, Math.max(0, others.length - MAX_OTHER_BACKENDS))) {
      closing.push((backends.get(old) as Backend).bff.close());
      backends.delete(old);
    }
    return backend;
  }

  const defaultBackend = () => backends.get(DEFAULT_BFF_PATH) ?? make(DEFAULT_BFF_PATH, COOKIE, {});

  const pathFor = (query: URLSearchParams): string => {
    const settings = timingsOf(query);
    const api = options.pageEtna ? loopbackApi(query) : undefined;
    const timings = JSON.stringify(settings);
    if (api === undefined && timings === '{}') {
      defaultBackend();
      return DEFAULT_BFF_PATH;
    }
    const path = `${DEFAULT_BFF_PATH}${digest(JSON.stringify([api, timings]))}/`;
    if (backends.has(path)) return path;
    try {
      // Its own cookie per set of timings: a page of the 2-minute session keeps the default one's session.
      make(path, `${COOKIE}-${digest(timings)}`, settings, api);
      return path;
    } catch {
      // Timings the machine refuses (a warning longer than the session, say): the default backend.
      defaultBackend();
      return DEFAULT_BFF_PATH;
    }
  };

  return {
    pathFor,
    cookieNameFor: (query) => (backends.get(pathFor(query)) ?? defaultBackend()).cookieName,
    answer(req, res) {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (!path.startsWith(DEFAULT_BFF_PATH)) return false;
      const own = `${DEFAULT_BFF_PATH}${path.slice(DEFAULT_BFF_PATH.length).split('/')[0]}/`;
      const backend = backends.get(own) ?? defaultBackend();
      const fault = req.method === 'POST' ? demoFaultNamed(req.headers[DEMO_FAULT_HEADER]) : undefined;
      if (fault) backend.fault = fault;
      backend.bff.handler(req, res);
      return true;
    },
    async close() {
      await Promise.all([...closing, ...[...backends.values()].map((backend) => backend.bff.close())]);
      backends.clear();
    },
  };
}
