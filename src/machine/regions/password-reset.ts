// The password reset region: the user forgot the password (`FORGOT_PASSWORD` from `idle`). The secret question
// (when the account has one) is answered, the server e-mails a code, the code is exchanged for a reset token, a
// new password is saved with it, and the login starts with the new password.
import { assertEvent, assign } from 'xstate';
import type { JourneyAnswer, JourneyRefusal } from '../../contract/journey.js';
import type { Secret } from '../../contract/secret.js';
import { callAnswer, questionOf, refusal, resetTokenOf } from '../answers.js';
import { ATTEMPT_OVER } from '../context.js';
import { secretOf } from '../input-problems.js';
import { held } from '../restore-safe.js';
import { failsToError, machineSetup, regionImplementations, sideCall, submitted } from '../setup.js';

/** The step a refused reset names, since no `/token` answer gave one. */
const RESET_STEP = 'PasswordReset';

export const passwordResetImplementations = regionImplementations({
  guards: {
    noSecretQuestion: (_, question: string) => question === '',
    // A wrong answer to the secret question is asked again; without a question, nothing on the form can fix it.
    answerToQuestionRefused: ({ context }, answer: JourneyAnswer<unknown>) =>
      !answer.ok && Boolean(context.secretQuestion),
  },
  actions: {
    askSecretQuestion: assign((_, question: string) => ({ secretQuestion: question, calls: {} })),
    requestResetCode: assign(({ context }) => ({
      calls: { resetRequest: { username: context.username ?? '', answer: undefined } },
    })),
    sendSecretAnswer: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT_SECRET_ANSWER');
      return {
        error: undefined,
        serverErrors: undefined,
        calls: { resetRequest: { username: context.username ?? '', answer: secretOf(event.answer) } },
      };
    }),
    recordResetRefused: assign((_, { errors }: JourneyRefusal) => {
      const reason = errors[0] ?? 'the server refused the password reset';
      return {
        ...ATTEMPT_OVER,
        serverErrors: errors,
        step: RESET_STEP,
        reason,
        failure: { step: RESET_STEP, reason, code: 'resetRefused' as const },
      };
    }),
    // The answer to the secret question is of no more use once the code is on its way.
    awaitResetCode: assign({ serverErrors: undefined, calls: {} }),
    sendResetCode: assign(({ event }) => {
      assertEvent(event, 'SUBMIT_RESET_CODE');
      return {
        error: undefined,
        serverErrors: undefined,
        calls: { resetCode: { code: secretOf(event.code) } },
      };
    }),
    // The e-mailed code is of no more use once it gave the reset token.
    acceptResetToken: assign((_, token: Secret) => ({
      passwordToken: token,
      serverErrors: undefined,
      calls: {},
    })),
  },
});

const region = machineSetup.extend(passwordResetImplementations);

export const passwordReset = () =>
  region.createStateConfig({
    meta: { region: 'passwordReset' },
    initial: 'loadingQuestion',
    on: {
      CANCEL: { target: 'idle', actions: 'abandonAttempt' },
    },
    states: {
      loadingQuestion: {
        tags: ['busy'],
        invoke: {
          id: 'secretQuestion',
          src: 'secretQuestion',
          input: ({ context }) => held(context.calls.secretQuestion, 'secretQuestion'),
          onDone: [
            {
              guard: { type: 'callRefused', params: callAnswer },
              target: '#etnaAuth.failed',
              actions: { type: 'recordResetRefused', params: refusal },
            },
            // No question on the account: the code is requested at once.
            {
              guard: { type: 'noSecretQuestion', params: questionOf },
              target: 'requestingCode',
              actions: 'requestResetCode',
            },
            { target: 'question', actions: { type: 'askSecretQuestion', params: questionOf } },
          ],
          onError: failsToError('secretQuestion'),
        },
      },
      question: {
        on: {
          SUBMIT_SECRET_ANSWER: submitted('requestingCode', 'sendSecretAnswer'),
        },
      },
      requestingCode: {
        tags: ['busy'],
        invoke: {
          id: 'resetRequest',
          src: 'resetRequest',
          input: ({ context }) => held(context.calls.resetRequest, 'resetRequest'),
          onDone: [
            // "Answer is incorrect": asked again.
            {
              guard: { type: 'answerToQuestionRefused', params: callAnswer },
              target: 'question',
              actions: { type: 'recordRefusal', params: refusal },
            },
            {
              guard: { type: 'callRefused', params: callAnswer },
              target: '#etnaAuth.failed',
              actions: { type: 'recordResetRefused', params: refusal },
            },
            { target: 'code', actions: 'awaitResetCode' },
          ],
          onError: failsToError('resetRequest'),
        },
      },
      code: {
        on: {
          SUBMIT_RESET_CODE: submitted('verifyingCode', 'sendResetCode'),
        },
      },
      verifyingCode: {
        tags: ['busy'],
        invoke: sideCall('resetCode', 'code', {
          target: 'newPassword',
          actions: { type: 'acceptResetToken', params: resetTokenOf },
        }),
      },
      newPassword: {
        on: {
          SUBMIT_NEW_PASSWORD: submitted('saving', 'sendNewPassword'),
        },
      },
      // The same call as an expired password's change, made from here: its own actor id, so RETRY comes back here.
      saving: {
        tags: ['busy'],
        invoke: sideCall(
          'passwordChange',
          'newPassword',
          { target: '#etnaAuth.authenticating', actions: 'loginWithNewPassword' },
          'resetPassword',
        ),
      },
    },
  });
