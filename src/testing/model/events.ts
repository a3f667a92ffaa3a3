// The model the paths are generated from, composed from the regions' models: every user event (valid and
// refused), every server answer as the machine sees it, the waits' ends, the session's ends and the other tabs.
// paths.ts walks the machine's graph with these events; coverage.ts measures what a set of paths covers.
import type { AnyEventObject } from 'xstate';
import { assign } from 'xstate';
import { Secret } from '../../contract/secret.js';
import { DEFAULT_SESSION_LIFETIME_MS } from '../../defaults.js';
import { DEFAULT_SETTINGS, etnaAuthMachine, etnaAuthMachineWith } from '../../machine/etna-auth-machine.js';
import type { ModelEndpoint, ModelOutcome, ModelSource } from './answers.js';
import { eventsOf, requestsOf } from './answers.js';
import { undeclaredCallAnswers } from './any-call.js';
import { loginModel, MODEL_SESSION_TOKEN, RESEND_WAIT_EVENT } from './login.js';
import { outcomesModel, RETRY_WAIT_EVENT } from './outcomes.js';
import { passwordChangeModel } from './password-change.js';
import { passwordResetModel } from './password-reset.js';
import { pinSetupModel } from './pin-setup.js';
import {
  MODEL_API_SUCCESS_EVENT,
  MODEL_OTHER_TAB_EVENTS,
  MODEL_SESSION_EVENTS,
  MODEL_SESSION_SETTINGS,
  type ModelOtherTab,
  type ModelSessionEnd,
  sessionModel,
  WARNING_WAIT_EVENT,
} from './session.js';
import type { ModelStart, ModelWait } from './steps.js';
import { MODEL_USER, type ModelUserEvent } from './user.js';

/** The regions' models, in the chart's order. */
const REGIONS = [
  loginModel,
  pinSetupModel,
  passwordChangeModel,
  passwordResetModel,
  outcomesModel,
  sessionModel,
];

const REQUESTS = requestsOf(etnaAuthMachine.root);

/**
 * The route that answers the request of each busy state (by its dotted name), read off the machine.
 * @example const route = MODEL_BUSY_ENDPOINTS['pinSetup.saving']; // 'pinChange'
 */
export const MODEL_BUSY_ENDPOINTS: Readonly<Record<string, ModelEndpoint>> = Object.fromEntries(
  Object.entries(REQUESTS).flatMap(([state, { endpoint, busy }]) =>
    busy && endpoint !== 'storage' ? [[state, endpoint]] : [],
  ),
);

/** The actors that call an endpoint, by their ids. */
const idsCalling = (endpoint: ModelSource) => [
  ...new Set(
    Object.values(REQUESTS).flatMap((request) => (request.endpoint === endpoint ? [request.id] : [])),
  ),
];

/** The answers the regions' models declare. */
const DECLARED = REGIONS.flatMap((region) => region.outcomes);

/**
 * Every answer of the model, at every endpoint: each kind of server answer and each kind of transport error, as
 * the event of each actor that calls its endpoint (one today; a second actor's gets its id in the name). A call
 * beside /token that no region declares answers for gets three of its own (accepted, refused, no usable answer).
 * @example const names = MODEL_OUTCOMES.map((outcome) => `${outcome.endpoint}: ${outcome.name}`);
 */
export const MODEL_OUTCOMES: readonly ModelOutcome[] = [
  ...DECLARED,
  ...undeclaredCallAnswers(DECLARED),
].flatMap((declared) => {
  const ids = idsCalling(declared.endpoint);
  return eventsOf(declared, ids).map((event, index) => ({
    name: index === 0 ? declared.name : `${declared.name} (${ids[index]})`,
    endpoint: declared.endpoint,
    event,
    answer: declared.answer,
  }));
});

/**
 * The events of the waits' ends, as the machine's timers send them.
 * @example actor.send(MODEL_WAIT_EVENTS.retry);
 */
export const MODEL_WAIT_EVENTS: Readonly<Record<ModelWait, AnyEventObject>> = {
  retry: RETRY_WAIT_EVENT,
  resend: RESEND_WAIT_EVENT,
  warning: WARNING_WAIT_EVENT,
};

/** The user events of the model whose payload the machine refuses before sending (`error.kind` `input`). */
const REFUSED: readonly ModelUserEvent[] = REGIONS.flatMap((region) => region.refusedEvents);

