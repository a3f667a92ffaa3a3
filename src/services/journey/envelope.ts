import type { JourneyAnswer } from '../../contract/journey.js';
import { answerObject, isSuccess } from '../answer-object.js';
import { AppKeyError } from '../errors/app-key-error.js';
import { HttpStatusError } from '../errors/http-status-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { asJsonObject, field } from '../json-fields.js';
import { shownPrintable } from '../shown-text.js';
import type { Received } from '../transport.js';

/** At most this many `Errors` (and `ErrorsCode`) entries are kept for a UI. */
export const MAX_SHOWN_ERRORS = 10;
/** At most this many fields of a model-state `Errors` object are read. */
const MAX_MODEL_STATE_FIELDS = 100;

/**
 * What an answer's `Errors` (or `ErrorsCode`) holds:
 * - `none`: missing, `null` or `[]`, the only shapes that say "no errors";
 * - `text`: the texts to show, from one string, a list, or an ASP.NET model-state object
 *   (`{"Pin": ["Invalid PIN"]}`) whose fields hold strings or lists of strings, at least one of them readable;
 * - `unreadable`: anything else (`{}`, `""`, a number, a list or object with no readable text).
 */
type ErrorsRead =
  | { readonly shape: 'none' }
  | { readonly shape: 'text'; readonly texts: string[] }
  | { readonly shape: 'unreadable' };

/** The string entries of a list, made safe to show, empty ones dropped, at most `MAX_SHOWN_ERRORS`. */
function shownList(values: readonly unknown[], secrets: readonly string[], shown: string[] = []): string[] {
  for (const value of values) {
    if (shown.length === MAX_SHOWN_ERRORS) break;
    if (typeof value !== 'string') continue;
    const text = shownPrintable(value, secrets);
    if (text !== '') shown.push(text);
  }
  return shown;
}

/** The texts of a model-state object, field by field: each field's string, or its list's strings. */
function modelStateTexts(errors: Readonly<Record<string, unknown>>, secrets: readonly string[]): string[] {
  const shown: string[] = [];
  for (const value of Object.values(errors).slice(0, MAX_MODEL_STATE_FIELDS)) {
    shownList(Array.isArray(value) ? value : [value], secrets, shown);
  }
  return shown;
}

/** Reads `Errors` (or `ErrorsCode`); see {@link ErrorsRead}. */
function readErrors(value: unknown, secrets: readonly string[]): ErrorsRead {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    return { shape: 'none' };
  }
  const object = asJsonObject(value);
  let texts: string[] = [];
  if (typeof value === 'string') texts = shownList([value], secrets);
  else if (Array.isArray(value)) texts = shownList(value, secrets);
  else if (object) texts = modelStateTexts(object, secrets);
  return texts.length > 0 ? { shape: 'text', texts } : { shape: 'unreadable' };
}

/**
 * Reads one answer of a call beside `/token`: the envelope `{ Model, Errors, ErrorsCode, IsSucceed }`, field
 * names in any case. Resolves the server's refusal or its `Model` (unchecked: each call validates its own);
 * throws the `EtnaAuthError` that says why the answer is not usable. Only an answer that says it succeeded, in
 * a shape this reads, is a success: a 2xx with `IsSucceed: true` (the boolean) and no errors (`Errors`
 * missing, `null` or `[]`). `noErrorsIsSuccess` adds ETNA's documented quirk for the reset request: there,
 * `IsSucceed: false` with no errors is a success too (PROTOCOL.md). Readable `Errors` (a string, a list, or
 * an ASP.NET model-state object of strings and lists of strings) are a refusal whatever `IsSucceed` and the
 * status say, their texts shown; anything else is a `protocol` error at 2xx (`IsSucceed` missing or not a
 * boolean, `false` without a reason, `Errors` that cannot be read such as `{}`, `""` or a number) and an
 * `http` error otherwise. `secrets` are the request's secret values, scrubbed from every shown text; so is the
 * answer's own Model when `modelIsSecret` (a reset token), should a refusal quote it.
 */
export function parseEnvelope(
  { status, retryAfter, body }: Received,
  call: {
    readonly secrets: readonly string[];
    readonly modelIsSecret?: boolean;
    readonly noErrorsIsSuccess?: boolean | undefined;
  },
): JourneyAnswer<unknown> {
  const json = answerObject(status, retryAfter, body, 'too many requests');
  if ((status === 401 || status === 403) && field(json, 'error') !== undefined) throw new AppKeyError(status);
  const model = field(json, 'Model');
  const hidden = call.modelIsSecret && typeof model === 'string' ? [...call.secrets, model] : call.secrets;
  const errors = readErrors(field(json, 'Errors'), hidden);
  if (errors.shape === 'text') {
    const codes = readErrors(field(json, 'ErrorsCode'), hidden);
    return { ok: false, errors: errors.texts, codes: codes.shape === 'text' ? codes.texts : [] };
  }
  // A 4xx without readable Errors, such as a 401 `{"Message": "Authorization has been denied…"}`, is no envelope.
  if (!isSuccess(status)) throw new HttpStatusError(status);
  if (errors.shape === 'unreadable')
    throw new ProtocolError('the answer has Errors that cannot be read', status);
  const succeeded = field(json, 'IsSucceed');
  if (succeeded === true || (succeeded === false && call.noErrorsIsSuccess)) return { ok: true, model };
  if (succeeded === false)
    throw new ProtocolError('the answer says it did not succeed, and gives no reason', status);
  throw new ProtocolError('the answer does not say whether it succeeded', status);
}
