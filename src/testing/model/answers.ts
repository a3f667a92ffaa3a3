// How the model declares a server's answer: what the machine sees (the invoked actor's output or error) and
// what the fake server must do to produce it over HTTP. The regions' model modules declare theirs with these;
// events.ts expands each into the event of every actor that calls its endpoint.
import type { AnyEventObject, AnyStateNode } from 'xstate';
import type { EtnaAuthErrorData } from '../../contract/auth-error.js';
import type { JourneyCall } from '../../contract/calls.js';
import type { JourneyAnswer, JourneyRefusal } from '../../contract/journey.js';
import type { TokenAnswer } from '../../contract/token-request.js';
import { LOGOUT_ID, REQUEST_TOKEN_ID } from '../../machine/setup.js';
import type { FakeFault } from '../fake/index.js';

/**
 * Which fake-server route answers a request: `POST /token`, `POST /logout`, or one of the calls beside them
 * (queue its answer with `injectAt`).
 * @example const endpoint: ModelEndpoint = MODEL_BUSY_ENDPOINTS['authenticating']; // 'token'
 */
export type ModelEndpoint = 'token' | 'logout' | JourneyCall;

/**
 * Where an answer of the model comes from: a fake-server route, or `storage`, a storage that answers later,
 * read at start of a `restoring` path (its answer: a `respond` fault's body is what the storage holds, `''` for
 * nothing; a `drop` fault is a read that fails).
 * @example const source: ModelSource = outcome.endpoint; // 'token', 'securityImages', …, 'storage'
 */
export type ModelSource = ModelEndpoint | 'storage';

/**
 * A server answer of the model: the event the machine sees, and the fake-server fault that produces it
 * over HTTP at `endpoint`.
 * @example const timeout = MODEL_OUTCOMES.find((outcome) => outcome.name === 'timeout')!;
 */
export interface ModelOutcome {
  readonly name: string;
  readonly endpoint: ModelSource;
  readonly event: AnyEventObject;
  readonly answer: FakeFault;
}

/** An answer as a region declares it: resolved with `output`, or rejected with `error`. */
export type DeclaredOutcome = Omit<ModelOutcome, 'event'> &
  ({ readonly output: unknown; readonly error?: undefined } | { readonly error: EtnaAuthErrorData });

/** The actor a busy state invokes, and the endpoint it calls. */
export interface BusyRequest {
  readonly id: string;
  readonly endpoint: ModelSource;
}

const endpointOf = (src: string): ModelSource => {
  if (src === REQUEST_TOKEN_ID) return 'token';
  if (src === LOGOUT_ID) return 'logout';
  return src === RESTORE_ID ? 'storage' : (src as JourneyCall);
};

/** The id of the actor that reads a storage that answers later, in `restoring`. */
export const RESTORE_ID = 'readStoredSession';

/**
 * Every state of the chart that waits on a request (tag `busy`) or on the storage (tag `restoring`), by its
 * dotted name, with the actor it invokes and the endpoint that answers it: read off the machine itself.
 */
export function requestsOf(root: AnyStateNode): Record<string, BusyRequest & { readonly busy: boolean }> {
  const found: Record<string, BusyRequest & { readonly busy: boolean }> = {};
  const visit = (node: AnyStateNode) => {
    const invoke = node.invoke[0];
    const busy = node.tags.includes('busy');
    if ((busy || node.tags.includes('restoring')) && invoke && typeof invoke.src === 'string') {
      found[node.path.join('.')] = { id: invoke.id, endpoint: endpointOf(invoke.src), busy };
    }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(root);
  return found;
}

/** The events of one declared answer, one for each actor that calls its endpoint. */
export function eventsOf(outcome: DeclaredOutcome, ids: readonly string[]): AnyEventObject[] {
  return ids.map((id) =>
    outcome.error === undefined
      ? { type: `xstate.done.actor.${id}`, output: outcome.output }
      : { type: `xstate.error.actor.${id}`, error: outcome.error },
  );
}

/** A `/token` answer the machine reads as `output`. */
export const tokenAnswer = (name: string, output: TokenAnswer, answer: FakeFault): DeclaredOutcome => ({
  endpoint: 'token',
  name,
  output,
  answer,
});

/** A request (at `endpoint`) with no usable answer: the machine's actor rejects with `error`. */
export const noAnswer = (
  endpoint: ModelSource,
  name: string,
  error: EtnaAuthErrorData,
  answer: FakeFault,
): DeclaredOutcome => ({ endpoint, name, error, answer });

const envelope = (model: unknown, errors: readonly string[] = [], codes: readonly string[] = []) => ({
  Model: model,
  Errors: errors,
  ErrorsCode: codes,
  IsSucceed: errors.length === 0,
});

/** A call beside `/token` that succeeds: the machine sees `model`, the wire carries `wireModel` in the envelope. */
export function accepted(
  endpoint: JourneyCall,
  name: string,
  model: unknown,
  wireModel: unknown,
  isSucceed = true,
): DeclaredOutcome {
  const output: JourneyAnswer<unknown> = { ok: true, model };
  return {
    endpoint,
    name,
    output,
    answer: { kind: 'respond', status: 200, body: { ...envelope(wireModel), IsSucceed: isSucceed } },
  };
}

/** A call beside `/token` that the server refuses with `Errors`: the form shows them and stays. */
export function refusedBy(
  endpoint: JourneyCall,
  name: string,
  errors: readonly string[],
  codes: readonly string[] = [],
): DeclaredOutcome {
  const output: JourneyRefusal = { ok: false, errors, codes };
  return {
    endpoint,
    name,
    output,
    answer: { kind: 'respond', status: 200, body: envelope(null, errors, codes) },
  };
}

/** The rate limit every region's calls may meet. */
export const RATE_LIMITED: EtnaAuthErrorData = {
  kind: 'rateLimited',
  message: 'too many requests',
  status: 429,
  retryAfterMs: 2000,
};

/** Two small PNGs, base64, as the fake server's security images and PIN-step pictures carry them. */
export const MODEL_PNGS = {
  heron:
    'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGPIa1oARwzEcQCHMhkBM8t4LgAAAABJRU5ErkJggg==',
  apple:
    'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGM4IacBRwzEcQDBAxDhtIruDgAAAABJRU5ErkJggg==',
};
export const dataUrlOf = (base64: string) => `data:image/png;base64,${base64}`;

/** What each region's model declares: its user's events, valid and refused, and its servers' answers. */
export interface RegionModel<TEvent> {
  /** The region's user events with a payload the machine accepts (or none). */
  readonly userEvents: readonly TEvent[];
  /** The same events with a payload the machine refuses before sending (`error.kind` `input`). */
  readonly refusedEvents: readonly TEvent[];
  readonly outcomes: readonly DeclaredOutcome[];
}
