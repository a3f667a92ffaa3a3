// The forms of the login screen, as data: names, labels and input attributes, shared by the React, Vue and Svelte
// examples so the three ask the same way. A field's `name` is the payload field the machine names in
// `context.error.field` when it refuses a value, so each screen marks that field `aria-invalid`. Each field takes
// at most what the machine accepts (`INPUT_LIMITS`, as `maxlength`); the username, PINs and codes are sent without
// the spaces around them, as login forms do, and passwords, answers and phrases as typed.
import { type EtnaAuthContext, INPUT_LIMITS } from 'etna-auth';

/** A security image as the machine holds it (`context.securityImage`, `context.securityImages`). */
export type SecurityImage = NonNullable<EtnaAuthContext['securityImage']>;

/** A form with one field: the PIN and code prompts, the secret question, the reset code. */
export interface PromptSpec {
  /** The form's accessible name. */
  readonly title: string;
  readonly label: string;
  readonly name: string;
  readonly type: 'password' | 'text';
  readonly inputmode: 'numeric' | undefined;
  readonly autocomplete: 'off' | 'one-time-code';
  readonly submit: string;
  /** The longest answer the machine accepts. */
  readonly maxLength: number;
  /** Sent without the spaces around it (a PIN or a code); an answer is sent as typed. */
  readonly trim: boolean;
}

/** The value a form sends for a field of `spec`. */
export const answerOf = (spec: PromptSpec, value: string) => (spec.trim ? value.trim() : value);

export const PROMPTS = {
  securityPin: {
    title: 'Security PIN',
    label: 'PIN',
    name: 'pin',
    type: 'password',
    inputmode: 'numeric',
    autocomplete: 'off',
    submit: 'Continue',
    maxLength: INPUT_LIMITS.pin,
    trim: true,
  },
  verificationCode: {
    title: 'Verification code',
    label: 'Code',
    name: 'code',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    submit: 'Continue',
    maxLength: INPUT_LIMITS.code,
    trim: true,
  },
  // The answer is a secret: typed masked, never remembered by the browser.
  secretQuestion: {
    title: 'Secret question',
    label: 'Answer',
    name: 'answer',
    type: 'password',
    inputmode: undefined,
    autocomplete: 'off',
    submit: 'Continue',
    maxLength: INPUT_LIMITS.answer,
    trim: false,
  },
  resetCode: {
    title: 'Reset code',
    label: 'Code',
    name: 'code',
    type: 'text',
    inputmode: undefined,
    autocomplete: 'one-time-code',
    submit: 'Continue',
    maxLength: INPUT_LIMITS.resetCode,
    trim: true,
  },
} as const satisfies Readonly<Record<string, PromptSpec>>;

/** The PIN set-up form (`SUBMIT_NEW_PIN`): an image, a new PIN and a personal phrase. */
export const PIN_SETUP_FORM = {
  title: 'Set up your security PIN',
  images: 'Security image',
  imageName: 'imageName',
  pin: 'New PIN',
  personalPhrase: 'Personal phrase',
  submit: 'Save PIN',
  pinMaxLength: INPUT_LIMITS.newPin,
  personalPhraseMaxLength: INPUT_LIMITS.personalPhrase,
} as const;

/** The login form (`SUBMIT_CREDENTIALS`, and `FORGOT_PASSWORD` with its username). */
export const CREDENTIALS_FORM = {
  usernameMaxLength: INPUT_LIMITS.username,
  passwordMaxLength: INPUT_LIMITS.password,
} as const;

/** The new-password form (`SUBMIT_NEW_PASSWORD`), for an expired password and at the end of a reset. */
export const NEW_PASSWORD_FORM = {
  title: 'Choose a new password',
  password: 'New password',
  confirmation: 'Repeat the new password',
  submit: 'Change password',
  maxLength: INPUT_LIMITS.password,
} as const;

/**
 * The login again while the session ends soon (`SUBMIT_CREDENTIALS` in `succeeded.endingSoon.warning`): the
 * logged-in username, shown and not editable (the machine refuses another), and the password.
 */
export const RELOGIN_FORM = {
  title: 'Log in again',
  prompt: 'Log in again to stay logged in.',
  username: 'Username',
  password: 'Password',
  submit: 'Log in again',
  usernameMaxLength: INPUT_LIMITS.username,
  passwordMaxLength: INPUT_LIMITS.password,
} as const;

/** The alt text of the anti-phishing picture on the PIN prompt. */
export const SECURITY_IMAGE_ALT = 'Your security image';
