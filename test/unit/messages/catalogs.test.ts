// The catalogs of sentences people read: every error kind, failure code, input problem (for every field the
// machine names), wait, known server Reason and Step, session end and busy state has a sentence in each language,
// written for people; the French one is a whole translation; an app can replace any of it.
import { describe, expect, it } from 'vitest';
import { getStateNodes } from 'xstate/graph';
import { ERROR_KINDS, type InputProblemCode } from '../../../src/contract/auth-error.js';
import {
  headerProblem,
  INPUT_LIMITS,
  type InputProblem,
  imageNameProblem,
  newPasswordProblem,
  newPinProblem,
  otherUserProblem,
  textProblem,
} from '../../../src/contract/input-rules.js';
import type { EtnaFailureCode, EtnaSessionEndReason } from '../../../src/contract/session.js';
import { FAILURE_GUIDANCE } from '../../../src/index.js';
import { etnaAuthMachine } from '../../../src/machine/etna-auth-machine.js';
import {
  describeBusy,
  describeError,
  describeFailure,
  describeReason,
  describeSessionEnd,
  describeStep,
  describeWait,
  type EtnaInputField,
  type EtnaMessages,
  type EtnaWait,
  englishMessages,
  frenchMessages,
} from '../../../src/messages/index.js';
import { plainWordsProblems } from '../../plain-words.js';

const CATALOGS = [
  ['English', englishMessages],
  ['French', frenchMessages],
] as const;

const FAILURE_CODES: readonly EtnaFailureCode[] = [
  'rejected',
  'passwordExpired',
  'pinNotInitialized',
  'unsupportedStep',
  'resetRefused',
];
const SESSION_ENDS: readonly EtnaSessionEndReason[] = ['expired', 'revoked', 'loggedOut', 'endedElsewhere'];
const FIELDS: readonly EtnaInputField[] = [
  'username',
  'password',
  'pin',
  'code',
  'confirmation',
  'imageName',
  'personalPhrase',
  'answer',
];
const WAITS: readonly EtnaWait[] = ['retry', 'relogin', 'resend', 'sessionEnd'];
/** The server's known Reasons as PROTOCOL.md lists them. */
const REASONS = [
  'Invalid credentials',
  'Expecting confirmation code',
  'Corrupted ticket',
  'Invalid pin',
  'Your Password has expired and must be changed',
  'PIN code is not init',
];
const STEPS = ['BaseAuthentication', 'SecutityPin', 'SecurityPin', 'VerificationCode'];

/**
 * Every refusal the input rules can give, each from a value a person could type: the fields the machine names,
 * with each problem its rules find for them.
 */
const LONG = 'x'.repeat(300);
const refusals: InputProblem[] = [
  ...(['username', 'password', 'pin', 'code'] as const).flatMap((field) =>
    ['', 'a\nb', 'a€', ' a', LONG].map((value) => headerProblem(field, value, INPUT_LIMITS[field])),
  ),
  ...(['personalPhrase', 'answer', 'code'] as const).flatMap((field) =>
    [' ', 'a\tb', LONG].map((value) => textProblem(field, value, 100)),
  ),
  ...['', '12a4', '0123', '12', '1234567890123456'].map((pin) => newPinProblem(pin)),
  newPasswordProblem('new-password', 'new-pasword'),
  imageNameProblem('not-offered.png', [{ fileName: 'apple.png' }]),
  otherUserProblem('alice', 'bob'),
].filter((problem): problem is InputProblem => problem !== undefined);

