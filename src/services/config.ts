import { headerValueProblem } from '../contract/header-value.js';
import { DEFAULT_MAX_STEPS } from '../contract/token-request.js';
import { EtnaConfigurationError } from './errors/configuration-error.js';

export interface EtnaAuthOptions {
  /**
   * The API root of the broker's ETNA environment; `/token` is resolved against it.
   * A trailing slash is optional, and a URL that already ends in `/token` is used as is.
   * Plain `http://` is accepted only for loopback hosts (tests, the demo server).
   * @example 'https://pub-api-et-demo-prod.etnasoft.us/api/'
   */
  readonly baseUrl: string;
  /** The application key from the back office, sent as `Et-App-Key` on every request. */
  readonly appKey: string;
  /**
   * Milliseconds one `/token` request may take, answer body included.
   * @default 10000
   */
  readonly timeout?: number;
  /**
   * How many Expecting (202) answers may follow each other in one login before it stops with a `protocol` error.
   * @default 5
   */
  readonly maxSteps?: number;
  /**
   * Replaces the global `fetch` (tests, React Native, proxies).
   * @default globalThis.fetch
   */
  readonly fetch?: typeof globalThis.fetch;
}

export interface TokenServiceConfig {
  readonly tokenUrl: string;
  readonly appKey: string;
  readonly timeout: number;
  readonly fetch: typeof globalThis.fetch | undefined;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMER_MS = 2_147_483_647;

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
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EtnaConfigurationError('baseUrl', `uses ${url.protocol}; only https: is supported`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
    throw new EtnaConfigurationError(
      'baseUrl',
      'must use https: (plain http: is allowed only for loopback hosts)',
    );
  }
  if (url.username || url.password) {
    throw new EtnaConfigurationError('baseUrl', 'must not carry credentials');
  }
  if (/[?#]/.test(baseUrl)) {
    throw new EtnaConfigurationError('baseUrl', 'must not carry a query or a fragment');
  }
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = /\/token$/i.test(path) ? path : `${path}/token`;
  return url.href;
}

function positiveInteger(option: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new EtnaConfigurationError(option, `must be a whole number from 1 to ${max}`);
  }
  return value;
}

/** Checks every option once, up front, so a misconfigured app fails at start and not at the first login. */
export function resolveConfig(
  options: EtnaAuthOptions | undefined,
): TokenServiceConfig & { maxSteps: number } {
  if (typeof options !== 'object' || options === null) {
    throw new EtnaConfigurationError('options', 'are required: { baseUrl, appKey }');
  }
  const tokenUrl = tokenUrlOf(options.baseUrl);
  const appKeyProblem = headerValueProblem('appKey', options.appKey);
  if (appKeyProblem) throw new EtnaConfigurationError('appKey', appKeyProblem.replace(/^appKey /, ''));
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new EtnaConfigurationError('fetch', 'must be a function compatible with globalThis.fetch');
  }
  return {
    tokenUrl,
    appKey: options.appKey,
    timeout: positiveInteger('timeout', options.timeout, DEFAULT_TIMEOUT_MS, MAX_TIMER_MS),
    maxSteps: positiveInteger('maxSteps', options.maxSteps, DEFAULT_MAX_STEPS, 100),
    fetch: options.fetch,
  };
}
