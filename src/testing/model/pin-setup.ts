// The PIN set-up region's model: the `/token` answers that ask for it (or fail on it), the security images,
// the new PIN typed (and one the server would misread), and the PIN change.
import type { SecurityImage } from '../../contract/journey.js';
import { Secret } from '../../contract/secret.js';
import type { RegionModel } from './answers.js';
import {
  accepted,
  dataUrlOf,
  MODEL_PNGS,
  noAnswer,
  RATE_LIMITED,
  refusedBy,
  tokenAnswer,
} from './answers.js';
import { MODEL_USER, type ModelUserEvent } from './user.js';

/**
 * The tokens of the model's `PIN code is not init` answer.
 * @example expect(JSON.stringify(actor.getSnapshot())).not.toContain(MODEL_PIN_SETUP_TOKENS.token);
 */
export const MODEL_PIN_SETUP_TOKENS = { token: 'setup+model/token==', confirmation: 'setup+confirm/token=' };

/**
 * The security images of the model's `securityImages` answer, as the machine holds them.
 * @example expect(screen.getAllByRole('radio')).toHaveLength(MODEL_SECURITY_IMAGES.length);
 */
export const MODEL_SECURITY_IMAGES: readonly SecurityImage[] = [
  { fileName: 'apple.png', dataUrl: dataUrlOf(MODEL_PNGS.apple) },
  { fileName: 'heron.png', dataUrl: dataUrlOf(MODEL_PNGS.heron) },
];

export const pinSetupModel: RegionModel<ModelUserEvent> = {
  userEvents: [
    {
      type: 'SUBMIT_NEW_PIN',
      pin: MODEL_USER.newPin,
      imageName: MODEL_USER.imageName,
      personalPhrase: MODEL_USER.personalPhrase,
    },
  ],
  refusedEvents: [
    // A leading zero, which the server's numeric PIN would drop.
    {
      type: 'SUBMIT_NEW_PIN',
      pin: '0864',
      imageName: MODEL_USER.imageName,
      personalPhrase: MODEL_USER.personalPhrase,
    },
  ],
  outcomes: [
    tokenAnswer(
      'PIN not set up (202 Expecting)',
      {
        state: 'pinSetup',
        step: 'SecutityPin',
        reason: 'PIN code is not init',
        token: new Secret(MODEL_PIN_SETUP_TOKENS.token),
        confirmationToken: new Secret(MODEL_PIN_SETUP_TOKENS.confirmation),
      },
      {
        kind: 'respond',
        status: 202,
        body: {
          State: 'Expecting',
          Step: 'SecutityPin',
          Reason: 'PIN code is not init',
          Token: MODEL_PIN_SETUP_TOKENS.token,
          ConfirmationToken: MODEL_PIN_SETUP_TOKENS.confirmation,
        },
      },
    ),
    tokenAnswer(
      'PIN not initialized',
      { state: 'failed', code: 'pinNotInitialized', step: 'SecutityPin', reason: 'PIN code is not init' },
      {
        kind: 'respond',
        status: 401,
        body: { State: 'Failed', Step: 'SecutityPin', Reason: 'PIN code is not init' },
      },
    ),
    accepted('securityImages', 'security images', MODEL_SECURITY_IMAGES, [
      { FileName: 'apple.png', Content: MODEL_PNGS.apple },
      { FileName: 'heron.png', Content: MODEL_PNGS.heron },
    ]),
    refusedBy('securityImages', 'security images refused', ['The token is not valid for PIN set-up.']),
    noAnswer(
      'securityImages',
      'security images: http error',
      { kind: 'http', message: 'the server answered with HTTP 500', status: 500 },
      { kind: 'serverError' },
    ),
    accepted('pinChange', 'PIN saved', null, null),
    refusedBy('pinChange', 'PIN refused', ['The PIN is too simple.'], ['ErrorPinTooSimple']),
    noAnswer('pinChange', 'PIN change: rate limited', RATE_LIMITED, { kind: 'rateLimited', retryAfter: '2' }),
  ],
};
