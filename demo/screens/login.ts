// The login region's screens: the stored session read at start from a storage that answers later (`restoring`: no
// form, a status line), the credentials form (and "Forgot password?"), the PIN prompt with the anti-phishing
// picture and phrase, and the code prompt with its resend and cooldown. `idle` also says why a session ended.
import { Secret } from '../../src/index.js';
import type { DemoActor } from '../demo-actor.js';
import { byId, renderWait, setText, waitLine } from '../dom.js';
import type { Mailbox } from '../mailbox.js';
import { onSubmit, type PromptView } from '../prompts.js';
import type { RegionScreen } from '../screen.js';
import type { SessionKeeping } from '../session-keeping.js';
import { describeError, describeReason, describeSessionEnd, limitLength, titleOf, WORDS } from '../words.js';

const input = (id: string) => byId<HTMLInputElement>(id);
const username = input('username');
const password = input('password');
const pin = input('pin');
const code = input('code');
const loginForm = byId<HTMLFormElement>('login-form');
const keepSession = input('keep-session');
const forgotButton = byId<HTMLButtonElement>('forgot-password');
const sessionEnded = byId('session-ended');
const restoringPanel = byId('restoring-panel');
const pinReason = byId('pin-reason');
const antiPhishing = byId('anti-phishing');
const pinImage = byId<HTMLImageElement>('pin-image');
const pinPhraseLine = byId('pin-phrase-line');
const pinPhrase = byId('pin-phrase');
const codeReason = byId('code-reason');
const codeResent = byId('code-resent');
const codeAlert = byId('code-alert');
const codeAlertTitle = byId('code-alert-title');
const codeAlertMessage = byId('code-alert-message');
const resendButton = byId<HTMLButtonElement>('resend-code');
const resendWait = waitLine('resend-wait', 'resend-at');
limitLength('username', username);
limitLength('password', password);
limitLength('pin', pin);
limitLength('code', code);

/** The PIN prompt; a login again while the session ends soon asks with it too. */
export const pinView: PromptView = {
  form: byId('pin-form'),
  fields: { pin },
  secrets: [pin],
  fieldError: byId('pin-error'),
  first: () => pin,
};
/** The code prompt; a login again while the session ends soon asks with it too. */
export const codeView: PromptView = {
  form: byId('code-form'),
  fields: { code },
  secrets: [code],
  fieldError: byId('code-error'),
  first: () => code,
};
export const loginViews = {
  idle: {
    form: loginForm,
    fields: { username, password },
    secrets: [password],
    fieldError: byId('login-error'),
    first: () => (username.value ? password : username),
  },
  'expecting.securityPin': pinView,
  'expecting.verificationCode': codeView,
} satisfies Record<string, PromptView>;

/** The username typed in the login form. */
export const typedUsername = () => username.value;
/** Empties the login form: LOGOUT forgets the username too, even when it leaves the screen on that form. */
export const forgetTypedLogin = () => loginForm.reset();

export function createLoginScreen(actor: DemoActor, keeping: SessionKeeping, mailbox: Mailbox): RegionScreen {
  let askedAgain = false;

  /** Only a login (or a reset, which ends in one) can change the choice: a stray submission while logged in must not. */
  const takeKeepChoice = () => {
    if (actor.getSnapshot().matches('idle')) keeping.choose(keepSession.checked);
  };
  // Secrets are sent wrapped: a Secret prints as [redacted], should the event ever be printed (a development
  // build of XState prints one sent to a stopped actor). The username, PIN and code go without the spaces around
  // them, as login forms do; a password goes as typed (the machine refuses one with spaces around it, and says so).
  onSubmit(loginForm, actor, () => {
    takeKeepChoice();
    return {
      type: 'SUBMIT_CREDENTIALS',
      username: username.value.trim(),
      password: new Secret(password.value),
    };
  });
  forgotButton.addEventListener('click', () => {
    takeKeepChoice();
    actor.send({ type: 'FORGOT_PASSWORD', username: username.value.trim() });
  });
  onSubmit(pinView.form, actor, () => ({ type: 'SUBMIT_PIN', pin: new Secret(pin.value.trim()) }));
  onSubmit(codeView.form, actor, () => ({
    type: 'SUBMIT_VERIFICATION_CODE',
    code: new Secret(code.value.trim()),
  }));
  resendButton.addEventListener('click', () => actor.send({ type: 'RESEND_CODE' }));

  return {
    render({ snapshot, context, state, entered, formBusy, prompt, lastPrompt, shownState }) {
      // Nothing to fill in or press until the storage has answered: the status line says what is happening.
      restoringPanel.hidden = state !== 'restoring';
      setText(sessionEnded, (state === 'idle' && describeSessionEnd(context.reason, WORDS)) || '');
      if (entered && !formBusy && state === 'idle') username.value = context.username ?? '';
      // A prompt asked again right after it was answered: the server's Reason says what was wrong ("Invalid pin").
      if (entered)
        askedAgain =
          state !== 'idle' && state === lastPrompt && (shownState ?? '').endsWith('authenticating');
      // A value just refused: the prompt asks again, and the Reason of the answer before is not shown beside it.
      const refused = context.error?.kind === 'input';
      const reason = refused ? undefined : describeReason(context.reason, WORDS);
      pinReason.classList.toggle('rejected', askedAgain && !refused && prompt === pinView);
      codeReason.classList.toggle('rejected', askedAgain && !refused && prompt === codeView);

      // The PIN prompt: the server's Reason, and the anti-phishing picture and phrase when the answer had them.
      setText(pinReason, reason ?? WORDS.prompts.securityPin);
      const image = context.securityImage;
      if (image && pinImage.getAttribute('src') !== image.dataUrl) pinImage.src = image.dataUrl;
      if (!image) pinImage.removeAttribute('src');
      pinImage.hidden = !image;
      setText(pinPhrase, context.personalPhrase ?? '');
      pinPhraseLine.hidden = !context.personalPhrase;
      antiPhishing.hidden = !image && !context.personalPhrase;

      // The code prompt: a new code on request once the cooldown is over, and what a resend did.
      setText(codeReason, reason ?? WORDS.prompts.verificationCode);
      setText(codeResent, WORDS.notices.codeResent);
      codeResent.hidden = !context.codeResent;
      resendButton.hidden = !snapshot.can({ type: 'RESEND_CODE' });
      const resendCounting = renderWait(
        resendWait,
        'resend',
        state === 'expecting.verificationCode' ? context.resendAvailableAt : undefined,
      );
      // A request that failed without leaving the prompt (a resend): shown on the form, whose code still works.
      const formProblem = state !== 'error' && context.error?.kind !== 'input' ? context.error : undefined;
      codeAlert.hidden = !formProblem;
      setText(codeAlertTitle, formProblem ? titleOf(formProblem) : '');
      setText(
        codeAlertMessage,
        formProblem ? `${describeError(formProblem, WORDS)} ${WORDS.notices.codeStillWorks}` : '',
      );

      forgotButton.hidden = !snapshot.can({ type: 'FORGOT_PASSWORD', username: username.value });
      // A code was just sent: the demo mailbox shows it.
      if (entered && state === 'expecting.verificationCode') mailbox.show(context.username ?? '');
      return resendCounting;
    },

    status: ({ state }) => (state === 'restoring' ? WORDS.notices.restoringSession : undefined),
  };
}
