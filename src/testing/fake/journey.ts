// The rest of the login journey on the fake ETNA server, beside `POST /token`: the expired password's change,
// the first PIN set-up (security images, `pincode/change`) and the forgotten password (secret question, e-mailed
// code, reset token). Every answer is ETNA's envelope `{ Model, Errors, ErrorsCode, IsSucceed }`.
import { randomBytes } from 'node:crypto';
import type { FakeEtnaUser } from '../demo-users.js';
import { type Mailbox, newCode } from './mailbox.js';
import { SECURITY_IMAGES } from './png.js';

/** The journey's routes, relative to the base path (the alias last). */
export const JOURNEY_ROUTES = {
  securityImages: { method: 'GET', path: 'v1.0/assets/security-images' },
  pinChange: { method: 'POST', path: 'v1.0/users/pincode/change' },
  passwordChange: { method: 'PUT', path: 'v1.0/users/passwords/reset/' },
  secretQuestion: { method: 'GET', path: 'v1.0/users/password/secret-question' },
  resetRequest: { method: 'POST', path: 'v1.0/users/password/reset' },
  resetCode: { method: 'POST', path: 'v1.0/users/password/reset/code' },
  /** The re-branded `resetCode`: `{ Code, Identifier: 'ResetPassword' }`. */
  identifierResetCode: { method: 'POST', path: 'v1.0/users/identifiers/reset/code' },
} as const;

/** A journey route, by the name `injectAt` queues faults for (the alias counts as `resetCode`). */
export type FakeJourneyRoute =
  | 'securityImages'
  | 'pinChange'
  | 'passwordChange'
  | 'secretQuestion'
  | 'resetRequest'
  | 'resetCode';

export type JourneyRouteName = keyof typeof JOURNEY_ROUTES;

/** The journey route a path (relative to the base path, without a query) names, whatever the method. */
export function journeyRouteOf(path: string): JourneyRouteName | undefined {
  return (Object.keys(JOURNEY_ROUTES) as JourneyRouteName[]).find(
    (name) => JOURNEY_ROUTES[name].path === path,
  );
}

/** The fault queue a journey route plays from. */
export const faultRouteOf = (name: JourneyRouteName): FakeJourneyRoute =>
  name === 'identifierResetCode' ? 'resetCode' : name;

/** A user row as one server instance holds it: its own copy, changed by password, PIN and phrase set-ups. */
export type UserRecord = { -readonly [K in keyof FakeEtnaUser]: FakeEtnaUser[K] };

/** Status, body (objects go as JSON, strings as text/plain) and extra headers. */
export type Answer = readonly [
  status: number,
  body: object | string,
  headers?: Readonly<Record<string, string>>,
];

/** What a journey route reads of a request. */
export interface JourneyRequest {
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly query: URLSearchParams;
  readonly body: { readonly text: string; readonly tooLarge: boolean };
}

// 25 bytes encode to 36 base64 characters ending in '=', like the platform's opaque tokens.
export const newToken = (): string => randomBytes(25).toString('base64');

export const PASSWORD_EXPIRED_REASON = 'Your Password has expired and must be changed';
export const PIN_NOT_INIT_REASON = 'PIN code is not init';
export const DENIED = { Message: 'Authorization has been denied for this request.' } as const;

const envelope = (model: unknown, succeeded: boolean, errors: string[] = [], codes: string[] = []) => ({
  Model: model,
  Errors: errors,
  ErrorsCode: codes,
  IsSucceed: succeeded,
});

/** `IsSucceed: true`. */
const ok = (model: unknown): Answer => [200, envelope(model, true)];
/** A refusal by the rules: HTTP 200, `IsSucceed: false`, the reason in `Errors` and `ErrorsCode`. */
const refuse = (error: string, code: string): Answer => [200, envelope(null, false, [error], [code])];

export const REFUSALS = {
  confirmationToken: ['The confirmation token is invalid or has expired.', 'ErrorInvalidToken'],
  pin: ['The PIN must be a positive whole number.', 'ErrorInvalidPin'],
  image: ['Unknown security image.', 'ErrorUnknownImage'],
  phrase: ['The personal phrase is required.', 'ErrorEmptyPersonalPhrase'],
  passwordToken: ['The token is invalid or has expired.', 'ErrorInvalidToken'],
  mismatch: ['The password and its confirmation do not match.', 'ErrorPasswordConfirmation'],
  samePassword: ['The new password must differ from the current one.', 'ErrorSamePassword'],
  policy: ['The password must be at least 8 characters long and contain a digit.', 'ErrorPasswordPolicy'],
  answer: ['Answer is incorrect, try again.', 'ErrorIncorrectAnswer'],
  code: ['The code is incorrect or has expired.', 'ErrorIncorrectCode'],
  identifier: ['Unknown identifier.', 'ErrorUnknownIdentifier'],
} as const satisfies Record<string, readonly [string, string]>;

