// The options of `createEtnaAuthMachine`: their documentation, their defaults, and the one check that turns
// them into the settings the machine takes and the configuration the services take.
import { EtnaConfigurationError } from './configuration-error.js';
import { headerValueProblem } from './contract/header-value.js';
import { withoutUserinfo } from './contract/userinfo.js';
import {
  DEFAULT_MAX_STEPS,
  DEFAULT_PERSIST_KEY,
  DEFAULT_RESEND_COOLDOWN_MS,
  DEFAULT_SERVER_LOGOUT,
  DEFAULT_SESSION_LIFETIME_MS,
  DEFAULT_SESSION_WARNING_MS,
  DEFAULT_SLIDING_SESSION,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMER_MS,
} from './defaults.js';
import type { ServiceConfig } from './services/service-config.js';
import type { EtnaAsyncSessionStorage, EtnaSessionStorage } from './session/storage.js';

/**
 * The options of `createEtnaAuthMachine`: where the broker's ETNA API is, its application key, and the limits,
 * lifetimes and storage of the login. Only `baseUrl` and `appKey` are required.
 * @example createEtnaAuthMachine({ baseUrl: 'https://broker.example/api/', appKey: 'your-app-key' })
 */
export interface EtnaAuthOptions {
  /**
   * The API root of the broker's ETNA environment; `/token` is resolved against it.
   * A trailing slash is optional, and a URL that already ends in `/token` is used as is.
   * Plain `http://` is accepted only for loopback hosts (tests, the demo server).
   * @example createEtnaAuthMachine({ baseUrl: 'https://pub-api-et-demo-prod.etnasoft.us/api/', appKey })
   */
  readonly baseUrl: string;
  /**
   * The application key from the back office, sent as `Et-App-Key` on every request.
   * @example createEtnaAuthMachine({ baseUrl, appKey: process.env.ETNA_APP_KEY! })
   */
  readonly appKey: string;
  /**
   * Milliseconds one `/token` request may take, answer body included.
   * @default {@link DEFAULT_TIMEOUT_MS}
   * @example createEtnaAuthMachine({ baseUrl, appKey, timeout: 20_000 })
   */
  readonly timeout?: number;
  /**
   * How many Expecting (202) answers may follow each other in one login before it stops with a `protocol` error.
   * @default {@link DEFAULT_MAX_STEPS}
   * @example createEtnaAuthMachine({ baseUrl, appKey, maxSteps: 3 })
   */
  readonly maxSteps?: number;
  /**
   * Milliseconds after a verification code was sent before `RESEND_CODE` is offered (a 429 to a resend holds
   * it back for its `Retry-After` too). `context.resendAvailableAt` says until when.
   * @default {@link DEFAULT_RESEND_COOLDOWN_MS}
   * @example createEtnaAuthMachine({ baseUrl, appKey, resendCooldown: 60_000 })
   */
  readonly resendCooldown?: number;
  /**
   * Replaces the global `fetch` (tests, React Native, proxies).
   * @default globalThis.fetch
   * @example createEtnaAuthMachine({ baseUrl, appKey, fetch: (url, init) => fetch(url, { ...init, credentials: 'omit' }) })
   */
  readonly fetch?: typeof globalThis.fetch;
  /**
   * Milliseconds a session lasts after login before the machine ends it with reason `expired`.
   * @default {@link DEFAULT_SESSION_LIFETIME_MS}, the platform's token lifetime
   * @example createEtnaAuthMachine({ baseUrl, appKey, sessionLifetime: 8 * 3_600_000 })
   */
  readonly sessionLifetime?: number;
  /**
   * Milliseconds before the session's end at which the chart enters `succeeded.endingSoon` (tag `endingSoon`), so
   * a UI can show a countdown and let the user log in again in place. Less than `sessionLifetime`; 0 or unset:
   * no warning.
   * @default {@link DEFAULT_SESSION_WARNING_MS} (no warning)
   * @example createEtnaAuthMachine({ baseUrl, appKey, sessionWarning: 120_000 })
   */
  readonly sessionWarning?: number;
  /**
   * For deployments that end a session after a period without API calls: each successful `createEtnaClient`
   * call moves the session's end to `sessionLifetime` from then (set `sessionLifetime` to the inactivity period,
   * e.g. 3 600 000 for 60 minutes). Off, the session ends `sessionLifetime` after the login, whatever happens.
   * @default {@link DEFAULT_SLIDING_SESSION} (off)
   * @example createEtnaAuthMachine({ baseUrl, appKey, slidingSession: true, sessionLifetime: 3_600_000 })
   */
  readonly slidingSession?: boolean;
  /**
   * Whether `LOGOUT` tells the server with `POST {baseUrl}/logout` (best effort: the session ends locally
   * whatever the answer). Off, logging out only forgets the token, which stays valid on the server until it expires.
   * @default {@link DEFAULT_SERVER_LOGOUT} (on)
   * @example createEtnaAuthMachine({ baseUrl, appKey, serverLogout: false })
   */
  readonly serverLogout?: boolean;
  /**
   * Where to keep the session across reloads: `memoryStorage()`, `browserSessionStorage()`,
   * `browserLocalStorage()`, or anything with `getItem`/`setItem`/`removeItem`, answering at once or with
   * Promises (React Native's AsyncStorage, an IndexedDB wrapper): with one that answers later, the machine
   * starts in `restoring` until the stored session is read. Only the session token, its expiry and the username
   * are stored.
   * With `browserLocalStorage()` (or any storage with `subscribe`), the tabs of an origin share one session: a
   * login, logout, revocation or expiry in one is seen by all.
   * @default unset: the session lives in the actor only, and a reload logs out
   * @example createEtnaAuthMachine({ baseUrl, appKey, persist: browserLocalStorage() })
   */
  readonly persist?: EtnaSessionStorage | EtnaAsyncSessionStorage;
  /**
   * The storage key, when several environments share one origin.
   * @default {@link DEFAULT_PERSIST_KEY}
   * @example createEtnaAuthMachine({ baseUrl, appKey, persist: browserSessionStorage(), persistKey: 'etna-auth.staging' })
   */
  readonly persistKey?: string;
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The absolute `/token` URL for a base URL, or an `EtnaConfigurationError` saying what is wrong. */
export function tokenUrlOf(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string' || baseUrl.trim() === '') {
    throw new EtnaConfigurationError('baseUrl', 'is required, e.g. https://broker.example/api/');
  }
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new EtnaConfigurationError('baseUrl', 'is not an absolute URL');
  }
  if (url.username || url.password) {
    throw new EtnaConfigurationError('baseUrl', 'must not carry credentials');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    // `alice:pw@broker.example` parses as the scheme `alice:`: a scheme is named only when no user can hide in it.
    const scheme = withoutUserinfo(baseUrl) === baseUrl ? url.protocol : 'another scheme';
    throw new EtnaConfigurationError('baseUrl', `uses ${scheme}; only https: is supported`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
    throw new EtnaConfigurationError(
      'baseUrl',
      'must use https: (plain http: is allowed only for loopback hosts)',
    );
  }
  if (/[?#]/.test(baseUrl)) {
    throw new EtnaConfigurationError('baseUrl', 'must not carry a query or a fragment');
  }
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = /\/token$/i.test(path) ? path : `${path}/token`;
  return url.href;
}

/** The API root of a `/token` URL: the same URL without its last segment. */
export function apiRootOf(tokenUrl: string): string {
  return tokenUrl.replace(/[^/]*$/, '');
}

function positiveInteger(option: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new EtnaConfigurationError(option, `must be a whole number from 1 to ${max}`);
  }
  return value;
}

