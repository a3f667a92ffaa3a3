// The PIN set-up region's prompt: a security image by its number (a terminal cannot show it), a new PIN typed
// twice, and the personal phrase the PIN prompt shows from then on.
import { Secret } from '../../index.js';
import { describeReason, englishMessages as words } from '../../messages/index.js';
import type { Conversation, Turn } from '../conversation.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/** `pinSetup.choosing`; without an image to pick, the login ends here. */
export async function choosePin(
  talk: Conversation,
  { snapshot, enteredTop }: Turn,
): Promise<ExitCode | undefined> {
  const { context } = snapshot;
  const { say } = talk;
  const images = context.securityImages ?? [];
  if (images.length === 0) {
    say('The server offered no security picture, so no PIN can be set up here.');
    say(words.failureAdvice.pinNotInitialized);
    return EXIT.pinNotInitialized;
  }
  if (enteredTop)
    say(`${describeReason(context.reason, words) || words.reasons.pinNotInitialized} Set one up now.`);
  say('Pick a security image (a terminal cannot show it, so by its file name):');
  for (const [index, image] of images.entries()) say(`  ${index + 1}  ${image.fileName}`);
  const imageName = await askImage(
    talk,
    images.map((image) => image.fileName),
  );
  // Without the spaces around it, as login forms do.
  const pin = (await askNewPin(talk)).trim();
  const personalPhrase = await talk.ask('Personal phrase (shown with your PIN prompt from now on): ');
  talk.send({ type: 'SUBMIT_NEW_PIN', pin: new Secret(pin), imageName, personalPhrase });
  return undefined;
}

/** The number of a security image, asked until it is one of the list's; its file name. */
async function askImage(talk: Conversation, fileNames: readonly string[]): Promise<string> {
  for (;;) {
    const answer = (await talk.ask(`Security image number (1-${fileNames.length}): `)).trim();
    const chosen = /^\d+$/.test(answer) ? fileNames[Number(answer) - 1] : undefined;
    if (chosen !== undefined || talk.cancelled()) return chosen ?? '';
    talk.say(`Type a number from 1 to ${fileNames.length}.`);
  }
}

/** A new PIN, typed twice (hidden): a mismatch is refused here, before anything is sent. */
async function askNewPin(talk: Conversation): Promise<string> {
  for (;;) {
    const pin = await talk.askSecret('New PIN: ');
    const again = await talk.askSecret('New PIN again: ');
    if (pin === again || talk.cancelled()) return pin;
    talk.say('The two PINs are not the same. Type the new PIN twice again.');
  }
}
