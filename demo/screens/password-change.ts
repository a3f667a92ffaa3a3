// The password change region's screen: an expired password's new one, typed twice. Its form is also the last step
// of a password reset, with its own heading (see newPasswordView).
import { Secret } from '../../src/index.js';
import type { DemoActor } from '../demo-actor.js';
import { byId, setText } from '../dom.js';
import { onSubmit, type PromptView } from '../prompts.js';
import type { RegionScreen } from '../screen.js';
import { limitLength } from '../words.js';

const newPasswordForm = byId<HTMLFormElement>('new-password-form');
const newPassword = byId<HTMLInputElement>('new-password');
const confirmation = byId<HTMLInputElement>('confirm-password');
const title = byId('new-password-title');
const hint = byId('new-password-hint');
const fieldError = byId('new-password-error');
const serverErrors = byId('new-password-server-errors');
limitLength('password', newPassword, confirmation);

/** The new-password form as a prompt, with the heading and hint it shows for it. */
export function newPasswordView(heading: string, hintText: string): PromptView {
  return {
    form: newPasswordForm,
    fields: { password: newPassword, confirmation },
    secrets: [newPassword, confirmation],
    fieldError,
    serverErrors,
    onlyWhileShown: true,
    onShow: () => {
      setText(title, heading);
      setText(hint, hintText);
    },
    first: () => newPassword,
  };
}

export const passwordChangeViews = {
  'passwordChange.editing': newPasswordView(
    'Your password has expired',
    'Choose a new password and type it again: you are then logged in with it.',
  ),
} satisfies Record<string, PromptView>;

export function createPasswordChangeScreen(actor: DemoActor): RegionScreen {
  // One form, two prompts: the machine knows which one it is in.
  onSubmit(newPasswordForm, actor, () => ({
    type: 'SUBMIT_NEW_PASSWORD',
    password: new Secret(newPassword.value),
    confirmation: new Secret(confirmation.value),
  }));
  return {};
}
