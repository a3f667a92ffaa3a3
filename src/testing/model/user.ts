// What the model's user types: the values, and the events a UI sends with them.

/**
 * The values the model's user types; a test UI should accept them.
 * @example await page.fill('#pin', MODEL_USER.pin);
 */
export const MODEL_USER = {
  username: 'model-user',
  password: 'model-password',
  pin: '2468',
  code: '135790',
  /** The PIN set up in `pinSetup`, with the image and phrase chosen there. */
  newPin: '8642',
  imageName: 'heron.png',
  personalPhrase: 'Blue heron at dawn',
  /** The password chosen in `passwordChange` and at the end of a reset. */
  newPassword: 'model-new-password-1',
  secretAnswer: 'Rex',
  resetCode: '424242',
} as const;

/**
 * A user event of the model, its secrets as the plain strings a person types into a form.
 * @example if (step.kind === 'user' && step.event.type === 'SUBMIT_PIN') await page.fill('#pin', step.event.pin);
 */
export type ModelUserEvent =
  | { readonly type: 'SUBMIT_CREDENTIALS'; readonly username: string; readonly password: string }
  | { readonly type: 'SUBMIT_PIN'; readonly pin: string }
  | { readonly type: 'SUBMIT_VERIFICATION_CODE'; readonly code: string }
  | { readonly type: 'RESEND_CODE' }
  | {
      readonly type: 'SUBMIT_NEW_PIN';
      readonly pin: string;
      readonly imageName: string;
      readonly personalPhrase: string;
    }
  | { readonly type: 'SUBMIT_NEW_PASSWORD'; readonly password: string; readonly confirmation: string }
  | { readonly type: 'FORGOT_PASSWORD'; readonly username: string }
  | { readonly type: 'SUBMIT_SECRET_ANSWER'; readonly answer: string }
  | { readonly type: 'SUBMIT_RESET_CODE'; readonly code: string }
  | { readonly type: 'CANCEL' }
  | { readonly type: 'RETRY' }
  | { readonly type: 'LOGOUT' };