/** Every sentence a catalog can say, each with where it comes from. */
function sentencesOf(catalog: EtnaMessages): [string, string][] {
  return [
    ...ERROR_KINDS.map((kind) => [`error title ${kind}`, catalog.errorTitles[kind]] as [string, string]),
    ...ERROR_KINDS.map(
      (kind) => [`error ${kind}`, describeError({ kind, status: 500 }, catalog)] as [string, string],
    ),
    ['error http without a status', describeError({ kind: 'http' }, catalog)],
    ...refusals.map(
      (refusal) =>
        [`input ${refusal.field} ${refusal.problem}`, describeError(refusal, catalog)] as [string, string],
    ),
    ...FAILURE_CODES.map((code) => [`advice ${code}`, catalog.failureAdvice[code]] as [string, string]),
    ...REASONS.map((reason) => [`reason ${reason}`, describeReason(reason, catalog)] as [string, string]),
    ...STEPS.map((step) => [`step ${step}`, describeStep(step, catalog) ?? ''] as [string, string]),
    ...WAITS.map((wait) => [`wait ${wait}`, describeWait(wait, 59, catalog)] as [string, string]),
    ...SESSION_ENDS.map(
      (end) => [`session end ${end}`, describeSessionEnd(end, catalog) ?? ''] as [string, string],
    ),
    ...Object.entries(catalog.busy).map(([state, line]) => [`busy ${state}`, line] as [string, string]),
    ...Object.entries(catalog.notices).map(([name, line]) => [`notice ${name}`, line] as [string, string]),
    ...Object.entries(catalog.prompts).map(([name, line]) => [`prompt ${name}`, line] as [string, string]),
  ];
}

const PROBLEMS: readonly InputProblemCode[] = [
  'required',
  'tooLong',
  'tooShort',
  'controlCharacter',
  'notLatin1',
  'surroundingSpace',
  'notDigits',
  'leadingZero',
  'mismatch',
  'notOffered',
  'otherUser',
];

describe('the catalogs', () => {
  it('are tried with every input problem the rules give, and every field they name', () => {
    expect(new Set(refusals.map((refusal) => refusal.problem))).toEqual(new Set(PROBLEMS));
    expect(new Set(refusals.map((refusal) => refusal.field))).toEqual(new Set(FIELDS));
  });

  it.each(CATALOGS)('say everything in %s, in sentence case, with no internal name', (_language, catalog) => {
    const sentences = sentencesOf(catalog);
    for (const [where, sentence] of sentences) {
      expect(sentence, where).not.toBe('');
      expect(plainWordsProblems([sentence]), where).toEqual([]);
      // A title is a few words; everything else is a whole sentence.
      if (!where.startsWith('error title') && !where.startsWith('step'))
        expect(sentence, where).toMatch(/[.…]$/);
    }
    // A refused value is never said with the fallback: each problem has words of its own.
    for (const refusal of refusals) expect(describeError(refusal, catalog)).not.toBe(catalog.errors.input);
  });

  it('are whole translations: no French sentence is the English one', () => {
    const english = new Map(sentencesOf(englishMessages));
    const same = sentencesOf(frenchMessages).filter(([where, sentence]) => english.get(where) === sentence);
    expect(same).toEqual([]);
    expect(frenchMessages.language).toBe('fr');
  });

  it('have a line for each busy state of the machine, and for no other state', () => {
    const busy = getStateNodes(etnaAuthMachine.root)
      .filter((node) => node.tags.includes('busy'))
      .map((node) => node.path.join('.'))
      .sort();
    for (const [, catalog] of CATALOGS) expect(Object.keys(catalog.busy).sort()).toEqual(busy);
    expect(describeBusy({ expecting: 'resendingCode' })).toBe('Sending a new code…');
    expect(describeBusy('succeeded.endingSoon.authenticating', frenchMessages)).toBe('Reconnexion en cours…');
    expect(describeBusy('idle')).toBeUndefined();
    expect(describeBusy({ expecting: 'securityPin' })).toBeUndefined();
  });

  it("keep the main entry's FAILURE_GUIDANCE as the English advice", () => {
    expect(englishMessages.failureAdvice).toBe(FAILURE_GUIDANCE);
  });
});

