// The login region's model: credentials, the PIN and code prompts and the resend, and every kind of `/token`
// answer that keeps the user in the login (a success, a step, a refusal, no usable answer).
import { Secret } from '../../contract/secret.js';
import type { RegionModel } from './answers.js';
import { dataUrlOf, MODEL_PNGS, noAnswer, tokenAnswer } from './answers.js';
import { MODEL_USER, type ModelUserEvent } from './user.js';

/**
 * Interim tokens of the model's 202 answers, opaque like the platform's.
 * @example expect(server.requests.at(-1)?.headers['authorization']).toContain('[redacted]'); // never MODEL_INTERIM_TOKENS.securityPin
 */
export const MODEL_INTERIM_TOKENS = {
  securityPin: 'pin+interim/token==',
  verificationCode: 'code+interim/token=',
};
/**
 * The session token of the model's 200 answer.
 * @example expect(document.body.textContent).not.toContain(MODEL_SESSION_TOKEN);
 */
export const MODEL_SESSION_TOKEN = 'session+model/token==';

/** The end of the resend cooldown, as the machine's timer sends it. */
export const RESEND_WAIT_EVENT = { type: 'RESEND_ALLOWED' } as const;

export const loginModel: RegionModel<ModelUserEvent> = {
  userEvents: [
    { type: 'SUBMIT_CREDENTIALS', username: MODEL_USER.username, password: MODEL_USER.password },
    { type: 'SUBMIT_PIN', pin: MODEL_USER.pin },
    { type: 'SUBMIT_VERIFICATION_CODE', code: MODEL_USER.code },
    { type: 'RESEND_CODE' },
  ],
  refusedEvents: [
    { type: 'SUBMIT_CREDENTIALS', username: MODEL_USER.username, password: '' },
    { type: 'SUBMIT_PIN', pin: '' },
    // Full-width digits, as an IME types them: a person can enter them, and an HTTP header cannot carry them.
    { type: 'SUBMIT_VERIFICATION_CODE', code: '１３５７９０' },
  ],
  outcomes: [
    tokenAnswer(
      'succeeded',
      { state: 'succeeded', token: new Secret(MODEL_SESSION_TOKEN) },
      { kind: 'respond', status: 200, body: { State: 'Succeeded', Token: MODEL_SESSION_TOKEN } },
    ),
    tokenAnswer(
      'expecting securityPin',
      {
        state: 'expecting',
        next: 'securityPin',
        step: 'SecutityPin',
        reason: 'Invalid pin',
        interimToken: new Secret(MODEL_INTERIM_TOKENS.securityPin),
        personalPhrase: MODEL_USER.personalPhrase,
        securityImage: { fileName: 'security-image', dataUrl: dataUrlOf(MODEL_PNGS.heron) },
      },
      {
        kind: 'respond',
        status: 202,
        body: {
          State: 'Expecting',
          Step: 'SecutityPin',
          Reason: 'Invalid pin',
          Token: MODEL_INTERIM_TOKENS.securityPin,
          PersonalPhrase: MODEL_USER.personalPhrase,
          Image: MODEL_PNGS.heron,
        },
      },
    ),
    tokenAnswer(
      'expecting verificationCode',
      {
        state: 'expecting',
        next: 'verificationCode',
        step: 'VerificationCode',
        reason: 'Expecting confirmation code',
        interimToken: new Secret(MODEL_INTERIM_TOKENS.verificationCode),
      },
      {
        kind: 'respond',
        status: 202,
        headers: { 'content-type': 'text/json' },
        body: JSON.stringify({
          State: 'Expecting',
          Step: 'VerificationCode',
          Reason: 'Expecting confirmation code',
          Token: MODEL_INTERIM_TOKENS.verificationCode,
        }),
      },
    ),
    tokenAnswer(
      'expecting an unsupported step',
      {
        state: 'failed',
        code: 'unsupportedStep',
        step: 'SecurityQuestion',
        reason: 'Answer your security question',
      },
      {
        kind: 'respond',
        status: 202,
        body: {
          State: 'Expecting',
          Step: 'SecurityQuestion',
          Reason: 'Answer your security question',
          Token: 'question+model/token=',
        },
      },
    ),
    tokenAnswer(
      'failed',
      { state: 'failed', code: 'rejected', step: 'BaseAuthentication', reason: 'Invalid credentials' },
      {
        kind: 'respond',
        status: 401,
        body: { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' },
      },
    ),
    noAnswer(
      'token',
      'network error',
      { kind: 'network', message: 'the server could not be reached' },
      { kind: 'drop' },
    ),
    noAnswer('token', 'timeout', { kind: 'timeout', message: 'no answer in time' }, { kind: 'hang' }),
    noAnswer(
      'token',
      'http error',
      { kind: 'http', message: 'the server answered with HTTP 500', status: 500 },
      { kind: 'serverError' },
    ),
    noAnswer(
      'token',
      'protocol error',
      { kind: 'protocol', message: 'the answer is not a JSON object', status: 200 },
      { kind: 'malformedJson', status: 200 },
    ),
    noAnswer(
      'token',
      'app key refused',
      { kind: 'appKey', message: 'the server refused the application key (HTTP 403)', status: 403 },
      { kind: 'respond', status: 403, body: { error: 'Application key is not defined or does not exist' } },
    ),
    noAnswer(
      'token',
      'rate limited',
      { kind: 'rateLimited', message: 'too many login attempts', status: 429, retryAfterMs: 2000 },
      { kind: 'rateLimited', retryAfter: '2' },
    ),
  ],
};
