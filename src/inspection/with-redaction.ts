import type { InspectionEvent, Observer } from 'xstate';
import { REDACTED, Secret } from '../contract/secret.js';

/** Event and context fields whose values are secrets (or personal), whatever their type, lower-cased. */
const SECRET_KEYS = new Set([
  'password',
  'pin',
  'pincode',
  'code',
  'verificationcode',
  'token',
  'interimtoken',
  'sessiontoken',
  'confirmationtoken',
  'authorization',
  'answer',
  'confirmation',
  'passwordconfirmation',
  'newpin',
  'newpassword',
  'resetcode',
  'resettoken',
  'secretquestionanswer',
]);

/**
 * Fields whose values are personal rather than secret, lower-cased: the anti-phishing phrase and pictures, shown
 * to their user and never to an inspector (a page that knows them can pass itself off as the broker's).
 */
const PERSONAL_KEYS = new Set([
  'personalphrase',
  'securityimage',
  'securityimages',
  'imagename',
  'image',
  'dataurl',
]);

/** What a personal value prints as. */
const PERSONAL = '[personal]';

interface ActorLike {
  readonly id: string;
  readonly sessionId: string;
  readonly systemId?: string;
  readonly src?: unknown;
  readonly logic?: { readonly config?: unknown };
  readonly _parent?: ActorLike;
  getSnapshot(): unknown;
  send(event: unknown): void;
}

function isActorRef(value: object): value is ActorLike {
  return 'sessionId' in value && typeof (value as { send?: unknown }).send === 'function';
}

const actorViews = new WeakMap<object, object>();

/**
 * What inspectors get instead of an actor: a plain object with the fields they read and a redacting
 * `getSnapshot()`. Not a Proxy: `util.inspect` looks through proxies, and an actor's mailbox holds raw events.
 */
function actorView(actorRef: ActorLike): object {
  let view = actorViews.get(actorRef);
  if (!view) {
    const label = `[Actor ${actorRef.id}]`;
    view = {
      id: actorRef.id,
      sessionId: actorRef.sessionId,
      systemId: actorRef.systemId,
      src: typeof actorRef.src === 'string' ? actorRef.src : undefined,
      logic: { config: actorRef.logic?.config },
      _parent: actorRef._parent && actorView(actorRef._parent),
      getSnapshot: () => redactSnapshot(actorRef.getSnapshot()),
      send: (event: unknown) => actorRef.send(event),
      toJSON: () => ({ xstate$$type: 1, id: actorRef.id }),
      toString: () => label,
      [Symbol.for('nodejs.util.inspect.custom')]: () => label,
    };
    actorViews.set(actorRef, view);
  }
  return view;
}

/**
 * A copy of `value` with every `Secret` replaced by `[redacted]`, and every value under a secret key too, of any
 * type (a number from `<input type="number">`, an array, a `String` object, a nested object) and at any depth.
 */
function redact(value: unknown, seen = new WeakMap<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Secret.is(value)) return REDACTED;
  if (isActorRef(value)) return actorView(value);
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redact(item, seen));
    return copy;
  }
  const underKey = (key: unknown, item: unknown) => {
    // `undefined` and `null` say only that nothing is held, which the UI and inspector may show.
    if (typeof key !== 'string' || item == null) return redact(item, seen);
    const name = key.toLowerCase();
    if (SECRET_KEYS.has(name)) return REDACTED;
    return PERSONAL_KEYS.has(name) ? PERSONAL : redact(item, seen);
  };
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>();
    seen.set(value, copy);
    for (const [key, item] of value) copy.set(key, underKey(key, item));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set<unknown>();
    seen.set(value, copy);
    for (const item of value) copy.add(redact(item, seen));
    return copy;
  }
  if (value instanceof URLSearchParams) {
    return new URLSearchParams([...value].map(([key, item]) => [key, String(underKey(key, item))]));
  }
  if (value instanceof Date || value instanceof RegExp) return value;
  // Anything else (plain objects, errors, class instances, objects of another realm) becomes a plain copy.
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) copy[key] = underKey(key, item);
  if (value instanceof Error) {
    copy.name = value.name;
    copy.message = value.message;
  }
  return copy;
}

function redactSnapshot(snapshot: unknown): unknown {
  if (typeof snapshot !== 'object' || snapshot === null) return snapshot;
  const { context, input, output, error, children } = snapshot as Record<string, unknown>;
  // The spread keeps a machine snapshot's own methods (toJSON, matches, can) on the copy.
  return {
    ...snapshot,
    context: redact(context),
    input: redact(input),
    output: redact(output),
    error: redact(error),
    children: redact(children),
  };
}

function redactInspectionEvent(event: InspectionEvent): InspectionEvent {
  const copy: Record<string, unknown> = { ...event, actorRef: redact(event.actorRef) };
  if ('event' in event) copy.event = redact(event.event);
  if ('snapshot' in event) copy.snapshot = redactSnapshot(event.snapshot);
  if ('sourceRef' in event) copy.sourceRef = redact(event.sourceRef);
  if ('action' in event) copy.action = redact(event.action);
  return copy as unknown as InspectionEvent;
}

/**
 * Wraps an inspection observer (a function, or `{ next }` such as `createBrowserInspector().inspect`) so that
 * no password, PIN, code or token reaches it, in snapshots or in the events the UI sends:
 * `createActor(machine, { inspect: withRedaction(inspector.inspect) })`.
 */
export function withRedaction(
  observer: ((event: InspectionEvent) => void) | Partial<Observer<InspectionEvent>>,
): (event: InspectionEvent) => void {
  const next = typeof observer === 'function' ? observer : observer.next?.bind(observer);
  return (event) => {
    next?.(redactInspectionEvent(event));
  };
}
