// The password reset region's prompts: the answer to the secret question, the code e-mailed for the reset, and
// the new password (the password change's prompt).
import { Secret } from '../../index.js';
import type { Conversation, Turn } from '../conversation.js';
import { askNewPassword } from './password-change.js';

/** `passwordReset.question`, `passwordReset.code` and `passwordReset.newPassword`. */
export async function resetPassword(
  talk: Conversation,
  { snapshot, entered, enteredTop }: Turn,
): Promise<void> {
  const { context } = snapshot;
  const { say } = talk;
  if (enteredTop) say(`Resetting the password of ${context.username}.`);
  if (snapshot.matches({ passwordReset: 'question' })) {
    say(`Secret question: ${context.secretQuestion ?? ''}`);
    const answer = await talk.askSecret('Answer: ');
    talk.send({ type: 'SUBMIT_SECRET_ANSWER', answer: new Secret(answer) });
  } else if (snapshot.matches({ passwordReset: 'code' })) {
    if (entered) say("A reset code was sent to the account's e-mail address.");
    talk.showDemoMail(context.username, 'passwordReset');
    const code = await talk.askSecret('Reset code: ');
    // Without the spaces around it; the answer above goes as typed.
    talk.send({ type: 'SUBMIT_RESET_CODE', code: new Secret(code.trim()) });
  } else if (snapshot.matches({ passwordReset: 'newPassword' })) {
    if (entered) say('Choose a new password.');
    await askNewPassword(talk);
  }
}
