/**
 * The exit status of `etna-auth login`, one per way a login can end. Scripts branch on these.
 * `failed` and `error` follow the machine's states of the same names.
 */
export const EXIT = {
  /** Logged in: the session token, and nothing else, is on stdout. */
  loggedIn: 0,
  /** The server refused the login (state `failed`): wrong password, PIN or code, password expired, … */
  refused: 1,
  /** Bad usage: an unknown option, a missing --base-url or --app-key, a value that cannot work. */
  usage: 2,
  /** No usable answer (state `error`): network, timeout, HTTP error, malformed answer, app key refused, rate limited. */
  transport: 3,
  /** Cancelled: Ctrl-C (the request in flight is aborted), or the input ended before the login finished. */
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
