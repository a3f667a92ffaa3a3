// The password change region's model: the `/token` answers that say the password expired (with a token to
// change it, or without), the new password typed twice (and two that differ), and the change.
import { Secret } from '../../contract/secret.js';
import type { RegionModel } from './answers.js';
import { accepted, noAnswer, refusedBy, tokenAnswer } from './answers.js';
import { MODEL_USER, type ModelUserEvent } from './user.js';

/**
 * The confirmation token of the model's `password expired` answer.
 * @example expect(logs.join('\n')).not.toContain(MODEL_PASSWORD_CHANGE_TOKEN);
 */
export const MODEL_PASSWORD_CHANGE_TOKEN = 'confirm+model/token=';

const PASSWORD_EXPIRED = 'Your Password has expired and must be changed';

export const passwordChangeModel: RegionModel<ModelUserEvent> = {
  userEvents: [
    { type: 'SUBMIT_NEW_PASSWORD', password: MODEL_USER.newPassword, confirmation: MODEL_USER.newPassword },
  ],
  refusedEvents: [
    { type: 'SUBMIT_NEW_PASSWORD', password: MODEL_USER.newPassword, confirmation: 'model-new-password-2' },
  ],
  outcomes: [
    tokenAnswer(
      'password expired (401 Failed)',
      { state: 'failed', code: 'passwordExpired', step: 'BaseAuthentication', reason: PASSWORD_EXPIRED },
      {
        kind: 'respond',
        status: 401,
        body: { State: 'Failed', Step: 'BaseAuthentication', Reason: PASSWORD_EXPIRED },
      },
    ),
    tokenAnswer(
      'password expired (202 Expecting)',
      {
        state: 'passwordChange',
        step: 'BaseAuthentication',
        reason: PASSWORD_EXPIRED,
        confirmationToken: new Secret(MODEL_PASSWORD_CHANGE_TOKEN),
      },
      {
        kind: 'respond',
        status: 202,
        body: {
          State: 'Expecting',
          Step: 'BaseAuthentication',
          Reason: PASSWORD_EXPIRED,
          ConfirmationToken: MODEL_PASSWORD_CHANGE_TOKEN,
        },
      },
    ),
    accepted('passwordChange', 'password saved', null, null),
    refusedBy(
      'passwordChange',
      'password refused',
      ['The password must contain a digit.'],
      ['ErrorPasswordPolicy'],
    ),
    noAnswer(
      'passwordChange',
      'password change: network error',
      { kind: 'network', message: 'the server could not be reached' },
      { kind: 'drop' },
    ),
  ],
};
