// The password change region's prompt: an expired password's new one, typed twice. The end of a password reset
// asks with it too.
import { Secret } from '../../index.js';
import { describeReason, englishMessages as words } from '../../messages/index.js';
import type { Conversation, Turn } from '../conversation.js';

/** `passwordChange.editing`. */
export async function changePassword(talk: Conversation, { snapshot, enteredTop }: Turn): Promise<void> {
  if (enteredTop)
    talk.say(
      `${describeReason(snapshot.context.reason, words) || words.reasons.passwordExpired} Choose a new password.`,
    );
  await askNewPassword(talk);
}

/** A new password and its confirmation (hidden); the machine refuses a confirmation that differs. */
export async function askNewPassword(talk: Conversation): Promise<void> {
  const password = await talk.askSecret('New password: ');
  const confirmation = await talk.askSecret('New password again: ');
  talk.send({
    type: 'SUBMIT_NEW_PASSWORD',
    password: new Secret(password),
    confirmation: new Secret(confirmation),
  });
}