const refusal = (name: keyof typeof REFUSALS): Answer => {
  const [error, code] = REFUSALS[name];
  return refuse(error, code);
};

/** A body the route cannot read: 400, `IsSucceed: false`. */
class BadRequest extends Error {}

export const badRequest = (message: string): Answer => [
  400,
  envelope(null, false, [message], ['ErrorBadRequest']),
];

function jsonObject(request: JourneyRequest): Record<string, unknown> {
  if (request.body.tooLarge) throw new BadRequest('The request body is too large.');
  if (request.body.text.trim() === '') throw new BadRequest('The request body is missing.');
  if (!/^application\/json\s*(;|$)/i.test(request.contentType ?? '')) {
    throw new BadRequest('The request body must be JSON (Content-Type: application/json).');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.text);
  } catch {
    throw new BadRequest('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequest('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw new BadRequest(`${name} must be a string.`);
  return value;
}

/** A string, or undefined for a field that is absent or null. */
function optionalStringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadRequest(`${name} must be a string.`);
  return value;
}

function numberField(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (typeof value !== 'number') throw new BadRequest(`${name} must be a number.`);
  return value;
}

const bearerOf = (authorization: string | undefined) => /^Bearer +(.+)$/i.exec(authorization ?? '')?.[1];

const normalizeAnswer = (answer: string) => answer.trim().toLowerCase();

/** A first PIN set-up in progress: the bearer token's user, and the confirmation token the body must carry. */
interface PinSetup {
  readonly user: UserRecord;
  readonly confirmationToken: string;
  used: boolean;
}

export interface JourneyOptions {
  readonly users: readonly UserRecord[];
  readonly mailbox: Mailbox;
  readonly pinStepName: string;
  /** The rate limit of `resetRequest`, by key: seconds to wait, or undefined when allowed. */
  readonly limited: (key: string) => number | undefined;
}

export const tooManyRequests = (retryAfter: number | string): Answer => [
  429,
  'Too Many Requests',
  { 'retry-after': String(retryAfter) },
];

/** The journey's state on one server: tokens and codes issued, and the answers of its routes. */
export class FakeJourney {
  readonly #options: JourneyOptions;
  /** Bearer token (the `Token`, or the confirmation token with 'confirmationOnly') → PIN set-up. */
  readonly #pinSetups = new Map<string, PinSetup>();
  /** Confirmation token of an expired password, or reset token → whose password it changes. */
  readonly #passwordTokens = new Map<string, UserRecord>();
  /** Live password-reset codes → whose. */
  readonly #resetCodes = new Map<string, UserRecord>();

  constructor(options: JourneyOptions) {
    this.#options = options;
  }

