// The password reset region's screens: the secret question, the code e-mailed for the reset, and a new password
// (the password change's form, under its own heading).
import { Secret } from '../../src/index.js';
import type { DemoActor } from '../demo-actor.js';
import { byId, setText } from '../dom.js';
import type { Mailbox } from '../mailbox.js';
import { onSubmit, type PromptView } from '../prompts.js';
import type { RegionScreen } from '../screen.js';
import { limitLength } from '../words.js';
import { newPasswordView } from './password-change.js';

const answer = byId<HTMLInputElement>('secret-answer');
const resetCode = byId<HTMLInputElement>('reset-code');
const secretQuestion = byId('secret-question');
limitLength('answer', answer);
limitLength('resetCode', resetCode);

export const passwordResetViews = {
  'passwordReset.question': {
    form: byId('question-form'),
    fields: { answer },
    secrets: [answer],
    fieldError: byId('question-error'),
    serverErrors: byId('question-server-errors'),
    onlyWhileShown: true,
    first: () => answer,
  },
  'passwordReset.code': {
    form: byId('reset-code-form'),
    fields: { code: resetCode },
    secrets: [resetCode],
    fieldError: byId('reset-code-error'),
    serverErrors: byId('reset-code-server-errors'),
    onlyWhileShown: true,
    first: () => resetCode,
  },
  'passwordReset.newPassword': newPasswordView(
    'Choose a new password',
    'The code was right. Choose a new password and type it again: you are then logged in with it.',
  ),
} satisfies Record<string, PromptView>;

export function createPasswordResetScreen(actor: DemoActor, mailbox: Mailbox): RegionScreen {
  onSubmit(passwordResetViews['passwordReset.question'].form, actor, () => ({
    type: 'SUBMIT_SECRET_ANSWER',
    answer: new Secret(answer.value),
  }));
  onSubmit(passwordResetViews['passwordReset.code'].form, actor, () => ({
    type: 'SUBMIT_RESET_CODE',
    // A code goes without the spaces around it; the answer as typed.
    code: new Secret(resetCode.value.trim()),
  }));
  return {
    render({ context, state, entered }) {
      setText(secretQuestion, context.secretQuestion ?? '');
      // The reset code was just sent: the demo mailbox shows it.
      if (entered && state === 'passwordReset.code') mailbox.show(context.username ?? '');
      return false;
    },
  };
}
