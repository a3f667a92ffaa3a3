// The calls beside `/token` that finish a login journey (PROTOCOL.md of the project's design, "The rest of the
// login journey"), declared once: what the machine hands each one, how it goes on the wire and what its answer's
// Model is read as. The machine's actors, the composition's services, the RETRY table, the fake server's routes
// and the model's busy endpoints are all derived from this list: a new call is one entry here, its state in its
// region, and its route in the fake server.

import { newPinProblem } from './input-rules.js';
import type { SecurityImage } from './journey.js';
import type { Secret } from './secret.js';

/** What a call's answer Model is read as, by the services: the machine sees the type on the right. */
export interface ModelKinds {
  /** Nothing to read (`null`). */
  readonly none: null;
  /** Text to show, `''` when there is none. */
  readonly text: string;
  /** A token for a later call, kept as a `Secret`. */
  readonly secretToken: Secret;
  /** The security images to pick from. */
  readonly images: readonly SecurityImage[];
}

/** One call beside `/token`, as data: the services send every call the same way from it. */
export interface CallDescription<TRequest, TModel extends keyof ModelKinds> {
  readonly method: 'get' | 'post' | 'put';
  /** Under the API root, without a query: the fake server routes on it. */
  readonly path: string;
  /** The request field sent as `Authorization: Bearer …`, when the call takes one. */
  readonly bearer?: (request: TRequest) => Secret;
  /** The query string's parameters. */
  readonly query?: (request: TRequest) => Readonly<Record<string, string>>;
  /** The JSON body; `Secret`s are revealed only here, as the request is sent. */
  readonly body?: (request: TRequest) => Readonly<Record<string, unknown>>;
  /** Why the request cannot be sent, checked before anything is (the machine checks its events the same way). */
  readonly check?: (request: TRequest) => string | undefined;
  readonly model: TModel;
  /** The answer's body cap, when larger than a `/token` answer's. */
  readonly maxBytes?: number;
  /**
   * ETNA's documented quirk for this call: `IsSucceed: false` with no `Errors` at all is a success (the reset
   * request's page shows it). Every other call needs `IsSucceed: true`.
   */
  readonly noErrorsIsSuccess?: boolean;
}

/** A call's description, its request type given; its Model kind, method and path inferred as written. */
const call =
  <TRequest>() =>
  <
    const TModel extends keyof ModelKinds,
    const TMethod extends CallDescription<TRequest, TModel>['method'],
    const TPath extends string,
  >(
    description: CallDescription<TRequest, TModel> & { readonly method: TMethod; readonly path: TPath },
  ) =>
    description;

/** `GET v1.0/assets/security-images` with `Authorization: Bearer <token>`. */
export interface SecurityImagesRequest {
  readonly token: Secret;
}

/** `POST v1.0/users/pincode/change` with `Authorization: Bearer <token>`; the body carries the confirmation token. */
export interface PinChangeRequest {
  readonly token: Secret;
  readonly confirmationToken: Secret;
  /** Digits, no leading zero (sent as a JSON number). */
  readonly pin: Secret;
  readonly imageName: string;
  readonly personalPhrase: string;
}

/** `PUT v1.0/users/passwords/reset/` with only `Et-App-Key`: an expired password's change, or a reset's end. */
export interface PasswordChangeRequest {
  /** The confirmation token of the expired-password answer, or the reset token of `password/reset/code`. */
  readonly token: Secret;
  readonly password: Secret;
  readonly confirmation: Secret;
}

/** `GET v1.0/users/password/secret-question?username=…`. */
export interface SecretQuestionRequest {
  readonly username: string;
}

/** `POST v1.0/users/password/reset` with `{ User, SecretQuestionAnswer }`: the server e-mails a code. */
export interface ResetCodeRequest {
  readonly username: string;
  /** Undefined when the account has no secret question. */
  readonly answer: Secret | undefined;
}

/** `POST v1.0/users/password/reset/code` with `{ Code }`: the reset token for the new password. */
export interface ResetCodeExchange {
  readonly code: Secret;
}

/** The security images are a few pictures of up to 512 KiB each, as base64: far more than a `/token` answer. */
export const MAX_IMAGES_BODY_BYTES = 8 * 1024 * 1024;

/** The calls beside `/token`, by the names of the machine's actors and the fake server's routes. */
export const JOURNEY_CALLS = {
  securityImages: call<SecurityImagesRequest>()({
    method: 'get',
    path: 'v1.0/assets/security-images',
    bearer: (request) => request.token,
    model: 'images',
    maxBytes: MAX_IMAGES_BODY_BYTES,
  }),
  pinChange: call<PinChangeRequest>()({
    method: 'post',
    path: 'v1.0/users/pincode/change',
    bearer: (request) => request.token,
    check: (request) => newPinProblem(request.pin.reveal())?.message,
    body: (request) => ({
      Token: request.confirmationToken.reveal(),
      Pin: Number(request.pin.reveal()),
      ImageName: request.imageName,
      PersonalPhrase: request.personalPhrase,
    }),
    model: 'none',
  }),
  passwordChange: call<PasswordChangeRequest>()({
    method: 'put',
    path: 'v1.0/users/passwords/reset/',
    body: (request) => ({
      Token: request.token.reveal(),
      Password: request.password.reveal(),
      PasswordConfirmation: request.confirmation.reveal(),
    }),
    model: 'none',
  }),
  secretQuestion: call<SecretQuestionRequest>()({
    method: 'get',
    path: 'v1.0/users/password/secret-question',
    query: (request) => ({ username: request.username }),
    model: 'text',
  }),
  resetRequest: call<ResetCodeRequest>()({
    method: 'post',
    path: 'v1.0/users/password/reset',
    body: (request) => ({
      User: request.username,
      ...(request.answer === undefined ? {} : { SecretQuestionAnswer: request.answer.reveal() }),
    }),
    model: 'none',
    noErrorsIsSuccess: true,
  }),
  resetCode: call<ResetCodeExchange>()({
    method: 'post',
    path: 'v1.0/users/password/reset/code',
    body: (request) => ({ Code: request.code.reveal() }),
    model: 'secretToken',
  }),
} as const;

/**
 * The calls beside `/token`, by the names of the machine's actors and the fake server's routes.
 * @example const call: JourneyCall = 'pinChange';
 */
export type JourneyCall = keyof typeof JOURNEY_CALLS;

/** Every call's name, in the list's order. */
export const JOURNEY_CALL_NAMES = Object.keys(JOURNEY_CALLS) as readonly JourneyCall[];

type RequestOf<TCall> = TCall extends CallDescription<infer TRequest, keyof ModelKinds> ? TRequest : never;

/**
 * The request each call takes.
 * @example const request: JourneyRequests['secretQuestion'] = { login: 'grace' };
 */
export type JourneyRequests = { readonly [K in JourneyCall]: RequestOf<(typeof JOURNEY_CALLS)[K]> };

/**
 * What each call resolves with: its Model, read as its kind says.
 * @example const images: JourneyModels['securityImages'] = snapshot.context.securityImages ?? [];
 */
export type JourneyModels = { readonly [K in JourneyCall]: ModelKinds[(typeof JOURNEY_CALLS)[K]['model']] };
