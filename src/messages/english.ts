// The sentences people read, in English. The advice after a refused login is `FAILURE_GUIDANCE`, which the main
// entry exports too.
import { FAILURE_GUIDANCE } from '../contract/failure-guidance.js';
import type { EtnaMessages } from './catalog.js';
import { clock, upperFirst } from './wording.js';

const units = (field: string | undefined) => (field === 'pin' ? 'digits' : 'characters');

/**
 * The English catalog, the default of every `describe…` function.
 *
 * @example
 * ```ts
 * englishMessages.sessionEnds.expired; // 'Your session expired. Log in again to continue.'
 * ```
 */
export const englishMessages: EtnaMessages = {
  language: 'en',
  errorTitles: {
    input: 'Check what you typed',
    network: 'No connection',
    timeout: 'No answer in time',
    http: 'Server error',
    protocol: 'Unexpected answer',
    appKey: 'App not accepted',
    rateLimited: 'Too many attempts',
  },
  errors: {
    input: 'This value cannot be sent. Check what you typed.',
    network: 'The server could not be reached. Check your connection, then try again.',
    timeout: 'The server did not answer in time. Try again in a moment.',
    http: (status) =>
      status
        ? `The server could not answer (HTTP ${status}). Try again later.`
        : 'The server could not answer. Try again later.',
    protocol: 'The server answered in a way this app does not understand. Try again later.',
    appKey:
      "The broker's server does not accept this app. This is not about your password: the app has to be set up again.",
    rateLimited: 'There were too many attempts. The server asks you to wait before the next one.',
  },
  fields: {
    username: 'your username',
    password: 'your password',
    pin: 'your PIN',
    code: 'the code',
    confirmation: 'the repeated password',
    imageName: 'a security picture',
    personalPhrase: 'your personal phrase',
    answer: 'your answer',
  },
  someField: 'this value',
  inputProblems: {
    required: ({ name }) => `Enter ${name}.`,
    tooLong: ({ field, name, limit }) =>
      `${upperFirst(name)} is too long: use at most ${limit} ${units(field)}.`,
    tooShort: ({ field, name, limit }) =>
      `${upperFirst(name)} is too short: use at least ${limit} ${units(field)}.`,
    controlCharacter: ({ name }) =>
      `${upperFirst(name)} contains a line break or another invisible character. Remove it.`,
    notLatin1: ({ name }) =>
      `${upperFirst(name)} contains a character that cannot be sent, such as an emoji or a full-width digit. Remove it.`,
    surroundingSpace: ({ field, name }) =>
      field === 'password'
        ? "Your password starts or ends with a space, which cannot be sent. Remove the space; if your password really has one there, change it on your broker's website or app."
        : `${upperFirst(name)} starts or ends with a space. Remove it.`,
    notDigits: ({ name }) => `${upperFirst(name)} must contain digits only.`,
    leadingZero: ({ name }) => `${upperFirst(name)} cannot start with 0.`,
    mismatch: ({ field, name }) =>
      field === 'confirmation'
        ? 'The two new passwords are not the same. Type the same password twice.'
        : `${upperFirst(name)} does not match.`,
    notOffered: () => 'Choose one of the security pictures shown.',
    otherUser: () => 'Someone else is logged in here. Log out first to log in with another account.',
  },
  failureAdvice: FAILURE_GUIDANCE,
  reasons: {
    invalidCredentials: 'The username or password is not right.',
    expectingCode: 'Enter the code we sent you by e-mail or text message.',
    corruptedTicket: 'This login was interrupted and has to start again.',
    invalidPin: 'That PIN is not right.',
    passwordExpired: 'Your password has expired and must be changed.',
    pinNotInitialized: 'No security PIN is set up for this account yet.',
  },
  steps: {
    credentials: 'Username and password',
    securityPin: 'Security PIN',
    verificationCode: 'Verification code',
  },
  prompts: {
    securityPin: 'Enter your security PIN.',
    verificationCode: 'Enter the code you received.',
  },
  waits: {
    retry: (seconds) => `You can try again in ${seconds} s.`,
    relogin: (seconds) => `You can log in again in ${seconds} s.`,
    resend: (seconds) => `You can ask for a new code in ${seconds} s.`,
    sessionEnd: (seconds) => `Your session ends in ${clock(seconds)}.`,
  },
  sessionEnds: {
    expired: 'Your session expired. Log in again to continue.',
    revoked: 'The server ended your session. Log in again to continue.',
    loggedOut: 'You have logged out.',
    endedElsewhere: 'Your session ended in another tab. Log in again to continue.',
  },
  busy: {
    authenticating: 'Logging in…',
    'expecting.resendingCode': 'Sending a new code…',
    'pinSetup.loadingImages': 'Loading the security pictures…',
    'pinSetup.saving': 'Saving your PIN…',
    'passwordChange.saving': 'Saving your new password…',
    'passwordReset.loadingQuestion': 'Looking up your account…',
    'passwordReset.requestingCode': 'Sending a reset code…',
    'passwordReset.verifyingCode': 'Checking the code…',
    'passwordReset.saving': 'Saving your new password…',
    'succeeded.endingSoon.authenticating': 'Logging in again…',
    loggingOut: 'Logging out…',
  },
  notices: {
    restoringSession: 'Restoring your session…',
    codeResent: 'A new code was sent. The previous code no longer works.',
    codeStillWorks: 'No new code was sent: the code you already have still works.',
    sessionStillWorks: 'Your current session still works until it ends.',
  },
};
