import { Secret } from '../contract/secret.js';
import { routedFailureOf } from '../contract/session.js';
import type { TokenAnswer } from '../contract/token-request.js';
import { continuationStepOf } from '../contract/token-request.js';
import { answerObject, isSuccess } from './answer-object.js';
import { AppKeyError } from './errors/app-key-error.js';
import { HttpStatusError } from './errors/http-status-error.js';
import { ProtocolError } from './errors/protocol-error.js';
import { antiPhishingOf } from './journey/security-image.js';
import { field, type JsonObject, usableToken } from './json-fields.js';
import { shown } from './shown-text.js';

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
  const json = answerObject(status, retryAfter, body);
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
  const kind = state.toLowerCase();
  // A password to change or a PIN to set up is routed by its Reason, whatever the status, the Step, or the
  // State (Expecting, Failed, or `BaseAuthentication` in one reading): with a token it is a journey the chart
  // finishes; without one, a failure whose code says where to send the user.
  const routed = kind === 'succeeded' ? undefined : routedFailureOf(reason);
  if (routed) {
    const answerStep = step ?? (kind === 'expecting' || kind === 'failed' ? '' : shown(state, hidden));
    return journeyAnswer(routed, json, answerStep, reason);
  }
  switch (kind) {
    case 'succeeded': {
      if (!isSuccess(status)) throw new ProtocolError(`a Succeeded answer came with HTTP ${status}`, status);
      const token = usableToken(field(json, 'Token'));
      if (!token) throw new ProtocolError('a Succeeded answer has no usable Token', status);
      return { state: 'succeeded', token: new Secret(token) };
    }
    case 'expecting': {
      if (step === undefined) throw new ProtocolError('an Expecting answer has no Step', status);
      // A non-2xx status ends the attempt, whatever the body asks for next.
      if (!isSuccess(status)) return { state: 'failed', code: 'rejected', step, reason };
      const next = continuationStepOf(step);
      if (!next) return { state: 'failed', code: 'unsupportedStep', step, reason };
      const token = usableToken(field(json, 'Token'));
      if (!token) throw new ProtocolError('an Expecting answer has no usable Token', status);
      const interimToken = new Secret(token);
      if (next === 'verificationCode') return { state: 'expecting', next, step, reason, interimToken };
      // The PIN prompt shows the phrase and picture the user chose, so that a fake page can be told apart.
      const { personalPhrase, securityImage } = antiPhishingOf(
        field(json, 'PersonalPhrase'),
        field(json, 'Image'),
        hidden,
      );
      return { state: 'expecting', next, step, reason, interimToken, personalPhrase, securityImage };
    }
    case 'failed':
      return { state: 'failed', code: 'rejected', step: step ?? '', reason };
    default:
      throw new ProtocolError(`the answer has an unknown State "${shown(state, hidden)}"`, status);
  }
}

/** A password-expired or PIN-not-set-up answer: the journey with the answer's tokens, or the failure without them. */
function journeyAnswer(
  routed: 'passwordExpired' | 'pinNotInitialized',
  json: JsonObject,
  step: string,
  reason: string,
): TokenAnswer {
  const token = usableToken(field(json, 'Token'));
  const confirmation = usableToken(field(json, 'ConfirmationToken'));
  if (routed === 'passwordExpired') {
    const changeToken = confirmation ?? token;
    return changeToken === undefined
      ? { state: 'failed', code: routed, step, reason }
      : { state: 'passwordChange', step, reason, confirmationToken: new Secret(changeToken) };
  }
  // Which token authorizes the set-up calls is not documented: the interim Token, else the ConfirmationToken.
  const authorization = token ?? confirmation;
  const body = confirmation ?? token;
  return authorization === undefined || body === undefined
    ? { state: 'failed', code: routed, step, reason }
    : {
        state: 'pinSetup',
        step,
        reason,
        token: new Secret(authorization),
        confirmationToken: new Secret(body),
      };
}
