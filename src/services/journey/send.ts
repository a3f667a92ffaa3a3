import type { JourneyAnswer } from '../../contract/journey.js';
import type { ServiceConfig } from '../service-config.js';
import { createTransport } from '../transport.js';
import { parseEnvelope } from './envelope.js';

/** One request of a call beside `/token`, as the call builds it. */
export interface Outgoing {
  readonly method: 'get' | 'post' | 'put';
  /** Under the API root, e.g. `v1.0/users/password/reset`. */
  readonly path: string;
  /** The session (or interim) token sent as `Authorization: Bearer …`, when the call takes one. */
  readonly bearer?: string;
  /** Sent as JSON. */
  readonly json?: Readonly<Record<string, unknown>>;
  /** Every secret value of the request, scrubbed from the server's `Errors`. */
  readonly secrets: readonly string[];
  /** The answer's Model is a secret too (a reset token): scrubbed from `Errors` like `secrets`. */
  readonly modelIsSecret?: boolean;
  /** `IsSucceed: false` with no errors is a success too: ETNA's documented answer to the reset request. */
  readonly noErrorsIsSuccess?: boolean;
  /** The body cap, when larger than `readBody`'s default. */
  readonly maxBytes?: number;
}

/** What one call's answer is, once its envelope said it succeeded: the validated Model, or a `ProtocolError`. */
export type ModelReader<TModel> = (model: unknown, status: number) => TModel;

/** Sends `Outgoing` requests and reads their envelopes; one per `createJourneyServices`. */
export type Send = <TModel>(
  outgoing: Outgoing,
  read: ModelReader<TModel>,
  signal: AbortSignal | undefined,
) => Promise<JourneyAnswer<TModel>>;

/**
 * The calls beside `/token` go through the transport as `/token` does (one request and never a silent retry: a
 * resent reset request mails another code), their answers read as envelopes.
 */
export function createSend(config: ServiceConfig): Send {
  const send = createTransport(config);
  return async (outgoing, read, signal) => {
    const { status, retryAfter, body } = await send(
      {
        method: outgoing.method,
        url: `${config.apiRoot}${outgoing.path}`,
        bearer: outgoing.bearer,
        json: outgoing.json,
        maxBytes: outgoing.maxBytes,
      },
      signal,
    );
    const answer = parseEnvelope(status, retryAfter, body, outgoing);
    return answer.ok ? { ok: true, model: read(answer.model, status) } : answer;
  };
}