/** The options, checked and with their defaults. */
interface EtnaConfig extends ServiceConfig {
  readonly maxSteps: number;
  readonly sessionLifetime: number;
  readonly resendCooldown: number;
  readonly sessionWarning: number;
  readonly slidingSession: boolean;
  readonly serverLogout: boolean;
  readonly persist: EtnaSessionStorage | EtnaAsyncSessionStorage | undefined;
  readonly persistKey: string;
}

const STORAGE_METHODS = ['getItem', 'setItem', 'removeItem'] as const;

/** Checks every option once, up front, so a misconfigured app fails at start and not at the first login. */
export function resolveOptions(options: EtnaAuthOptions | undefined): EtnaConfig {
  if (typeof options !== 'object' || options === null) {
    throw new EtnaConfigurationError('options', 'are required: { baseUrl, appKey }');
  }
  const tokenUrl = tokenUrlOf(options.baseUrl);
  const appKeyProblem = headerValueProblem('appKey', options.appKey);
  if (appKeyProblem) throw new EtnaConfigurationError('appKey', appKeyProblem.replace(/^appKey /, ''));
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new EtnaConfigurationError('fetch', 'must be a function compatible with globalThis.fetch');
  }
  const { persist, persistKey, serverLogout } = options;
  if (
    persist !== undefined &&
    (typeof persist !== 'object' ||
      persist === null ||
      STORAGE_METHODS.some((method) => typeof persist[method] !== 'function'))
  ) {
    throw new EtnaConfigurationError('persist', 'must have getItem, setItem and removeItem methods');
  }
  if (persistKey !== undefined && (typeof persistKey !== 'string' || persistKey === '')) {
    throw new EtnaConfigurationError('persistKey', 'must be a non-empty string');
  }
  if (serverLogout !== undefined && typeof serverLogout !== 'boolean') {
    throw new EtnaConfigurationError('serverLogout', 'must be true or false');
  }
  if (options.slidingSession !== undefined && typeof options.slidingSession !== 'boolean') {
    throw new EtnaConfigurationError('slidingSession', 'must be true or false');
  }
  const sessionLifetime = positiveInteger(
    'sessionLifetime',
    options.sessionLifetime,
    DEFAULT_SESSION_LIFETIME_MS,
    MAX_TIMER_MS,
  );
  const sessionWarning =
    options.sessionWarning === 0
      ? 0
      : positiveInteger('sessionWarning', options.sessionWarning, DEFAULT_SESSION_WARNING_MS, MAX_TIMER_MS);
  if (sessionWarning >= sessionLifetime) {
    throw new EtnaConfigurationError('sessionWarning', 'must be shorter than sessionLifetime');
  }
  return {
    tokenUrl,
    apiRoot: apiRootOf(tokenUrl),
    appKey: options.appKey,
    timeout: positiveInteger('timeout', options.timeout, DEFAULT_TIMEOUT_MS, MAX_TIMER_MS),
    maxSteps: positiveInteger('maxSteps', options.maxSteps, DEFAULT_MAX_STEPS, 100),
    fetch: options.fetch,
    sessionLifetime,
    sessionWarning,
    slidingSession: options.slidingSession ?? DEFAULT_SLIDING_SESSION,
    resendCooldown: positiveInteger(
      'resendCooldown',
      options.resendCooldown,
      DEFAULT_RESEND_COOLDOWN_MS,
      MAX_TIMER_MS,
    ),
    serverLogout: serverLogout ?? DEFAULT_SERVER_LOGOUT,
    persist,
    persistKey: persistKey ?? DEFAULT_PERSIST_KEY,
  };
}