describe('the sentences for the server', () => {
  it.each([
    ['Invalid credentials', 'The username or password is not right.'],
    ['  invalid   CREDENTIALS. ', 'The username or password is not right.'],
    ['Expecting confirmation code', 'Enter the code we sent you by e-mail or text message.'],
    ['Corrupted ticket', 'This login was interrupted and has to start again.'],
    ['Invalid pin', 'That PIN is not right.'],
    ['Your Password has expired and must be changed', 'Your password has expired and must be changed.'],
    ['PIN code is not init', 'No security PIN is set up for this account yet.'],
  ])('says the known Reason %j in its own words', (reason, words) => {
    expect(describeReason(reason)).toBe(words);
  });

  it('shows an unknown Reason as the server sent it, and no Reason as none', () => {
    expect(describeReason('Answer your security question')).toBe('Answer your security question');
    expect(describeReason('Invalid pin, 2 attempts left')).toBe('Invalid pin, 2 attempts left');
    expect(describeReason(undefined)).toBeUndefined();
  });

  it('names the known Steps for people, both spellings of the PIN step included, and no other', () => {
    expect(STEPS.map((step) => describeStep(step))).toEqual([
      'Username and password',
      'Security PIN',
      'Security PIN',
      'Verification code',
    ]);
    expect(describeStep('securitypin', frenchMessages)).toBe('Code PIN de sécurité');
    expect(describeStep('SecurityQuestion')).toBeUndefined();
    expect(describeStep(undefined)).toBeUndefined();
  });

  it('says a refused login: the Reason, the Step when known, and what to do', () => {
    expect(describeFailure({ step: 'SecutityPin', reason: 'Invalid pin', code: 'rejected' })).toEqual({
      reason: 'That PIN is not right.',
      step: 'Security PIN',
      advice: 'Check what you typed, then try again.',
    });
    expect(
      describeFailure(
        { step: 'SecurityQuestion', reason: 'Answer it', code: 'unsupportedStep' },
        frenchMessages,
      ),
    ).toEqual({
      reason: 'Answer it',
      step: undefined,
      advice: frenchMessages.failureAdvice.unsupportedStep,
    });
  });
});

describe('the sentences for the machine', () => {
  it('says each refused value by its field and problem, with the limit, never the field’s internal name', () => {
    expect(describeError({ kind: 'input', field: 'pin', problem: 'required' })).toBe('Enter your PIN.');
    expect(describeError({ kind: 'input', field: 'username', problem: 'tooLong', limit: 254 })).toBe(
      'Your username is too long: use at most 254 characters.',
    );
    expect(describeError({ kind: 'input', field: 'pin', problem: 'tooShort', limit: 4 })).toBe(
      'Your PIN is too short: use at least 4 digits.',
    );
    expect(
      describeError({ kind: 'input', field: 'personalPhrase', problem: 'required' }, frenchMessages),
    ).toBe('Saisissez votre phrase personnelle.');
    expect(describeError({ kind: 'input', field: 'password', problem: 'surroundingSpace' })).toMatch(
      /^Your password starts or ends with a space, which cannot be sent\./,
    );
    // A field or a problem this catalog does not know still reads as a sentence.
    expect(describeError({ kind: 'input', field: 'nickname', problem: 'required' })).toBe(
      'Enter this value.',
    );
    expect(describeError({ kind: 'input' })).toBe(englishMessages.errors.input);
  });

  it('says each error kind, with the HTTP status when there was one, and no seconds that would go stale', () => {
    expect(describeError({ kind: 'http', status: 503 })).toBe(
      'The server could not answer (HTTP 503). Try again later.',
    );
    // A redirect a browser hid answers with status 0: no number worth showing.
    expect(describeError({ kind: 'http', status: 0 })).toBe('The server could not answer. Try again later.');
    expect(describeError({ kind: 'rateLimited', status: 429 })).not.toMatch(/\d/);
  });

  it('counts each wait down in seconds, and the session’s end as minutes and seconds', () => {
    expect(WAITS.map((wait) => describeWait(wait, 5))).toEqual([
      'You can try again in 5 s.',
      'You can log in again in 5 s.',
      'You can ask for a new code in 5 s.',
      'Your session ends in 0:05.',
    ]);
    expect(describeWait('sessionEnd', 60, frenchMessages)).toBe('Votre session se termine dans 1:00.');
  });

  it('says what a screen shows while a storage that answers later is read, a state that is not busy', () => {
    expect(englishMessages.notices.restoringSession).toBe('Restoring your session…');
    expect(frenchMessages.notices.restoringSession).toBe('Restauration de votre session…');
    // Not a busy line: `restoring` sends nothing, and is tagged `restoring`.
    expect(describeBusy('restoring')).toBeUndefined();
    const restoring = getStateNodes(etnaAuthMachine.root).find((node) => node.path.join('.') === 'restoring');
    expect(restoring?.tags).toEqual(['restoring']);
  });

  it('says why a session ended, and nothing for a reason that is no session’s end', () => {
    expect(SESSION_ENDS.map((end) => describeSessionEnd(end))).toEqual([
      'Your session expired. Log in again to continue.',
      'The server ended your session. Log in again to continue.',
      'You have logged out.',
      'Your session ended in another tab. Log in again to continue.',
    ]);
    expect(describeSessionEnd('Invalid credentials')).toBeUndefined();
    expect(describeSessionEnd('toString')).toBeUndefined();
    expect(describeSessionEnd(undefined)).toBeUndefined();
  });
});

