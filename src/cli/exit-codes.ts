/**
 * The exit status of `etna-auth login`, one per way a login can end. Scripts branch on these.
 * `failed` and `error` follow the machine's states of the same names; `failed` is split by
 * `context.failure.code` where the user has something to do before trying again.
 */
export const EXIT = {
  /** Logged in: the session token, and nothing else, is on stdout. */
  loggedIn: 0,
  /**
   * The login failed (state `failed`, code `rejected` or `unsupportedStep`): wrong password, PIN or code,
   * too many wrong PINs, a corrupted ticket, or a step this tool cannot answer.
   */
  refused: 1,
  /** Bad usage: an unknown option, a missing --base-url or --app-key, a value that cannot work. */
  usage: 2,
  /**
   * No usable answer (state `error`): network, timeout, HTTP error, malformed answer, app key refused, rate
   * limited; and not retried (the answer to "Try again?" was no, or the input ended there).
   */
  transport: 3,
  /**
   * The password has expired (code `passwordExpired`) and the server gave no token to change it here: it must
   * be changed with the broker before a login can work. With a token, the CLI asks for a new one instead.
   */
  passwordExpired: 4,
  /**
   * No security PIN is set up (code `pinNotInitialized`) and the server gave no way to set one up here (no
   * token, or the security images refused): one must be set up with the broker first. Otherwise the CLI sets
   * one up.
   */
  pinNotInitialized: 5,
  /**
   * The password reset was refused in a way no answer can fix (code `resetRefused`, e.g. resets disabled for
   * the account): reset it with the broker.
   */
  resetRefused: 6,
  /** Cancelled: Ctrl-C (the request in flight is aborted), or the input ended before the login finished. */
  cancelled: 130,
  /** Stopped by SIGTERM (128 + 15, as shells report it): the request in flight is aborted first. */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
