// The options of `createEtnaBff`: their documentation, their defaults, and the one check that turns them into
// the configuration the handler runs with.
import type { InspectionEvent } from 'xstate';
import { EtnaConfigurationError } from '../configuration-error.js';
import { DEFAULT_BFF_PATH } from '../contract/bff.js';
import { DEFAULT_SESSION_LIFETIME_MS } from '../defaults.js';
import type { EtnaAuthOptions } from '../options.js';
import type { EtnaBffLogEntry } from './bff-log.js';
import { memorySessionStore } from './stores/memory-store.js';
import type { EtnaBffStore } from './stores/session-store.js';

/**
 * One API route the proxy forwards: a method and a path below the API root, exact or a pattern.
 * @example const route: EtnaApiRoute = { method: 'GET', path: 'v1.0/accounts/*' };
 */
export interface EtnaApiRoute {
  /** `GET`, `POST`, `PUT`, `PATCH` or `DELETE`. */
  readonly method: string;
  /**
   * The path below the API root as the browser sends it (no leading slash, no query): a string matches exactly,
   * a RegExp is tested against the whole path (anchor it). Paths with `..`, `//`, a backslash or an encoded
   * dot or slash never match.
   * @example 'v1.0/users/@me/info'
   * @example /^v1\.0\/accounts\/\d+\/orders$/
   */
  readonly path: string | RegExp;
}

/**
 * The API calls the backend forwards to ETNA for the browser: an allow-list, and its limits.
 * @example api: { routes: [{ method: 'GET', path: 'v1.0/users/@me/info' }] } satisfies EtnaApiProxyOptions
 */
export interface EtnaApiProxyOptions {
  /** The API calls the browser may make; nothing else is forwarded. */
  readonly routes: readonly EtnaApiRoute[];
  /**
   * Milliseconds one API call may take at ETNA, answer body included; past it the browser gets 504.
   * @default 10000
   */
  readonly timeout?: number;
  /**
   * The largest request body the browser may send, in bytes; larger ones get 413.
   * @default 1048576 (1 MiB)
   */
  readonly maxRequestBytes?: number;
  /**
   * The largest answer body forwarded, in bytes; a larger answer gets 502.
   * @default 8388608 (8 MiB)
   */
  readonly maxResponseBytes?: number;
}

/**
 * The ETNA options the server-side machine runs with; storage belongs to the backend.
 * @example const etna: EtnaBffMachineOptions = { baseUrl: 'https://broker.example/api/', appKey };
 */
export type EtnaBffMachineOptions = Omit<EtnaAuthOptions, 'persist' | 'persistKey'>;

/**
 * The backend-for-frontend: the ETNA environment it logs into, who may call it, its cookie, sessions and proxy.
 * @example createEtnaBff({ etna: { baseUrl, appKey }, allowedOrigins: ['https://app.example'] } satisfies EtnaBffOptions)
 */
export interface EtnaBffOptions {
  /** The ETNA environment, as for `createEtnaAuthMachine`: `baseUrl`, `appKey` (kept here), timeouts, limits. */
  readonly etna: EtnaBffMachineOptions;
  /**
   * The origins of the pages that use the backend, e.g. `https://app.example`: a state-changing request must
   * come from one of them (its `Origin` header). Serve the backend on the page's own origin.
   * @example ['https://trade.broker.example']
   */
  readonly allowedOrigins: readonly string[];
  /** The API calls the proxy forwards, with the session's token and the app key added here. */
  readonly api?: EtnaApiProxyOptions;
  /**
   * The path the handler answers below; other requests go to `next` (or get 404).
   * @default '/etna-auth/'
   */
  readonly basePath?: string;
  /**
   * Where sessions live: `memorySessionStore()` for one process, `redisSessionStore({ url })` for several.
   * @default memorySessionStore()
   */
  readonly store?: EtnaBffStore;
  /**
   * Milliseconds without a request from the browser (the watch stream does not count) after which the session
   * ends. Half an hour: the inactivity a brokerage's own sessions allow (a re-branded copy of the platform ends
   * its tokens after 60 minutes without use), short enough that a forgotten screen does not stay logged in.
   * @default 1800000 (30 minutes)
   */
  readonly idleTimeout?: number;
  /**
   * Milliseconds after the login at which the session ends whatever happens: a trading day from the pre-market to
   * the after-hours, half the token's 24 hours. The machine's session lifetime is the shorter of this and
   * `etna.sessionLifetime`, so its warning (`etna.sessionWarning`) comes before this end.
   * @default 43200000 (12 hours)
   */
  readonly absoluteTimeout?: number;
  /**
   * Milliseconds a login in flight may wait for the user (a PIN, a code, a new password) before it is dropped.
   * @default 900000 (15 minutes)
   */
  readonly loginTimeout?: number;
  /**
   * Logins in flight this process holds at most; past it a new login gets 503, so a flood of unauthenticated
   * posts cannot take the memory.
   * @default 10000
   */
  readonly maxLoginsInFlight?: number;
  /**
   * The cookie's name. The `__Host-` prefix makes browsers refuse it unless it is `Secure`, `Path=/` and has no
   * `Domain`, so no other host (a sibling subdomain) can set or overwrite it.
   * @default '__Host-etna-auth'
   */
  readonly cookieName?: string;
  /** Hears what the handler does: one entry per request, and what went wrong. Entries never hold a secret. */
  readonly log?: (entry: EtnaBffLogEntry) => void;
  /**
   * An inspection observer for the server's login actors (e.g. a Stately inspector's `inspect`): it is always
   * wrapped in `withRedaction`, and the app key is redacted from the settings too, so no secret reaches it.
   */
  readonly inspect?: (event: InspectionEvent) => void;
  /** XState's clock for the login actors' timers (tests: a `SimulatedClock`). @default real time */
  readonly clock?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void };
}

