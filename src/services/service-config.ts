/** What the HTTP services need to know of one ETNA environment; the composition resolves it from the options. */
export interface ServiceConfig {
  /** The absolute `/token` URL. */
  readonly tokenUrl: string;
  /** The API root, with a trailing slash: `/logout` and every API call are resolved against it. */
  readonly apiRoot: string;
  /** Sent as `Et-App-Key` on every request. */
  readonly appKey: string;
  /** Milliseconds one request may take, body included. */
  readonly timeout: number;
  /** Replaces the global `fetch`; undefined means `globalThis.fetch`. */
  readonly fetch: typeof globalThis.fetch | undefined;
}
