// The password reset region's model: the forgotten password's login, the secret question (or none), the
// e-mailed code and the reset token, with each call's refusal and a transport failure.
import { Secret } from '../../contract/secret.js';
import type { RegionModel } from './answers.js';
import { accepted, noAnswer, RATE_LIMITED, refusedBy } from './answers.js';
import { MODEL_USER, type ModelUserEvent } from './user.js';

/**
 * The secret question of the model's `secretQuestion` answer.
 * @example expect(screen.getByText(MODEL_SECRET_QUESTION)).toBeVisible();
 */
export const MODEL_SECRET_QUESTION = 'What was the name of your first pet?';
/**
 * The reset token of the model's `resetCode` answer.
 * @example expect(logs.join('\n')).not.toContain(MODEL_RESET_TOKEN);
 */
export const MODEL_RESET_TOKEN = 'reset+model/token==';

export const passwordResetModel: RegionModel<ModelUserEvent> = {
  userEvents: [
    { type: 'FORGOT_PASSWORD', username: MODEL_USER.username },
    { type: 'SUBMIT_SECRET_ANSWER', answer: MODEL_USER.secretAnswer },
    { type: 'SUBMIT_RESET_CODE', code: MODEL_USER.resetCode },
  ],
  refusedEvents: [
    { type: 'FORGOT_PASSWORD', username: '' },
    { type: 'SUBMIT_SECRET_ANSWER', answer: ' ' },
    { type: 'SUBMIT_RESET_CODE', code: '' },
  ],
  outcomes: [
    accepted('secretQuestion', 'secret question', MODEL_SECRET_QUESTION, MODEL_SECRET_QUESTION),
    accepted('secretQuestion', 'no secret question', '', ''),
    refusedBy('secretQuestion', 'secret question refused', ['Password reset is disabled for this account.']),
    noAnswer(
      'secretQuestion',
      'secret question: timeout',
      { kind: 'timeout', message: 'no answer in time' },
      { kind: 'hang' },
    ),
    // ETNA's page shows this success with IsSucceed false and no Errors.
    accepted('resetRequest', 'reset code e-mailed', null, null, false),
    refusedBy(
      'resetRequest',
      'answer incorrect',
      ['Answer is incorrect, try again.'],
      ['ErrorIncorrectAnswer'],
    ),
    noAnswer('resetRequest', 'reset request: rate limited', RATE_LIMITED, {
      kind: 'rateLimited',
      retryAfter: '2',
    }),
    accepted('resetCode', 'reset token', new Secret(MODEL_RESET_TOKEN), MODEL_RESET_TOKEN),
    refusedBy('resetCode', 'reset code incorrect', ['The code is incorrect or has expired.']),
    noAnswer(
      'resetCode',
      'reset code: protocol error',
      { kind: 'protocol', message: 'the answer is not a JSON object', status: 200 },
      { kind: 'malformedJson', status: 200 },
    ),
  ],
};
