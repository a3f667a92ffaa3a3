import { headerValueProblem } from '../../contract/header-value.js';
import type { JourneyCall, JourneyService, SecurityImage } from '../../contract/journey.js';
import { Secret } from '../../contract/secret.js';
import { EtnaAuthError } from '../errors/etna-auth-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { usableToken } from '../json-fields.js';
import type { ServiceConfig } from '../service-config.js';
import { shownPrintable } from '../shown-text.js';
import { securityImagesOf } from './security-image.js';
import { createSend, type ModelReader } from './send.js';

/** The security images are a few pictures of up to 512 KiB each, as base64: far more than a `/token` answer. */
export const MAX_IMAGES_BODY_BYTES = 8 * 1024 * 1024;
/** Digits without a leading zero that survive as a JSON number (no more than `Number.MAX_SAFE_INTEGER`). */
const PIN = /^[1-9]\d{0,14}$/;

/** The calls beside `/token`, one function each, by the names of the machine's actors. */
export type JourneyServices = { readonly [K in JourneyCall]: JourneyService<K> };

/** A token to send as a bearer, refused before sending when no HTTP header can carry it. */
function bearerOf(token: Secret): string {
  const value = token.reveal();
  const problem = headerValueProblem('token', value);
  if (problem) throw new EtnaAuthError('input', problem);
  return value;
}

/** Every revealed secret of a request, for scrubbing the server's `Errors`. */
const valuesOf = (...secrets: readonly (Secret | undefined)[]): string[] =>
  secrets.flatMap((secret) => (secret ? [secret.reveal()] : []));

const ignored: ModelReader<null> = () => null;

const readQuestion: ModelReader<string> = (model, status) => {
  if (model === null || model === undefined) return '';
  if (typeof model !== 'string') throw new ProtocolError('the secret question is not text', status);
  return shownPrintable(model);
};

const readResetToken: ModelReader<Secret> = (model, status) => {
  const token = usableToken(model);
  if (token === undefined) throw new ProtocolError('the reset code answer has no usable token', status);
  return new Secret(token);
};

const readImages: ModelReader<readonly SecurityImage[]> = (model, status) => {
  const images = securityImagesOf(model);
  if (!images) throw new ProtocolError('the security images answer has no list', status);
  if (images.length === 0) throw new ProtocolError('the security images answer has no usable image', status);
  return images;
};

/**
 * The HTTP services of the calls beside `/token` (securityImages, pinChange, passwordChange, secretQuestion,
 * resetRequest, resetCode), all under `config.apiRoot` with `Et-App-Key`. Each resolves with the server's
 * refusal or the call's validated Model, and rejects with an `EtnaAuthError` for a transport problem, a Model
 * that is not usable (`protocol`), or a value that cannot be sent (`input`, before anything is sent). No error
 * and no shown text holds a secret of the request.
 */
export function createJourneyServices(config: ServiceConfig): JourneyServices {
  const send = createSend(config);
  return {
    securityImages: async (request, signal) =>
      send(
        {
          method: 'get',
          path: 'v1.0/assets/security-images',
          bearer: bearerOf(request.token),
          secrets: valuesOf(request.token),
          maxBytes: MAX_IMAGES_BODY_BYTES,
        },
        readImages,
        signal,
      ),

    pinChange: async (request, signal) => {
      const pin = request.pin.reveal();
      if (!PIN.test(pin)) throw new EtnaAuthError('input', 'the PIN must be digits without a leading zero');
      return send(
        {
          method: 'post',
          path: 'v1.0/users/pincode/change',
          bearer: bearerOf(request.token),
          json: {
            Token: request.confirmationToken.reveal(),
            Pin: Number(pin),
            ImageName: request.imageName,
            PersonalPhrase: request.personalPhrase,
          },
          secrets: valuesOf(request.token, request.confirmationToken, request.pin),
        },
        ignored,
        signal,
      );
    },

    passwordChange: async (request, signal) =>
      send(
        {
          method: 'put',
          path: 'v1.0/users/passwords/reset/',
          json: {
            Token: request.token.reveal(),
            Password: request.password.reveal(),
            PasswordConfirmation: request.confirmation.reveal(),
          },
          secrets: valuesOf(request.token, request.password, request.confirmation),
        },
        ignored,
        signal,
      ),

    secretQuestion: async (request, signal) => {
      let username: string;
      try {
        username = encodeURIComponent(request.username);
      } catch {
        throw new EtnaAuthError('input', 'the username is not valid text');
      }
      return send(
        { method: 'get', path: `v1.0/users/password/secret-question?username=${username}`, secrets: [] },
        readQuestion,
        signal,
      );
    },

    resetRequest: async (request, signal) =>
      send(
        {
          method: 'post',
          path: 'v1.0/users/password/reset',
          json: {
            User: request.username,
            ...(request.answer === undefined ? {} : { SecretQuestionAnswer: request.answer.reveal() }),
          },
          secrets: valuesOf(request.answer),
          noErrorsIsSuccess: true,
        },
        ignored,
        signal,
      ),

    resetCode: async (request, signal) =>
      send(
        {
          method: 'post',
          path: 'v1.0/users/password/reset/code',
          json: { Code: request.code.reveal() },
          secrets: valuesOf(request.code),
          modelIsSecret: true,
        },
        readResetToken,
        signal,
      ),
  };
}

export { parseEnvelope } from './envelope.js';
export { antiPhishingOf, securityImageOf, securityImagesOf } from './security-image.js';
