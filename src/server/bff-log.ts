/**
 * What the handler tells `log`: never a header, a body, a cookie, a query or a token.
 * @example createEtnaBff({ ...options, log: (entry: EtnaBffLogEntry) => console.info(entry.event) })
 */
export interface EtnaBffLogEntry {
  readonly level: 'info' | 'warn' | 'error';
  /** `request` for each answered request; otherwise what happened, e.g. `storeUnavailable`. */
  readonly event: string;
  /** The route: `login`, `login/watch`, `login/events`, `logout`, or `api/` and the path without its query. */
  readonly route?: string;
  readonly method?: string;
  readonly status?: number;
  /** The refusal's kind, when the request was refused. */
  readonly kind?: string;
  /** Milliseconds the request took. */
  readonly ms?: number;
  /** A sentence for people; never a value a user typed. */
  readonly message?: string;
}
