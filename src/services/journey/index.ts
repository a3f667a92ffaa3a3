import type { CallDescription, JourneyCall, ModelKinds } from '../../contract/calls.js';
import { JOURNEY_CALL_NAMES, JOURNEY_CALLS } from '../../contract/calls.js';
import { headerValueProblem } from '../../contract/header-value.js';
import type { JourneyAnswer, JourneyService } from '../../contract/journey.js';
import { Secret } from '../../contract/secret.js';
import { EtnaAuthError } from '../errors/etna-auth-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { usableToken } from '../json-fields.js';
import type { ServiceConfig } from '../service-config.js';
import { shownPrintable } from '../shown-text.js';
import { createTransport } from '../transport.js';
import { parseEnvelope } from './envelope.js';
import { securityImagesOf } from './security-image.js';

export { MAX_IMAGES_BODY_BYTES } from '../../contract/calls.js';

/** The calls beside `/token`, one function each, by the names of the machine's actors. */
export type JourneyServices = { readonly [K in JourneyCall]: JourneyService<K> };

/** Each kind of Model as the machine takes it once the envelope said the call succeeded; undefined: not usable. */
const READERS: { readonly [K in keyof ModelKinds]: (model: unknown) => ModelKinds[K] | undefined } = {
  none: () => null,
  // No question on the account: `''`.
  text: (model) => (model == null ? '' : typeof model === 'string' ? shownPrintable(model) : undefined),
  secretToken: (model) => {
    const token = usableToken(model);
    return token === undefined ? undefined : new Secret(token);
  },
  images: (model) => {
    const images = securityImagesOf(model);
    return images?.length ? images : undefined;
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

/**
 * The HTTP services of the calls beside `/token` (one per entry of `JOURNEY_CALLS`), all under `config.apiRoot`
 * with `Et-App-Key`, through the transport as `/token` goes (one request and never a silent retry: a resent reset
 * request mails another code). Each resolves with the server's refusal or the call's validated Model, and rejects
 * with an `EtnaAuthError` for a transport problem, a Model that is not usable (`protocol`), or a value that
 * cannot be sent (`input`, before anything is sent). No error and no shown text holds a secret of the request.
 */
export function createJourneyServices(config: ServiceConfig): JourneyServices {
  const send = createTransport(config);
  const service = <K extends JourneyCall>(name: K): JourneyService<K> => {
    // One description per call: the correlation between a name and its request type is the list's own.
    const call = JOURNEY_CALLS[name] as unknown as CallDescription<object, keyof ModelKinds>;
    return async (request, signal) => {
      const problem = call.check?.(request);
      if (problem !== undefined) throw new EtnaAuthError('input', problem);
      const received = await send(
        {
          method: call.method,
          url: `${config.apiRoot}${call.path}${call.query ? queryOf(call.query(request)) : ''}`,
          bearer: call.bearer && bearerOf(call.bearer(request)),
          json: call.body?.(request),
          maxBytes: call.maxBytes,
        },
        signal,
      );
      // Every secret value of the request is scrubbed from the server's `Errors`; so is a reset token it answers.
      const secrets = Object.values(request).flatMap((value) => (Secret.is(value) ? [value.reveal()] : []));
      const answer = parseEnvelope(received, {
        secrets,
        modelIsSecret: call.model === 'secretToken',
        noErrorsIsSuccess: call.noErrorsIsSuccess,
      });
      if (!answer.ok) return answer;
      const model = READERS[call.model](answer.model);
      if (model === undefined)
        throw new ProtocolError(`the ${name} answer has no usable Model`, received.status);
      return { ok: true, model } as JourneyAnswer<unknown> as Awaited<ReturnType<JourneyService<K>>>;
    };
  };
  return Object.fromEntries(JOURNEY_CALL_NAMES.map((name) => [name, service(name)])) as JourneyServices;
}

export { parseEnvelope } from './envelope.js';
export { antiPhishingOf, securityImageOf, securityImagesOf } from './security-image.js';