/**
 * The user events of the model: every event, with a valid and a refused payload where it has one.
 * @example const refused = MODEL_USER_EVENTS.filter(isRefusedModelEvent);
 */
export const MODEL_USER_EVENTS: readonly ModelUserEvent[] = [
  ...REGIONS.flatMap((region) => region.userEvents),
  ...REFUSED,
];

/**
 * True for a model user event whose payload the machine refuses before sending.
 * @example if (isRefusedModelEvent(step.event)) expect(step.expect.error?.kind).toBe('input');
 */
export function isRefusedModelEvent(event: AnyEventObject): boolean {
  return (REFUSED as readonly AnyEventObject[]).includes(event);
}

/** Every event of the model: the user's, the servers' answers, the waits' ends and the session's ends. */
export const MODEL_EVENTS: readonly AnyEventObject[] = [
  ...MODEL_USER_EVENTS,
  ...MODEL_OUTCOMES.map((outcome) => outcome.event),
  ...Object.values(MODEL_WAIT_EVENTS),
  ...Object.values(MODEL_SESSION_EVENTS),
  ...Object.values(MODEL_OTHER_TAB_EVENTS),
  MODEL_API_SUCCESS_EVENT,
];

/** Both starts, in the order the paths are generated from. */
export const MODEL_STARTS: readonly ModelStart[] = ['fresh', 'restored', 'restoring'];

/** The `maxSteps` the paths are generated for, and `createModelMachine` runs with, unless told otherwise. */
export const MODEL_MAX_STEPS = 2;

/**
 * The bare machine the model is played to (no I/O): the shipped chart with `maxSteps` and the model's session
 * settings, and for a `restored` start the model's stored session already restored.
 */
export function bareModelMachine(maxSteps: number, start: ModelStart) {
  // Settings are the machine's input, not replaced code: only the restore (storage, I/O) is provided.
  return etnaAuthMachineWith({ ...DEFAULT_SETTINGS, ...MODEL_SESSION_SETTINGS, maxSteps }).provide({
    actions: {
      ...(start === 'restored' && {
        restoreSession: assign({
          sessionToken: () => new Secret(MODEL_SESSION_TOKEN),
          sessionExpiresAt: () => Date.now() + DEFAULT_SESSION_LIFETIME_MS,
          username: () => MODEL_USER.username,
        }),
      }),
      // A storage that answers later: read in `restoring`, its answer one of the model's `storage` outcomes.
      ...(start === 'restoring' && { restoreSession: assign({ restorePending: true }) }),
    },
  });
}

export type BareModelMachine = ReturnType<typeof bareModelMachine>;

/** Which wait's end an event of the model is, if it is one. */
export function waitEndOf(event: AnyEventObject): ModelWait | undefined {
  return (Object.keys(MODEL_WAIT_EVENTS) as ModelWait[]).find((wait) => MODEL_WAIT_EVENTS[wait] === event);
}

/** Which other tab's action an event of the model is, if it is one. */
export function otherTabOf(event: AnyEventObject): ModelOtherTab | undefined {
  return (Object.keys(MODEL_OTHER_TAB_EVENTS) as ModelOtherTab[]).find(
    (action) => MODEL_OTHER_TAB_EVENTS[action] === event,
  );
}

/** Which session end an event of the model is, if it is one. */
export function sessionEndOf(event: AnyEventObject): ModelSessionEnd | undefined {
  return (Object.keys(MODEL_SESSION_EVENTS) as ModelSessionEnd[]).find(
    (end) => MODEL_SESSION_EVENTS[end] === event,
  );
}

/** How an event of the model reads in a path's description and a coverage target: `server: failed`, `SUBMIT_PIN(refused)`. */
export function describeEvent(event: AnyEventObject): string {
  const outcome = MODEL_OUTCOMES.find((candidate) => candidate.event === event);
  if (outcome) return `server: ${outcome.name}`;
  const end = sessionEndOf(event);
  if (end) return `session: ${end}`;
  const tab = otherTabOf(event);
  if (tab) return `other tab: ${tab}`;
  if (event === MODEL_API_SUCCESS_EVENT) return 'api: call succeeded';
  const wait = waitEndOf(event);
  if (wait) return `time: ${wait} allowed`;
  const payload = Object.entries(event).filter(([key]) => key !== 'type');
  if (payload.length === 0) return event.type;
  return `${event.type}(${isRefusedModelEvent(event) ? 'refused' : 'valid'})`;
}
