// The shape of a catalog of the sentences people read: one entry for everything the machine can tell a person,
// so a catalog that misses one does not compile. `englishMessages` and `frenchMessages` are two; an app writes
// its own (or spreads one and replaces a few entries) and passes it to the `describe…` functions.
import type { EtnaAuthErrorKind, InputProblemCode } from '../contract/auth-error.js';
import type { EtnaFailureCode, EtnaSessionEndReason } from '../contract/session.js';

/**
 * The fields a refused value names in `context.error.field`.
 * @example const field: EtnaInputField = 'pin'; englishMessages.fields[field];
 */
export type EtnaInputField =
  | 'username'
  | 'password'
  | 'pin'
  | 'code'
  | 'confirmation'
  | 'imageName'
  | 'personalPhrase'
  | 'answer';

/**
 * The server's Reasons this package knows (PROTOCOL.md): `Invalid credentials`, `Expecting confirmation code`,
 * `Corrupted ticket`, `Invalid pin`, `Your Password has expired and must be changed`, `PIN code is not init`.
 * @example const reason: EtnaKnownReason = 'invalidPin'; englishMessages.reasons[reason];
 */
export type EtnaKnownReason =
  | 'invalidCredentials'
  | 'expectingCode'
  | 'corruptedTicket'
  | 'invalidPin'
  | 'passwordExpired'
  | 'pinNotInitialized';

/**
 * The server's Steps this package knows: `BaseAuthentication`, `SecutityPin` (or `SecurityPin`), `VerificationCode`.
 * @example const step: EtnaKnownStep = 'securityPin'; englishMessages.steps[step];
 */
export type EtnaKnownStep = 'credentials' | 'securityPin' | 'verificationCode';

/**
 * A wait the machine holds, counted down on screen: `retry` (a 429's Retry-After in `error`), `relogin` (the same
 * during a login again while the session ends soon), `resend` (before a new code may be asked for), `sessionEnd`
 * (the session's last minutes, with `sessionWarning`).
 * @example const wait: EtnaWait = 'resend'; describeWait(wait, 30);
 */
export type EtnaWait = 'retry' | 'relogin' | 'resend' | 'sessionEnd';

/**
 * The states tagged `busy`, by dotted name: a request is in flight.
 * @example const state: EtnaBusyState = 'authenticating'; englishMessages.busy[state];
 */
export type EtnaBusyState =
  | 'authenticating'
  | 'expecting.resendingCode'
  | 'pinSetup.loadingImages'
  | 'pinSetup.saving'
  | 'passwordChange.saving'
  | 'passwordReset.loadingQuestion'
  | 'passwordReset.requestingCode'
  | 'passwordReset.verifyingCode'
  | 'passwordReset.saving'
  | 'succeeded.endingSoon.authenticating'
  | 'loggingOut';

/**
 * What the sentence of a refused value is told.
 * @example englishMessages.inputProblems.required({ field: 'pin', name: 'your PIN', limit: undefined } satisfies EtnaInputProblemWords);
 */
export interface EtnaInputProblemWords {
  /** The refused field, when it is one this package knows. */
  readonly field: EtnaInputField | undefined;
  /** The field as the catalog names it in running text (`your password`), from `fields`. */
  readonly name: string;
  /** For `tooLong` and `tooShort`: the longest or shortest length allowed. */
  readonly limit: number | undefined;
}

/**
 * Every sentence a login screen shows about what the machine says, in one language. Plain sentences (sentence
 * case, ending with a stop) or functions of the numbers they need; no internal names.
 *
 * @example
 * ```ts
 * const mine: EtnaMessages = { ...englishMessages, sessionEnds: { ...englishMessages.sessionEnds, loggedOut: 'Bye!' } };
 * describeSessionEnd('loggedOut', mine); // 'Bye!'
 * ```
 */
export interface EtnaMessages {
  /** The catalog's language, as a BCP 47 tag (`en`, `fr`). */
  readonly language: string;
  /** A short title for each kind of error, for a heading or a bold start. */
  readonly errorTitles: Readonly<Record<EtnaAuthErrorKind, string>>;
  /** What each kind of error means for the person; `input` is the fallback for a refusal without a known problem. */
  readonly errors: {
    readonly input: string;
    readonly network: string;
    readonly timeout: string;
    /** Told the HTTP status, when the answer had one. */
    readonly http: (status: number | undefined) => string;
    readonly protocol: string;
    readonly appKey: string;
    /** The seconds left are said by the countdown (`waits`), not here: this stays true while it runs. */
    readonly rateLimited: string;
  };
  /** Each field in running text, as the input sentences use it (`your password`). */
  readonly fields: Readonly<Record<EtnaInputField, string>>;
  /** A field this catalog does not know, in running text (`this value`). */
  readonly someField: string;
  /** Why a typed value was refused, by `context.error.problem`. */
  readonly inputProblems: Readonly<Record<InputProblemCode, (words: EtnaInputProblemWords) => string>>;
  /** What a person can do about a refused login, by `context.failure.code`. */
  readonly failureAdvice: Readonly<Record<EtnaFailureCode, string>>;
  /** The server's known Reasons, said for people; an unknown Reason is shown as the server sent it. */
  readonly reasons: Readonly<Record<EtnaKnownReason, string>>;
  /** The server's known Steps, as a name for people; an unknown Step is not shown. */
  readonly steps: Readonly<Record<EtnaKnownStep, string>>;
  /** What the PIN and code prompts ask when the server gave no Reason worth showing. */
  readonly prompts: { readonly securityPin: string; readonly verificationCode: string };
  /** Each wait, with the seconds left. */
  readonly waits: Readonly<Record<EtnaWait, (seconds: number) => string>>;
  /** Why the last session ended, by `context.reason` in `idle`. */
  readonly sessionEnds: Readonly<Record<EtnaSessionEndReason, string>>;
  /** What is happening in each busy state. */
  readonly busy: Readonly<Record<EtnaBusyState, string>>;
  /** What a state adds beside its form, or says without one. */
  readonly notices: {
    /**
     * In `restoring` (tag `restoring`, not `busy`): a storage that answers later is read for a stored session, and
     * nothing is offered until it answers.
     */
    readonly restoringSession: string;
    /** On the code prompt after a resend (`context.codeResent`). */
    readonly codeResent: string;
    /** On the code prompt after a resend that failed: no new code, the old one works. */
    readonly codeStillWorks: string;
    /** After a login again that failed while the session ends soon. */
    readonly sessionStillWorks: string;
  };
}
