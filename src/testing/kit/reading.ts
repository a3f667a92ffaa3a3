// Whether what a screen shows fits what a step of a path expects: the screen, busy, the actions offered (those the
// machine takes), the fields they need, the invalid field, whether a problem is shown, and text rules.
import type { ModelExpectation } from '../model/expectation.js';
import { MODEL_INTERIM_TOKENS, MODEL_SESSION_TOKEN } from '../model/login.js';
import { MODEL_PASSWORD_CHANGE_TOKEN } from '../model/password-change.js';
import { MODEL_RESET_TOKEN } from '../model/password-reset.js';
import { MODEL_PIN_SETUP_TOKENS } from '../model/pin-setup.js';
import { MODEL_OTHER_USER } from '../model/session.js';
import { MODEL_USER, type ModelUserEvent } from '../model/user.js';
import type { ScreenReading } from './types.js';

/** Every secret a path types or receives: no screen, console or log may show one. */
export const MODEL_SECRETS: readonly string[] = [
  MODEL_USER.password,
  MODEL_USER.newPassword,
  MODEL_USER.pin,
  MODEL_USER.newPin,
  MODEL_USER.code,
  MODEL_USER.secretAnswer,
  MODEL_USER.resetCode,
  MODEL_SESSION_TOKEN,
  MODEL_OTHER_USER.token,
  MODEL_INTERIM_TOKENS.securityPin,
  MODEL_INTERIM_TOKENS.verificationCode,
  MODEL_PIN_SETUP_TOKENS.token,
  MODEL_PIN_SETUP_TOKENS.confirmation,
  MODEL_PASSWORD_CHANGE_TOKEN,
  MODEL_RESET_TOKEN,
];

/** The values each user event carries, by the field names a form gives them. */
const FIELDS_OF: Readonly<Record<ModelUserEvent['type'], readonly string[]>> = {
  SUBMIT_CREDENTIALS: ['username', 'password'],
  SUBMIT_PIN: ['pin'],
  SUBMIT_VERIFICATION_CODE: ['code'],
  RESEND_CODE: [],
  SUBMIT_NEW_PIN: ['pin', 'imageName', 'personalPhrase'],
  SUBMIT_NEW_PASSWORD: ['password', 'confirmation'],
  FORGOT_PASSWORD: ['username'],
  SUBMIT_SECRET_ANSWER: ['answer'],
  SUBMIT_RESET_CODE: ['code'],
  CANCEL: [],
  RETRY: [],
  LOGOUT: [],
};

const PIN_PROMPTS = new Set(['expecting.securityPin', 'succeeded.endingSoon.securityPin']);

/** What a screen must show after a step. */
export interface WantedScreen {
  readonly screen: string;
  readonly expected: ModelExpectation;
  /** The user events the machine takes, sorted. */
  readonly offered: readonly string[];
  readonly forbiddenText: readonly string[];
}

const sorted = (values: readonly string[]) => [...new Set(values)].sort();
const list = (values: readonly string[]) => (values.length ? values.join(', ') : 'none');

/** What is wrong with `reading` for `wanted`: one line per mismatch, none when it fits. */
export function mismatches(reading: ScreenReading, wanted: WantedScreen): string[] {
  const { expected, offered } = wanted;
  const wrong: string[] = [];
  if (reading.screen !== wanted.screen)
    wrong.push(`the screen is "${reading.screen}", not "${wanted.screen}" (state ${expected.state})`);
  if (reading.busy !== expected.busy) wrong.push(`busy is ${reading.busy}, not ${expected.busy}`);
  const actions = sorted(reading.actions);
  if (actions.join() !== offered.join())
    wrong.push(
      `the actions offered are ${list(actions)}, not ${list([...offered])} (what snapshot.can() takes)`,
    );
  if (reading.fields) {
    const needed = offered.flatMap((type) => FIELDS_OF[type as ModelUserEvent['type']] ?? []);
    const missing = sorted(needed.filter((name) => !reading.fields?.includes(name)));
    if (missing.length) wrong.push(`no field for ${list(missing)}, which the actions offered need`);
  }
  const input = expected.error?.kind === 'input' && !expected.busy ? expected.error.field : undefined;
  if (reading.invalid && sorted(reading.invalid).join() !== (input ?? ''))
    wrong.push(`the fields marked invalid are ${list(sorted(reading.invalid))}, not ${input ?? 'none'}`);
  if ('problem' in reading) {
    const hasProblem =
      !expected.busy &&
      (expected.error !== undefined ||
        expected.failure !== undefined ||
        (expected.serverErrors?.length ?? 0) > 0);
    if (Boolean(reading.problem) !== hasProblem)
      wrong.push(hasProblem ? 'no problem is shown' : `a problem is shown: "${reading.problem}"`);
  }
  if (reading.text !== undefined) wrong.push(...textMismatches(reading.text, wanted));
  return wrong;
}

function textMismatches(text: string, { expected, forbiddenText }: WantedScreen): string[] {
  const wrong: string[] = [];
  const secrets = MODEL_SECRETS.filter((secret) => text.includes(secret));
  if (secrets.length) wrong.push(`the screen shows ${secrets.length} secret(s) the path typed or received`);
  for (const word of forbiddenText) if (text.includes(word)) wrong.push(`the screen shows "${word}"`);
  if (PIN_PROMPTS.has(expected.state) && expected.personalPhrase && !text.includes(expected.personalPhrase))
    wrong.push('the PIN prompt does not show the personal phrase');
  if (expected.state === 'passwordReset.question' && !text.includes(expected.secretQuestion ?? ''))
    wrong.push('the secret question is not shown');
  return wrong;
}
