// The login region's prompts: the username and password (or, with --forgot-password, the username the reset is
// for), the security PIN with the anti-phishing phrase, and the verification code with its resend and cooldown.
import { Secret } from '../../index.js';
import {
  describeError,
  describeReason,
  describeWait,
  englishMessages as words,
} from '../../messages/index.js';
import { type Conversation, secondsUntil, type Turn } from '../conversation.js';

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

  /**
   * What the server said with a step, once per answer (each brings a new interim token): its Reason in the
   * catalog's words, or what the step asks. Not again after a refused value, whose own words were said.
   */
  const sayStep = (step: 'securityPin' | 'verificationCode', { context }: Turn['snapshot']) => {
    if (talk.first(context.interimToken)) say(describeReason(context.reason, words) || words.prompts[step]);
  };

  return {
    async credentials(forgot) {
      // The username without the spaces around it, as login forms do; the password as typed.
      const username = options.username ?? (await talk.ask('Username: ')).trim();
      if (forgot) {
        talk.send({ type: 'FORGOT_PASSWORD', username });
        return;
      }
      const password = await talk.askSecret('Password: ');
      talk.send({ type: 'SUBMIT_CREDENTIALS', username, password: new Secret(password) });
    },

    async securityPin({ snapshot }) {
      const { context } = snapshot;
      // The anti-phishing phrase: here, and nowhere else.
      if (context.personalPhrase) {
        say(`Your phrase: ${context.personalPhrase}`);
        if (!toldPhraseHint) say('If it is not the phrase you chose, do not type your PIN: press Ctrl-C.');
        toldPhraseHint = true;
      }
      sayStep('securityPin', snapshot);
      // Without the spaces around it, as login forms do.
      const pin = await talk.askSecret('Security PIN: ');
      talk.send({ type: 'SUBMIT_PIN', pin: new Secret(pin.trim()) });
    },

    async verificationCode({ snapshot }) {
      const { context } = snapshot;
      if (resendAsked && context.codeResent) say(words.notices.codeResent);
      resendAsked = false;
      const { error } = context;
      // A resend that failed: no new code was sent, so the one before still works.
      if (error && error.kind !== 'input' && talk.first(error)) {
        say(`${describeError(error, words)} ${words.notices.codeStillWorks}`);
      }
      if (context.resendAvailableAt !== undefined && context.resendAvailableAt !== toldCooldown) {
        toldCooldown = context.resendAvailableAt;
        say(describeWait('resend', secondsUntil(context.resendAvailableAt), words));
      }
      sayStep('verificationCode', snapshot);
      talk.showDemoMail(context.username, 'verificationCode');
      const answer = await talk.askSecret('Verification code (r or empty for a new code): ');
      if (talk.cancelled()) return;
      if (!RESEND_WORDS.has(answer.trim().toLowerCase())) {
        talk.send({ type: 'SUBMIT_VERIFICATION_CODE', code: new Secret(answer.trim()) });
        return;
      }
      const now = actor.getSnapshot();
      if (now.can({ type: 'RESEND_CODE' })) {
        resendAsked = true;
        talk.send({ type: 'RESEND_CODE' });
      } else {
        say(describeWait('resend', secondsUntil(now.context.resendAvailableAt), words));
      }
    },

    stop: () => announcer.unsubscribe(),
  };
}
