import type { JourneyAnswer } from '../../contract/journey.js';
import { AppKeyError } from '../errors/app-key-error.js';
import { HttpStatusError } from '../errors/http-status-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { RateLimitedError } from '../errors/rate-limited-error.js';
import { field, parseJsonObject } from '../json-fields.js';
import { retryAfterMs } from '../retry-after.js';
import { shownPrintable } from '../shown-text.js';

/** At most this many `Errors` (and `ErrorsCode`) entries are kept for a UI. */
export const MAX_SHOWN_ERRORS = 10;

const isSuccess = (status: number) => status >= 200 && status < 300;

/** `Errors` / `ErrorsCode` as a list: an array as is, one string as a list of one, anything else as none. */
function listOf(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/** The string entries of a list, made safe to show, empty ones dropped, at most `MAX_SHOWN_ERRORS`. */
function shownList(values: readonly unknown[], secrets: readonly string[]): string[] {
  const shown: string[] = [];
  for (const value of values) {
    if (shown.length === MAX_SHOWN_ERRORS) break;
    if (typeof value !== 'string') continue;
    const text = shownPrintable(value, secrets);
    if (text !== '') shown.push(text);
  }
  return shown;
}

/**
 * Reads one answer of a call beside `/token`: the envelope `{ Model, Errors, ErrorsCode, IsSucceed }`, field
 * names in any case. Resolves the server's refusal (`Errors` not empty, whatever the status) or its `Model`
 * (unchecked: each call validates its own); throws the `EtnaAuthError` that says why the answer is not usable.
 * `IsSucceed: false` without `Errors` is a success: ETNA's own documentation shows it for a reset request.
 * `secrets` are the request's secret values, scrubbed from every shown text; so is the answer's own Model when
 * `modelIsSecret` (a reset token), should a refusal quote it.
 */
export function parseEnvelope(
  status: number,
  retryAfter: string | null,
  body: string,
  secrets: readonly string[],
  modelIsSecret = false,
): JourneyAnswer<unknown> {
  if (status === 429) throw new RateLimitedError(retryAfterMs(retryAfter), 'too many requests');
  if (status >= 500) throw new HttpStatusError(status);
  const json = parseJsonObject(body);
  if (!json) {
    if (isSuccess(status)) throw new ProtocolError('the answer is not a JSON object', status);
    throw new HttpStatusError(status);
  }
  if ((status === 401 || status === 403) && field(json, 'error') !== undefined) throw new AppKeyError(status);
  const errors = listOf(field(json, 'Errors'));
  if (errors.length > 0) {
    // A list of no string at all is not ETNA's envelope; one string is enough to show the refusal.
    if (!errors.some((entry) => typeof entry === 'string')) {
      if (isSuccess(status)) throw new ProtocolError('the answer has Errors that are not text', status);
      throw new HttpStatusError(status);
    }
    const model = field(json, 'Model');
    const hidden = modelIsSecret && typeof model === 'string' ? [...secrets, model] : secrets;
    return {
      ok: false,
      errors: shownList(errors, hidden),
      codes: shownList(listOf(field(json, 'ErrorsCode')), hidden),
    };
  }
  // A 4xx without Errors, such as a 401 `{"Message": "Authorization has been denied…"}`, is no envelope.
  if (!isSuccess(status)) throw new HttpStatusError(status);
  return { ok: true, model: field(json, 'Model') };
}
