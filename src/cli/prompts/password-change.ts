// The password change region's prompt: an expired password's new one, typed twice. The end of a password reset
// asks with it too.
import { Secret } from '../../index.js';
import type { Conversation, Turn } from '../conversation.js';

/** `passwordChange.editing`. */
export async function changePassword(talk: Conversation, { snapshot, enteredTop }: Turn): Promise<void> {
  if (enteredTop)
    talk.say(`${snapshot.context.reason || 'Your password has expired'}: choose a new password.`);
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
