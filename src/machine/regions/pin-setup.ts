// The PIN set-up region: the server said `PIN code is not init`. The security images are loaded, the user picks
// one and types a new PIN and a personal phrase, the PIN is saved, and the login starts again with the same
// credentials (the server then asks for the new PIN).
import { assertEvent, assign } from 'xstate';
import type { JourneyRefusal, SecurityImage } from '../../contract/journey.js';
import { callAnswer, imagesOf, refusal } from '../answers.js';
import { credentials } from '../attempt.js';
import { ATTEMPT_OVER } from '../context.js';
import { secretOf } from '../input-problems.js';
import { held } from '../restore-safe.js';
import { failsToError, machineSetup, regionImplementations, sideCall, submitted } from '../setup.js';

export const pinSetupImplementations = regionImplementations({
  actions: {
    offerImages: assign((_, images: readonly SecurityImage[]) => ({
      securityImages: images,
      serverErrors: undefined,
      calls: {},
    })),
    // Without pictures to pick from, nothing here can set the PIN up: the broker's own screens must.
    recordImagesRefused: assign(({ context }, { errors }: JourneyRefusal) => ({
      ...ATTEMPT_OVER,
      serverErrors: errors,
      failure: {
        step: context.step ?? '',
        reason: errors[0] ?? 'the server refused the security images',
        code: 'pinNotInitialized' as const,
      },
    })),
    sendNewPin: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT_NEW_PIN');
      const tokens = context.pinSetupTokens;
      return {
        error: undefined,
        serverErrors: undefined,
        calls: tokens && {
          pinChange: {
            token: tokens.token,
            confirmationToken: tokens.confirmationToken,
            pin: secretOf(event.pin),
            imageName: event.imageName,
            personalPhrase: event.personalPhrase.trim(),
          },
        },
      };
    }),
    // After a PIN set-up: the same credentials again, and the server asks for the new PIN.
    loginAgain: assign(({ context }) => ({
      ...ATTEMPT_OVER,
      step: undefined,
      reason: undefined,
      serverErrors: undefined,
      request: context.request && credentials(context.request.username, context.request.password),
    })),
  },
});

const region = machineSetup.extend(pinSetupImplementations);

export const pinSetup = () =>
  region.createStateConfig({
    meta: { region: 'pinSetup' },
    initial: 'loadingImages',
    on: {
      CANCEL: { target: 'idle', actions: 'abandonAttempt' },
    },
    states: {
      loadingImages: {
        tags: ['busy'],
        invoke: {
          id: 'securityImages',
          src: 'securityImages',
          input: ({ context }) => held(context.calls.securityImages, 'securityImages'),
          onDone: [
            {
              guard: { type: 'callRefused', params: callAnswer },
              target: '#etnaAuth.failed',
              actions: { type: 'recordImagesRefused', params: refusal },
            },
            { target: 'choosing', actions: { type: 'offerImages', params: imagesOf } },
          ],
          onError: failsToError('securityImages'),
        },
      },
      choosing: {
        on: {
          SUBMIT_NEW_PIN: submitted('saving', 'sendNewPin'),
        },
      },
      saving: {
        tags: ['busy'],
        invoke: sideCall('pinChange', 'choosing', {
          target: '#etnaAuth.authenticating',
          actions: 'loginAgain',
        }),
      },
    },
  });
