// The password-reset region on the fake server: the secret question, the e-mailed reset code, and the code's
// trade for a reset token (which the password-change region's route then takes), plus the re-branded
// `identifiers/reset/code`, a route only the fake adds.
import type { JourneyCall } from '../../contract/calls.js';
import { type Answer, envelope, ok, type Refusal, refuse, tooManyRequests } from './answers.js';
import {
  type JourneyHandler,
  type JourneyHandlers,
  type JourneyRequest,
  jsonObject,
  optionalStringField,
  rejectRequest,
  stringField,
} from './journey-request.js';
import { type Mailbox, newCode } from './mailbox.js';
import type { FakePasswordChange } from './password-change.js';
import type { UserRecord, UserTable } from './users.js';

/** Routes the fake answers beside `JOURNEY_CALLS`: another name for a call, whose faults it shares. */
export const PASSWORD_RESET_ALIASES = {
  /** The re-branded `resetCode`: `{ Code, Identifier: 'ResetPassword' }`. */
  identifierResetCode: { method: 'POST', path: 'v1.0/users/identifiers/reset/code', call: 'resetCode' },
} as const satisfies Record<string, { method: string; path: string; call: JourneyCall }>;

const REFUSALS = {
  answer: ['Answer is incorrect, try again.', 'ErrorIncorrectAnswer'],
  code: ['The code is incorrect or has expired.', 'ErrorIncorrectCode'],
  identifier: ['Unknown identifier.', 'ErrorUnknownIdentifier'],
} as const satisfies Record<string, Refusal>;

const normalizeAnswer = (answer: string) => answer.trim().toLowerCase();

export interface PasswordResetOptions {
  readonly users: UserTable;
  readonly mailbox: Mailbox;
  /** The rate limit of `resetRequest`, by key: seconds to wait, or undefined when allowed. */
  readonly limited: (key: string) => number | undefined;
  /** Issues the reset token, which changes the password by its route. */
  readonly passwordChange: FakePasswordChange;
}

/** The password resets of one server: the live reset codes. */
export class FakePasswordReset {
  readonly #options: PasswordResetOptions;
  /** Live password-reset codes → whose. */
  readonly #codes = new Map<string, UserRecord>();

  /** The calls of this region, by their names in `JOURNEY_CALLS`. */
  readonly routes: JourneyHandlers<'secretQuestion' | 'resetRequest' | 'resetCode'> = {
    /** `?username=` (a login or an e-mail address) → `Model`: the question, or `''`. */
    secretQuestion: (request) => this.#secretQuestion(request),
    /** `{ User, SecretQuestionAnswer }` → a code in the mailbox. */
    resetRequest: (request) => this.#resetRequest(request),
    /** `{ Code }` → `Model`: the reset token. */
    resetCode: (request) => this.#resetCode(request, false),
  };

  /** The handlers of `PASSWORD_RESET_ALIASES`. */
  readonly aliases: { readonly [K in keyof typeof PASSWORD_RESET_ALIASES]: JourneyHandler } = {
    identifierResetCode: (request) => this.#resetCode(request, true),
  };

  constructor(options: PasswordResetOptions) {
    this.#options = options;
  }

  #secretQuestion(request: JourneyRequest): Answer {
    const username = request.query.get('username') ?? '';
    if (username.trim() === '') rejectRequest('username is required.');
    // '' for an unknown user too: the answer does not tell who exists.
    return ok(this.#options.users.find(username)?.secretQuestion?.question ?? '');
  }

  #resetRequest(request: JourneyRequest): Answer {
    const body = jsonObject(request);
    const login = stringField(body, 'User');
    const answer = optionalStringField(body, 'SecretQuestionAnswer');
    if (login.trim() === '') rejectRequest('User is required.');
    const user = this.#options.users.find(login);
    const retryAfter = this.#options.limited(`resetRequest\n${user?.username ?? login.trim()}`);
    if (retryAfter !== undefined) return tooManyRequests(retryAfter);
    // A user without a question gets IsSucceed: false with no Errors, as ETNA's own page shows ("no errors" is
    // success to a client). An unknown user gets what a known one would for that body, and no mail.
    const noQuestionShape: Answer = [200, envelope(null, false)];
    if (user === undefined) return answer === undefined || answer === '' ? noQuestionShape : ok(null);
    if (user.secretQuestion !== undefined) {
      if (answer === undefined || normalizeAnswer(answer) !== normalizeAnswer(user.secretQuestion.answer)) {
        return refuse(REFUSALS.answer);
      }
      this.#issueCode(user);
      return ok(null);
    }
    this.#issueCode(user);
    return noQuestionShape;
  }

  /** A new reset code, "e-mailed"; the user's earlier codes stop working. */
  #issueCode(user: UserRecord): void {
    for (const [code, owner] of this.#codes) if (owner === user) this.#codes.delete(code);
    let code = newCode();
    while (this.#codes.has(code)) code = newCode();
    this.#codes.set(code, user);
    this.#options.mailbox.send(user.username, 'passwordReset', code);
  }

  #resetCode(request: JourneyRequest, alias: boolean): Answer {
    const body = jsonObject(request);
    const code = stringField(body, 'Code');
    if (alias && stringField(body, 'Identifier') !== 'ResetPassword') return refuse(REFUSALS.identifier);
    const user = this.#codes.get(code.trim());
    if (user === undefined) return refuse(REFUSALS.code);
    this.#codes.delete(code.trim());
    return ok(this.#options.passwordChange.issueToken(user));
  }
}
