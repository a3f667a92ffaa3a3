import { HttpStatusError } from './errors/http-status-error.js';
import { ProtocolError } from './errors/protocol-error.js';
import { RateLimitedError } from './errors/rate-limited-error.js';
import { type JsonObject, parseJsonObject } from './json-fields.js';
import { retryAfterMs } from './retry-after.js';

/** A 2xx status. */
export const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * The JSON object of an answer, as `/token` and the calls beside it both read it first: a 429 is a rate limit
 * (`limited` words it), a 5xx an `http` error, and a body that is no JSON object a `protocol` error at 2xx and an
 * `http` error otherwise.
 */
export function answerObject(
  status: number,
  retryAfter: string | null,
  body: string,
  limited?: string,
): JsonObject {
  if (status === 429) throw new RateLimitedError(retryAfterMs(retryAfter), limited);
  if (status >= 500) throw new HttpStatusError(status);
  const json = parseJsonObject(body);
  if (json) return json;
  if (isSuccess(status)) throw new ProtocolError('the answer is not a JSON object', status);
  throw new HttpStatusError(status);
}
