// The password-change region on the fake server: the `/token` answer of an expired password, the tokens that may
// change a password (that answer's confirmation token, or a reset's token), and `PUT v1.0/users/passwords/reset/`.
import { type Answer, newToken, ok, type Refusal, refuse } from './answers.js';
import { type JourneyHandlers, type JourneyRequest, jsonObject, stringField } from './journey-request.js';
import type { UserRecord } from './users.js';

export const PASSWORD_EXPIRED_REASON = 'Your Password has expired and must be changed';

const REFUSALS = {
  token: ['The token is invalid or has expired.', 'ErrorInvalidToken'],
  mismatch: ['The password and its confirmation do not match.', 'ErrorPasswordConfirmation'],
  samePassword: ['The new password must differ from the current one.', 'ErrorSamePassword'],
  policy: ['The password must be at least 8 characters long and contain a digit.', 'ErrorPasswordPolicy'],
} as const satisfies Record<string, Refusal>;

/** The password changes of one server. */
export class FakePasswordChange {
  /** Confirmation token of an expired password, or reset token → whose password it changes. */
  readonly #tokens = new Map<string, UserRecord>();

  /** The calls of this region, by their names in `JOURNEY_CALLS`. */
  readonly routes: JourneyHandlers<'passwordChange'> = {
    /** `{ Token, Password, PasswordConfirmation }`; the new password needs 8 characters and a digit. */
    passwordChange: (request) => this.#change(request),
  };

  /** A token that changes `user`'s password once. */
  issueToken(user: UserRecord): string {
    const token = newToken();
    this.#tokens.set(token, user);
    return token;
  }

  /** `/token`'s answer for a user whose password has expired (after the right password), by the user's row. */
  expiredAnswer(user: UserRecord): Answer {
    const { status = 202, tokenField = 'ConfirmationToken' } = user.passwordExpiredAnswer ?? {};
    const body: Record<string, string> = {
      State: status === 202 ? 'Expecting' : 'Failed',
      Step: 'BaseAuthentication',
      Reason: PASSWORD_EXPIRED_REASON,
    };
    if (tokenField !== 'none') body[tokenField] = this.issueToken(user);
    return [status, body];
  }

  #change(request: JourneyRequest): Answer {
    const body = jsonObject(request);
    const token = stringField(body, 'Token');
    const password = stringField(body, 'Password');
    const confirmation = stringField(body, 'PasswordConfirmation');
    const user = this.#tokens.get(token);
    if (user === undefined) return refuse(REFUSALS.token);
    if (password !== confirmation) return refuse(REFUSALS.mismatch);
    if (password === user.password) return refuse(REFUSALS.samePassword);
    if (password.length < 8 || !/\d/.test(password)) return refuse(REFUSALS.policy);
    user.password = password;
    user.passwordExpired = false;
    // Used up, and so is any other change or reset token of that user.
    for (const [other, owner] of this.#tokens) if (owner === user) this.#tokens.delete(other);
    return ok(null);
  }
}
