import type { CallDescription, JourneyCall, ModelKinds } from '../../contract/calls.js';
import { JOURNEY_CALL_NAMES, JOURNEY_CALLS } from '../../contract/calls.js';
import { headerValueProblem } from '../../contract/header-value.js';
import type { JourneyService, SecurityImage } from '../../contract/journey.js';
import { Secret } from '../../contract/secret.js';
import { EtnaAuthError } from '../errors/etna-auth-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { usableToken } from '../json-fields.js';
import type { ServiceConfig } from '../service-config.js';
import { shownPrintable } from '../shown-text.js';
import { securityImagesOf } from './security-image.js';
import { createSend, type ModelReader } from './send.js';

export { MAX_IMAGES_BODY_BYTES } from '../../contract/calls.js';

/** The calls beside `/token`, one function each, by the names of the machine's actors. */
export type JourneyServices = { readonly [K in JourneyCall]: JourneyService<K> };

/** How each kind of Model is read once the envelope said the call succeeded. */
const READERS: { readonly [K in keyof ModelKinds]: ModelReader<ModelKinds[K]> } = {
  none: () => null,
  text: (model, status) => {
    if (model === null || model === undefined) return '';
    if (typeof model !== 'string') throw new ProtocolError('the secret question is not text', status);
    return shownPrintable(model);
  },
  secretToken: (model, status) => {
    const token = usableToken(model);
    if (token === undefined) throw new ProtocolError('the reset code answer has no usable token', status);
    return new Secret(token);
  },
  images: (model, status): readonly SecurityImage[] => {
    const images = securityImagesOf(model);
    if (!images) throw new ProtocolError('the security images answer has no list', status);
    if (images.length === 0)
      throw new ProtocolError('the security images answer has no usable image', status);
    return images;
  },
};

/** A token to send as a bearer, refused before sending when no HTTP header can carry it. */
function bearerOf(token: Secret): string {
  const value = token.reveal();
  const problem = headerValueProblem('token', value);
  if (problem) throw new EtnaAuthError('input', problem);
  return value;
}

/** The query string of a call, refused before sending when a value is not text that a URL can carry. */
function queryOf(parameters: Readonly<Record<string, string>>): string {
  try {
    return `?${Object.entries(parameters)
      .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
      .join('&')}`;
  } catch {
    throw new EtnaAuthError('input', 'the username is not valid text');
  }
}

/** Every secret value of a request, for scrubbing the server's `Errors`. */
const secretsOf = (request: object): string[] =>
  Object.values(request).flatMap((value) => (Secret.is(value) ? [value.reveal()] : []));

/**
 * The HTTP services of the calls beside `/token` (one per entry of `JOURNEY_CALLS`), all under `config.apiRoot`
 * with `Et-App-Key`. Each resolves with the server's refusal or the call's validated Model, and rejects with an
 * `EtnaAuthError` for a transport problem, a Model that is not usable (`protocol`), or a value that cannot be
 * sent (`input`, before anything is sent). No error and no shown text holds a secret of the request.
 */
export function createJourneyServices(config: ServiceConfig): JourneyServices {
  const send = createSend(config);
  const service = <K extends JourneyCall>(name: K): JourneyService<K> => {
    // One description per call: the correlation between a name and its request type is the list's own.
    const call = JOURNEY_CALLS[name] as unknown as CallDescription<object, keyof ModelKinds>;
    return async (request, signal) => {
      const problem = call.check?.(request);
      if (problem !== undefined) throw new EtnaAuthError('input', problem);
      const bearer = call.bearer && bearerOf(call.bearer(request));
      const json = call.body?.(request);
      return send(
        {
          method: call.method,
          path: call.query ? `${call.path}${queryOf(call.query(request))}` : call.path,
          ...(bearer === undefined ? {} : { bearer }),
          ...(json === undefined ? {} : { json }),
          secrets: secretsOf(request),
          modelIsSecret: call.model === 'secretToken',
          ...(call.maxBytes === undefined ? {} : { maxBytes: call.maxBytes }),
          ...(call.noErrorsIsSuccess ? { noErrorsIsSuccess: true } : {}),
        },
        READERS[call.model] as ModelReader<unknown>,
        signal,
      ) as ReturnType<JourneyService<K>>;
    };
  };
  return Object.fromEntries(JOURNEY_CALL_NAMES.map((name) => [name, service(name)])) as JourneyServices;
}

export { parseEnvelope } from './envelope.js';
export { antiPhishingOf, securityImageOf, securityImagesOf } from './security-image.js';