/** The options, checked and with their defaults. */
export interface BffConfig {
  readonly etna: EtnaAuthOptions;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly routes: readonly EtnaApiRoute[];
  readonly apiTimeout: number;
  readonly maxRequestBytes: number;
  readonly maxResponseBytes: number;
  readonly basePath: string;
  readonly store: EtnaBffStore;
  /** True when the store was made here (memory): `close()` closes it. */
  readonly ownsStore: boolean;
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
  readonly loginTimeout: number;
  readonly maxLoginsInFlight: number;
  readonly cookieName: string;
  readonly log: ((entry: EtnaBffLogEntry) => void) | undefined;
  readonly inspect: ((event: InspectionEvent) => void) | undefined;
  readonly clock: EtnaBffOptions['clock'];
}

const DEFAULTS = {
  idleTimeout: 30 * 60_000,
  absoluteTimeout: 12 * 3_600_000,
  loginTimeout: 15 * 60_000,
  maxLoginsInFlight: 10_000,
  apiTimeout: 10_000,
  maxRequestBytes: 1 << 20,
  maxResponseBytes: 8 << 20,
  cookieName: '__Host-etna-auth',
} as const;

const API_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_TIMER_MS = 2_147_483_647;
/** A cookie name: an RFC 6265 token. */
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function positive(option: string, value: unknown, fallback: number, max = MAX_TIMER_MS): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new EtnaConfigurationError(option, `must be a whole number from 1 to ${max}`);
  }
  return value;
}

function originOf(value: unknown): string {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value) return value;
    } catch {
      // Reported below.
    }
  }
  throw new EtnaConfigurationError(
    'allowedOrigins',
    'must list origins such as https://app.example (scheme, host and port only, no trailing slash)',
  );
}

function routesOf(api: EtnaApiProxyOptions | undefined): readonly EtnaApiRoute[] {
  if (api === undefined) return [];
  if (typeof api !== 'object' || api === null || !Array.isArray(api.routes)) {
    throw new EtnaConfigurationError('api.routes', 'must be a list of { method, path }');
  }
  return api.routes.map((route) => {
    const method = typeof route?.method === 'string' ? route.method.toUpperCase() : '';
    if (!API_METHODS.has(method)) {
      throw new EtnaConfigurationError('api.routes', `method must be one of ${[...API_METHODS].join(', ')}`);
    }
    const { path } = route;
    if (!(path instanceof RegExp) && (typeof path !== 'string' || path === '' || path.startsWith('/'))) {
      throw new EtnaConfigurationError(
        'api.routes',
        'path must be a RegExp or a path without a leading slash',
      );
    }
    return { method, path };
  });
}

/** Checks every option once, up front, so a misconfigured backend fails at start. */
export function resolveBffOptions(options: EtnaBffOptions): BffConfig {
  if (typeof options !== 'object' || options === null) {
    throw new EtnaConfigurationError('options', 'are required: { etna, allowedOrigins }');
  }
  if (typeof options.etna !== 'object' || options.etna === null) {
    throw new EtnaConfigurationError('etna', 'is required: { baseUrl, appKey }');
  }
  if (!Array.isArray(options.allowedOrigins) || options.allowedOrigins.length === 0) {
    throw new EtnaConfigurationError('allowedOrigins', 'must list at least one origin');
  }
  const basePath = options.basePath ?? DEFAULT_BFF_PATH;
  if (typeof basePath !== 'string' || !/^\/([\w.~-]+\/)*$/.test(basePath)) {
    throw new EtnaConfigurationError('basePath', 'must start and end with a slash, e.g. /etna-auth/');
  }
  const cookieName = options.cookieName ?? DEFAULTS.cookieName;
  if (typeof cookieName !== 'string' || !COOKIE_NAME.test(cookieName)) {
    throw new EtnaConfigurationError('cookieName', 'must be a cookie name (letters, digits, -, _ …)');
  }
  const absoluteTimeout = positive('absoluteTimeout', options.absoluteTimeout, DEFAULTS.absoluteTimeout);
  const lifetime = options.etna.sessionLifetime ?? DEFAULT_SESSION_LIFETIME_MS;
  const api = options.api;
  return {
    // The machine's session ends no later than the absolute timeout, so its warning comes before that end.
    etna: { ...options.etna, sessionLifetime: Math.min(lifetime, absoluteTimeout) },
    allowedOrigins: new Set(options.allowedOrigins.map(originOf)),
    routes: routesOf(api),
    apiTimeout: positive('api.timeout', api?.timeout, DEFAULTS.apiTimeout),
    maxRequestBytes: positive('api.maxRequestBytes', api?.maxRequestBytes, DEFAULTS.maxRequestBytes),
    maxResponseBytes: positive('api.maxResponseBytes', api?.maxResponseBytes, DEFAULTS.maxResponseBytes),
    basePath,
    store: options.store ?? memorySessionStore(),
    ownsStore: options.store === undefined,
    idleTimeout: positive('idleTimeout', options.idleTimeout, DEFAULTS.idleTimeout),
    absoluteTimeout,
    loginTimeout: positive('loginTimeout', options.loginTimeout, DEFAULTS.loginTimeout),
    maxLoginsInFlight: positive(
      'maxLoginsInFlight',
      options.maxLoginsInFlight,
      DEFAULTS.maxLoginsInFlight,
      1_000_000,
    ),
    cookieName,
    log: typeof options.log === 'function' ? options.log : undefined,
    inspect: typeof options.inspect === 'function' ? options.inspect : undefined,
    clock: options.clock,
  };
}
