// The login region's prompts: the username and password (or, with --forgot-password, the username the reset is
// for), the security PIN with the anti-phishing phrase, and the verification code with its resend and cooldown.
import { Secret } from '../../index.js';
import { type Conversation, kindOf, secondsUntil, type Turn } from '../conversation.js';
import { printable } from '../failure.js';

/** What asks for a new code at the code prompt. */
const RESEND_WORDS = new Set(['', 'r']);

export interface LoginPrompts {
  /** `idle`: a username and password; with `forgot`, a username and FORGOT_PASSWORD. */
  credentials(forgot: boolean): Promise<void>;
  /** `expecting.securityPin`. */
  securityPin(turn: Turn): Promise<void>;
  /** `expecting.verificationCode`: a code, or `r` / an empty line for a new one once the cooldown is over. */
  verificationCode(turn: Turn): Promise<void>;
  /** Stops saying when the resend cooldown ends. */
  stop(): void;
}

export function createLoginPrompts(talk: Conversation): LoginPrompts {
  const { actor, options, say } = talk;
  let resendAsked = false; // a RESEND_CODE was sent: its code prompt says so
  let toldCooldown: number | undefined; // the resend cooldown already said at the code prompt
  let toldPhraseHint = false;

  // The end of a resend cooldown is said when it happens, above the code prompt if it is on screen.
  let resendWait = actor.getSnapshot().context.resendAvailableAt;
  const announcer = actor.subscribe((snapshot) => {
    const { resendAvailableAt } = snapshot.context;
    const over = resendWait !== undefined && resendAvailableAt === undefined;
    resendWait = resendAvailableAt;
    if (over && !talk.cancelled() && snapshot.matches({ expecting: 'verificationCode' })) {
      talk.prompter.notice(talk.line('You can now ask for a new code: type r (or an empty line).'));
    }
  });

  return {
    async credentials(forgot) {
      const username = options.username ?? (await talk.ask('Username: '));
      if (forgot) {
        talk.send({ type: 'FORGOT_PASSWORD', username });
        return;
      }
      const password = await talk.askSecret('Password: ');
      talk.send({ type: 'SUBMIT_CREDENTIALS', username, password: new Secret(password) });
    },

    async securityPin({ snapshot: { context } }) {
      // The anti-phishing phrase: here, and nowhere else.
      if (context.personalPhrase) {
        say(`Your phrase: ${context.personalPhrase}`);
        if (!toldPhraseHint) say('If it is not the phrase you chose, do not type your PIN: press Ctrl-C.');
        toldPhraseHint = true;
      }
      const pin = await talk.askSecret(`Security PIN (${printable(context.reason ?? '')}): `);
      talk.send({ type: 'SUBMIT_PIN', pin: new Secret(pin) });
    },

    async verificationCode({ snapshot: { context } }) {
      if (resendAsked && context.codeResent) say('A new code was sent; the previous code no longer works.');
      resendAsked = false;
      const { error } = context;
      // A resend that failed: no new code was sent, so the one before still works.
      if (error && error.kind !== 'input' && talk.first(error)) {
        if (error.kind === 'rateLimited') {
          toldCooldown = context.resendAvailableAt;
          say(
            `Too many attempts: a new code can be asked for in ${secondsUntil(context.resendAvailableAt)} s`,
          );
        } else {
          say(`no new code was sent (${kindOf(error)}): ${error.message}; the code sent before still works`);
        }
      }
      if (context.resendAvailableAt !== undefined && context.resendAvailableAt !== toldCooldown) {
        toldCooldown = context.resendAvailableAt;
        say(`You can ask for a new code in ${secondsUntil(context.resendAvailableAt)} s.`);
      }
      talk.showDemoMail(context.username, 'verificationCode');
      const answer = await talk.askSecret(
        `Verification code (${printable(context.reason ?? '')}; r or empty for a new code): `,
      );
      if (talk.cancelled()) return;
      if (!RESEND_WORDS.has(answer.trim().toLowerCase())) {
        talk.send({ type: 'SUBMIT_VERIFICATION_CODE', code: new Secret(answer) });
        return;
      }
      const now = actor.getSnapshot();
      if (now.can({ type: 'RESEND_CODE' })) {
        resendAsked = true;
        talk.send({ type: 'RESEND_CODE' });
      } else {
        say(`No new code yet: you can ask for one in ${secondsUntil(now.context.resendAvailableAt)} s.`);
      }
    },

    stop: () => announcer.unsubscribe(),
  };
}
