// Every default of the package, once. The options' documentation names these constants; the machine's bare
// settings, the options' checks and the services read them from here.

/**
 * Milliseconds one request may take, answer body included, unless the `timeout` option says otherwise.
 * @example createEtnaAuthMachine({ baseUrl, appKey, timeout: 2 * DEFAULT_TIMEOUT_MS })
 */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Consecutive Expecting answers accepted in one login before the server is judged to loop (`maxSteps`).
 * @example createEtnaAuthMachine({ baseUrl, appKey, maxSteps: DEFAULT_MAX_STEPS + 1 })
 */
export const DEFAULT_MAX_STEPS = 5;

/**
 * How long a session lasts after login (`sessionLifetime`): 24 hours, the platform's token lifetime.
 * @example const endsAt = loggedInAt + DEFAULT_SESSION_LIFETIME_MS;
 */
export const DEFAULT_SESSION_LIFETIME_MS = 86_400_000;

/**
 * Milliseconds before the session's end at which the warning begins (`sessionWarning`): 0, no warning.
 * @example const warns = (options.sessionWarning ?? DEFAULT_SESSION_WARNING_MS) > 0;
 */
export const DEFAULT_SESSION_WARNING_MS = 0;

/**
 * Whether successful API calls move the session's end on (`slidingSession`): no.
 * @example const sliding = options.slidingSession ?? DEFAULT_SLIDING_SESSION;
 */
export const DEFAULT_SLIDING_SESSION = false;

/**
 * Milliseconds `RESEND_CODE` waits after a code was sent (`resendCooldown`).
 * @example `You can ask for a new code in ${DEFAULT_RESEND_COOLDOWN_MS / 1000} s.`
 */
export const DEFAULT_RESEND_COOLDOWN_MS = 30_000;

/**
 * Milliseconds a 429 without a usable `Retry-After` holds `RETRY` (and `RESEND_CODE`) back.
 * @example const waitMs = error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
 */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;

/**
 * Whether `LOGOUT` tells the server with `POST /logout` (`serverLogout`): yes.
 * @example const tellsServer = options.serverLogout ?? DEFAULT_SERVER_LOGOUT;
 */
export const DEFAULT_SERVER_LOGOUT = true;

/**
 * The storage key of the session (`persistKey`).
 * @example const kept = sessionStorage.getItem(DEFAULT_PERSIST_KEY) !== null;
 */
export const DEFAULT_PERSIST_KEY = 'etna-auth.session';

/** The longest delay a timer can wait (2^31 - 1 ms, about 24.8 days): no millisecond option may exceed it. */
export const MAX_TIMER_MS = 2_147_483_647;