  /** A login or an e-mail address (any case) → the user, or undefined. */
  findUser(loginOrEmail: string): UserRecord | undefined {
    const wanted = loginOrEmail.trim();
    return (
      this.#options.users.find((user) => user.username === wanted) ??
      this.#options.users.find(
        (user) => user.email !== undefined && user.email.toLowerCase() === wanted.toLowerCase(),
      )
    );
  }

  /** `/token`'s answer for a user whose password has expired (after the right password). */
  passwordExpired(user: UserRecord): Answer {
    const { status = 202, tokenField = 'ConfirmationToken' } = user.passwordExpiredAnswer ?? {};
    const body: Record<string, string> = {
      State: status === 202 ? 'Expecting' : 'Failed',
      Step: 'BaseAuthentication',
      Reason: PASSWORD_EXPIRED_REASON,
    };
    if (tokenField !== 'none') {
      const token = newToken();
      this.#passwordTokens.set(token, user);
      body[tokenField] = token;
    }
    return [status, body];
  }

  /** `/token`'s answer for a user who has no PIN yet (after the right password). */
  pinNotInitialized(user: UserRecord): Answer {
    const { status = 202, tokens = 'both' } = user.pinNotInitializedAnswer ?? {};
    const body: Record<string, string> = {
      State: status === 202 ? 'Expecting' : 'Failed',
      Step: this.#options.pinStepName,
      Reason: PIN_NOT_INIT_REASON,
    };
    if (tokens !== 'none') {
      const confirmationToken = newToken();
      const bearer = tokens === 'both' ? newToken() : confirmationToken;
      this.#pinSetups.set(bearer, { user, confirmationToken, used: false });
      if (tokens === 'both') body.Token = bearer;
      body.ConfirmationToken = confirmationToken;
    }
    return [status, body];
  }

  /** The answer of a journey route, once its method, faults and app key are dealt with. */
  answer(name: JourneyRouteName, request: JourneyRequest): Answer {
    try {
      switch (name) {
        case 'securityImages':
          return this.#pinSetupOf(request) ? ok(SECURITY_IMAGES) : [401, DENIED];
        case 'pinChange':
          return this.#pinChange(request);
        case 'passwordChange':
          return this.#passwordChange(request);
        case 'secretQuestion':
          return this.#secretQuestion(request);
        case 'resetRequest':
          return this.#resetRequest(request);
        case 'resetCode':
        case 'identifierResetCode':
          return this.#resetCode(request, name === 'identifierResetCode');
      }
    } catch (error) {
      if (error instanceof BadRequest) return badRequest(error.message);
      throw error;
    }
  }

  #pinSetupOf(request: JourneyRequest): PinSetup | undefined {
    const bearer = bearerOf(request.authorization);
    return bearer === undefined ? undefined : this.#pinSetups.get(bearer);
  }

  #pinChange(request: JourneyRequest): Answer {
    const setup = this.#pinSetupOf(request);
    if (setup === undefined) return [401, DENIED];
    const body = jsonObject(request);
    const token = stringField(body, 'Token');
    const pin = numberField(body, 'Pin');
    const imageName = stringField(body, 'ImageName');
    const phrase = stringField(body, 'PersonalPhrase');
    if (setup.used || token !== setup.confirmationToken) return refusal('confirmationToken');
    if (!Number.isSafeInteger(pin) || pin <= 0) return refusal('pin');
    if (!SECURITY_IMAGES.some((image) => image.FileName === imageName)) return refusal('image');
    if (phrase.trim() === '') return refusal('phrase');
    setup.used = true;
    const { user } = setup;
    user.pin = String(pin);
    user.pinNotInitialized = false;
    user.personalPhrase = phrase;
    user.securityImage = imageName;
    return ok(null);
  }

  #passwordChange(request: JourneyRequest): Answer {
    const body = jsonObject(request);
    const token = stringField(body, 'Token');
    const password = stringField(body, 'Password');
    const confirmation = stringField(body, 'PasswordConfirmation');
    const user = this.#passwordTokens.get(token);
    if (user === undefined) return refusal('passwordToken');
    if (password !== confirmation) return refusal('mismatch');
    if (password === user.password) return refusal('samePassword');
    if (password.length < 8 || !/\d/.test(password)) return refusal('policy');
    user.password = password;
    user.passwordExpired = false;
    // Used up, and so is any other change or reset token of that user.
    for (const [other, owner] of this.#passwordTokens) if (owner === user) this.#passwordTokens.delete(other);
    return ok(null);
  }

  #secretQuestion(request: JourneyRequest): Answer {
    const username = request.query.get('username') ?? '';
    if (username.trim() === '') throw new BadRequest('username is required.');
    // '' for an unknown user too: the answer does not tell who exists.
    return ok(this.findUser(username)?.secretQuestion?.question ?? '');
  }

  #resetRequest(request: JourneyRequest): Answer {
    const body = jsonObject(request);
    const login = stringField(body, 'User');
    const answer = optionalStringField(body, 'SecretQuestionAnswer');
    if (login.trim() === '') throw new BadRequest('User is required.');
    const user = this.findUser(login);
    const retryAfter = this.#options.limited(`resetRequest\n${user?.username ?? login.trim()}`);
    if (retryAfter !== undefined) return tooManyRequests(retryAfter);
    // A user without a question gets IsSucceed: false with no Errors, as ETNA's own page shows ("no errors" is
    // success to a client). An unknown user gets what a known one would for that body, and no mail.
    const noQuestionShape: Answer = [200, envelope(null, false)];
    if (user === undefined) return answer === undefined || answer === '' ? noQuestionShape : ok(null);
    if (user.secretQuestion !== undefined) {
      if (answer === undefined || normalizeAnswer(answer) !== normalizeAnswer(user.secretQuestion.answer)) {
        return refusal('answer');
      }
      this.#issueResetCode(user);
      return ok(null);
    }
    this.#issueResetCode(user);
    return noQuestionShape;
  }

  /** A new reset code, "e-mailed"; the user's earlier codes stop working. */
  #issueResetCode(user: UserRecord): void {
    for (const [code, owner] of this.#resetCodes) if (owner === user) this.#resetCodes.delete(code);
    let code = newCode();
    while (this.#resetCodes.has(code)) code = newCode();
    this.#resetCodes.set(code, user);
    this.#options.mailbox.send(user.username, 'passwordReset', code);
  }

  #resetCode(request: JourneyRequest, alias: boolean): Answer {
    const body = jsonObject(request);
    const code = stringField(body, 'Code');
    if (alias && stringField(body, 'Identifier') !== 'ResetPassword') return refusal('identifier');
    const user = this.#resetCodes.get(code.trim());
    if (user === undefined) return refusal('code');
    this.#resetCodes.delete(code.trim());
    const token = newToken();
    this.#passwordTokens.set(token, user);
    return ok(token);
  }
}
