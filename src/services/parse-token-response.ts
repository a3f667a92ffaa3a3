import { headerValueProblem } from '../contract/header-value.js';
import { Secret } from '../contract/secret.js';
import { routedFailureOf } from '../contract/session.js';
import type { TokenAnswer } from '../contract/token-request.js';
import { continuationStepOf } from '../contract/token-request.js';
import { AppKeyError } from './errors/app-key-error.js';
import { HttpStatusError } from './errors/http-status-error.js';
import { ProtocolError } from './errors/protocol-error.js';
import { RateLimitedError } from './errors/rate-limited-error.js';
import { retryAfterMs } from './retry-after.js';

/** Server text shown to users (Step, Reason) is cut to this length. */
const MAX_TEXT = 200;
const MAX_TOKEN = 4096;

type JsonObject = Readonly<Record<string, unknown>>;

function parseJsonObject(body: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A field by its ETNA name, or by the same name in another case (camelCase serializers). */
function field(body: JsonObject, name: string): unknown {
  if (Object.hasOwn(body, name)) return body[name];
  const lower = name.toLowerCase();
  const key = Object.keys(body).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : body[key];
}

/** Server text made safe to show: cut short, and any secret of the request it echoes replaced. */
function shown(value: string, secrets: readonly string[]): string {
  let text = value;
  for (const secret of secrets) {
    if (secret.length >= 3) text = text.split(secret).join('[redacted]');
  }
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function usableToken(value: unknown): string | undefined {
  return typeof value === 'string' &&
    value.length <= MAX_TOKEN &&
    headerValueProblem('Token', value) === undefined
    ? value
    : undefined;
}

const isSuccess = (status: number) => status >= 200 && status < 300;

/** The fields of an answer that may hold a token: never shown, wherever else the answer quotes them. */
const ANSWER_TOKEN_FIELDS = ['Token', 'ConfirmationToken'] as const;

/**
 * Turns one `/token` answer into a `TokenAnswer`, or throws the `EtnaAuthError` that says why it is not one.
 * This is the one place an answer is routed: success, a step to prompt for, or a failure and its code.
 * It branches on the body's shape (`State` or `error`) before the status, since copies of the platform differ in status.
 */
export function parseTokenResponse(
  status: number,
  retryAfter: string | null,
  body: string,
  secrets: readonly string[],
): TokenAnswer {
  if (status === 429) throw new RateLimitedError(retryAfterMs(retryAfter));
  if (status >= 500) throw new HttpStatusError(status);
  const json = parseJsonObject(body);
  if (!json) {
    if (isSuccess(status)) throw new ProtocolError('the answer is not a JSON object', status);
    throw new HttpStatusError(status);
  }
  const state = field(json, 'State');
  if (typeof state !== 'string') {
    if ((status === 401 || status === 403) && field(json, 'error') !== undefined)
      throw new AppKeyError(status);
    if (isSuccess(status)) throw new ProtocolError('the answer has no State', status);
    throw new HttpStatusError(status);
  }
  // The answer's own tokens are secrets too: a Reason that quotes one must not carry it into context.
  const ownTokens = ANSWER_TOKEN_FIELDS.map((name) => field(json, name)).filter(
    (value): value is string => typeof value === 'string',
  );
  const hidden = [...secrets, ...ownTokens];
  const stepValue = field(json, 'Step');
  const reasonValue = field(json, 'Reason');
  const step = typeof stepValue === 'string' ? shown(stepValue, hidden) : undefined;
  const reason = typeof reasonValue === 'string' ? shown(reasonValue, hidden) : '';
  switch (state.toLowerCase()) {
    case 'succeeded': {
      if (!isSuccess(status)) throw new ProtocolError(`a Succeeded answer came with HTTP ${status}`, status);
      const token = usableToken(field(json, 'Token'));
      if (!token) throw new ProtocolError('a Succeeded answer has no usable Token', status);
      return { state: 'succeeded', token: new Secret(token) };
    }
    case 'expecting': {
      if (step === undefined) throw new ProtocolError('an Expecting answer has no Step', status);
      // A password to change or a PIN to set up cannot be answered with a prompt, whatever Step it names;
      // and a non-2xx status ends the attempt, whatever the body asks for next.
      const routed = routedFailureOf(reason);
      if (routed) return { state: 'failed', code: routed, step, reason };
      if (!isSuccess(status)) return { state: 'failed', code: 'rejected', step, reason };
      const next = continuationStepOf(step);
      if (!next) return { state: 'failed', code: 'unsupportedStep', step, reason };
      const token = usableToken(field(json, 'Token'));
      if (!token) throw new ProtocolError('an Expecting answer has no usable Token', status);
      return { state: 'expecting', next, step, reason, interimToken: new Secret(token) };
    }
    case 'failed':
      return { state: 'failed', code: routedFailureOf(reason) ?? 'rejected', step: step ?? '', reason };
    default:
      throw new ProtocolError(`the answer has an unknown State "${shown(state, hidden)}"`, status);
  }
}
