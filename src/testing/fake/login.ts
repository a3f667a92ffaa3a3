// The login region on the fake server: ETNA Trader's `POST /token`, its credentials, verification-code and PIN
// steps in each user's order, single-use interim tickets, the PIN's attempts, and a resend by a new first step.
// An expired password or a missing PIN opens the password-change or PIN set-up region instead.
import type { IncomingMessage } from 'node:http';
import { type Answer, bearerOf, newToken, tooManyRequests } from './answers.js';
import { type Mailbox, newCode } from './mailbox.js';
import type { FakePasswordChange } from './password-change.js';
import type { FakePinSetup } from './pin-setup.js';
import { SECURITY_IMAGES } from './png.js';
import { headerValue } from './recorded-request.js';
import type { FakeSessions } from './session.js';
import type { UserRecord, UserTable } from './users.js';

/** The login's route, relative to the base path. */
export const TOKEN_ROUTE = { method: 'POST', path: 'token' } as const;

type StepKind = 'verificationCode' | 'securityPin';

/** What an interim token stands for: whose login, which step is pending, wrong PINs so far, the code sent. */
interface InterimTicket {
  readonly user: UserRecord;
  readonly step: StepKind;
  readonly laterSteps: readonly StepKind[];
  readonly wrongPins: number;
  /** The verification code the step expects (its step being 'verificationCode'). */
  readonly code?: string;
}

const DEFAULT_STEP_ORDER: readonly StepKind[] = ['verificationCode', 'securityPin'];

const stepsOf = (user: UserRecord): StepKind[] =>
  (user.stepOrder ?? DEFAULT_STEP_ORDER).filter((step) =>
    step === 'verificationCode'
      ? user.verificationCode !== undefined || user.rotatingCodes === true
      : user.pin !== undefined,
  );

const failed = (step: string, reason: string) => ({ State: 'Failed', Step: step, Reason: reason });

export interface LoginOptions {
  readonly users: UserTable;
  readonly mailbox: Mailbox;
  /** The rate limit of first-step posts, by key: seconds to wait, or undefined when allowed. */
  readonly limited: (key: string) => number | undefined;
  readonly pinStepName: string;
  readonly maxPinAttempts: number;
  readonly sessions: FakeSessions;
  readonly pinSetup: FakePinSetup;
  readonly passwordChange: FakePasswordChange;
}

/** The logins of one server: the interim tickets issued and not yet used. */
export class FakeLogin {
  readonly #options: LoginOptions;
  readonly #tickets = new Map<string, InterimTicket>();

  constructor(options: LoginOptions) {
    this.#options = options;
  }

  /** `POST /token` (its app key checked): the status and body to send. */
  answerToken(req: IncomingMessage): Answer {
    const { users, pinStepName, maxPinAttempts } = this.#options;
    const contentLength = req.headers['content-length'];
    if (req.headers['transfer-encoding'] !== undefined || Number(contentLength ?? '0') !== 0) {
      return [400, { error: 'Body not allowed' }];
    }
    const username = headerValue(req, 'username');
    const password = headerValue(req, 'password');
    const authorization = headerValue(req, 'authorization');
    if (authorization === undefined) return this.#firstStep(username, password);

    const interimToken = bearerOf(authorization);
    const ticket = interimToken === undefined ? undefined : this.#tickets.get(interimToken);
    // Interim tokens are single-use, whatever the answer.
    if (interimToken !== undefined) this.#tickets.delete(interimToken);
    if (ticket === undefined || (username !== undefined && users.find(username) !== ticket.user)) {
      return [401, failed('BaseAuthentication', 'Corrupted ticket')];
    }
    const { user } = ticket;
    if (password !== undefined && password !== user.password) {
      return [401, failed('BaseAuthentication', 'Invalid credentials')];
    }
    const answer = headerValue(req, ticket.step === 'verificationCode' ? 'verificationcode' : 'pincode');
    if (answer === undefined) return [202, this.#expecting(ticket)];
    if (ticket.step === 'verificationCode' && answer !== ticket.code) {
      return [401, failed('VerificationCode', 'Invalid verification code')];
    }
    if (ticket.step === 'securityPin' && answer !== user.pin) {
      const wrongPins = ticket.wrongPins + 1;
      if (wrongPins >= maxPinAttempts) return [401, failed(pinStepName, 'Invalid pin')];
      return [202, this.#expecting({ ...ticket, wrongPins }, 'Invalid pin')];
    }
    const [next, ...laterSteps] = ticket.laterSteps;
    if (next === undefined) return [200, this.#succeeded(user)];
    return [202, this.#entering(user, next, laterSteps, ticket.wrongPins)];
  }

  /** Credentials only: the first step of a login, or of a resend. */
  #firstStep(username: string | undefined, password: string | undefined): Answer {
    const { users, limited, pinSetup, passwordChange } = this.#options;
    const retryAfter = limited(`token\n${username ?? ''}`);
    if (retryAfter !== undefined) return tooManyRequests(retryAfter);
    // A login or the account's e-mail address, as the reset's secret-question lookup takes either.
    const user = username === undefined ? undefined : users.find(username);
    if (user === undefined || password !== user.password) {
      return [401, failed('BaseAuthentication', 'Invalid credentials')];
    }
    if (user.passwordExpired) return passwordChange.expiredAnswer(user);
    if (user.pinNotInitialized) return pinSetup.openingAnswer(user);
    // A new first step is how a client resends the code: the tokens of the user's pending code step stop
    // working (and, with rotating codes, the code they expected, since a fresh one is sent).
    for (const [token, ticket] of this.#tickets) {
      if (ticket.user === user && ticket.step === 'verificationCode') this.#tickets.delete(token);
    }
    const [step, ...laterSteps] = stepsOf(user);
    if (step === undefined) return [200, this.#succeeded(user)];
    return [202, this.#entering(user, step, laterSteps, 0)];
  }

  #expecting(ticket: InterimTicket, reason?: string) {
    const token = newToken();
    this.#tickets.set(token, ticket);
    const defaultReason =
      ticket.step === 'verificationCode' ? 'Expecting confirmation code' : 'Expecting pin code';
    const answer = {
      State: 'Expecting',
      Step: ticket.step === 'verificationCode' ? 'VerificationCode' : this.#options.pinStepName,
      Reason: reason ?? defaultReason,
      Token: token,
    };
    if (ticket.step !== 'securityPin') return answer;
    // Anti-phishing: what the user chose, shown with every PIN prompt.
    const { personalPhrase, securityImage } = ticket.user;
    const image = SECURITY_IMAGES.find((candidate) => candidate.FileName === securityImage)?.Content;
    return {
      ...answer,
      ...(personalPhrase === undefined ? {} : { PersonalPhrase: personalPhrase }),
      ...(image === undefined ? {} : { Image: image }),
    };
  }

  /** A ticket for a step being entered: a verification-code step sends its code (to the mailbox). */
  #entering(user: UserRecord, step: StepKind, laterSteps: readonly StepKind[], wrongPins: number) {
    if (step !== 'verificationCode') return this.#expecting({ user, step, laterSteps, wrongPins });
    const code = user.rotatingCodes ? newCode() : (user.verificationCode ?? newCode());
    this.#options.mailbox.send(user.username, 'verificationCode', code);
    return this.#expecting({ user, step, laterSteps, wrongPins, code });
  }

  #succeeded(user: UserRecord) {
    return { State: 'Succeeded', Token: this.#options.sessions.open(user.username), PersonalPhrase: null };
  }
}