describe('a catalog of an app’s own', () => {
  it('replaces the words of every function it is given to, and leaves the defaults alone', () => {
    const mine: EtnaMessages = {
      ...englishMessages,
      language: 'en-GB',
      sessionEnds: { ...englishMessages.sessionEnds, loggedOut: 'Signed out. See you soon.' },
      reasons: { ...englishMessages.reasons, invalidPin: 'Wrong PIN.' },
      waits: { ...englishMessages.waits, retry: (seconds) => `Another go in ${seconds} seconds.` },
      inputProblems: { ...englishMessages.inputProblems, required: ({ name }) => `Please type ${name}.` },
      fields: { ...englishMessages.fields, pin: 'the PIN from your card' },
    };
    expect(describeSessionEnd('loggedOut', mine)).toBe('Signed out. See you soon.');
    expect(describeReason('Invalid pin', mine)).toBe('Wrong PIN.');
    expect(
      describeFailure({ step: 'SecutityPin', reason: 'Invalid pin', code: 'rejected' }, mine).reason,
    ).toBe('Wrong PIN.');
    expect(describeWait('retry', 3, mine)).toBe('Another go in 3 seconds.');
    expect(describeError({ kind: 'input', field: 'pin', problem: 'required' }, mine)).toBe(
      'Please type the PIN from your card.',
    );
    expect(describeSessionEnd('loggedOut')).toBe('You have logged out.');
  });

  it('must say everything: a catalog missing a sentence does not compile', () => {
    const { busy: _busy, ...withoutBusy } = englishMessages;
    // @ts-expect-error the busy lines are missing
    const incomplete: EtnaMessages = withoutBusy;
    const { loggingOut: _loggingOut, ...busyButOne } = englishMessages.busy;
    // @ts-expect-error one busy line is missing
    const oneMissing: EtnaMessages = { ...englishMessages, busy: busyButOne };
    const { restoringSession: _restoring, ...noticesButRestoring } = englishMessages.notices;
    // @ts-expect-error the line of `restoring` is missing
    const noRestoring: EtnaMessages = { ...englishMessages, notices: noticesButRestoring };
    expect([incomplete, oneMissing, noRestoring].map((catalog) => Object.keys(catalog).length)).toEqual([
      Object.keys(englishMessages).length - 1,
      Object.keys(englishMessages).length,
      Object.keys(englishMessages).length,
    ]);
  });
});
