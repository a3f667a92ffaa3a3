// What the fake server's routes answer with: a status, a body and headers, ETNA's journey envelope
// `{ Model, Errors, ErrorsCode, IsSucceed }`, and the answers several routes share.
import { randomBytes } from 'node:crypto';

/** Status, body (objects go as JSON, strings as text/plain) and extra headers. */
export type Answer = readonly [
  status: number,
  body: object | string,
  headers?: Readonly<Record<string, string>>,
];

/** A refusal's `Errors` entry and its `ErrorsCode`. */
export type Refusal = readonly [error: string, code: string];

export const envelope = (
  model: unknown,
  succeeded: boolean,
  errors: string[] = [],
  codes: string[] = [],
) => ({
  Model: model,
  Errors: errors,
  ErrorsCode: codes,
  IsSucceed: succeeded,
});

/** `IsSucceed: true`. */
export const ok = (model: unknown): Answer => [200, envelope(model, true)];

/** A refusal by the rules: HTTP 200, `IsSucceed: false`, the reason in `Errors` and `ErrorsCode`. */
export const refuse = ([error, code]: Refusal): Answer => [200, envelope(null, false, [error], [code])];

/** A body the route cannot read: 400, `IsSucceed: false`. */
export const badRequest = (message: string): Answer => [
  400,
  envelope(null, false, [message], ['ErrorBadRequest']),
];

/** The platform's 401 body for a request without a token it accepts. */
export const DENIED = { Message: 'Authorization has been denied for this request.' } as const;

/** The body of a request without the right `Et-App-Key`, whatever the route. */
export const APP_KEY_ERROR = { error: 'Application key is not defined or does not exist' } as const;

export const tooManyRequests = (retryAfter: number | string): Answer => [
  429,
  'Too Many Requests',
  { 'retry-after': String(retryAfter) },
];

// 25 bytes encode to 36 base64 characters ending in '=', like the platform's opaque tokens.
export const newToken = (): string => randomBytes(25).toString('base64');

/** The token of an `Authorization: Bearer …` header, if it is one. */
export const bearerOf = (authorization: string | undefined): string | undefined =>
  /^Bearer +(.+)$/i.exec(authorization ?? '')?.[1];
