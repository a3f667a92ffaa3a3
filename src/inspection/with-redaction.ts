import type { InspectionEvent, Observer } from 'xstate';
import { REDACTED, Secret } from '../contract/secret.js';

/** Event and context fields whose string values are secrets, lower-cased. */
const SECRET_KEYS = new Set([
  'password',
  'pin',
  'pincode',
  'code',
  'verificationcode',
  'token',
  'interimtoken',
  'sessiontoken',
  'authorization',
]);

function isActorRef(value: object): boolean {
  return 'sessionId' in value && typeof (value as { send?: unknown }).send === 'function';
}

/** A copy of `value` with every `Secret` and every string under a secret key replaced by `[redacted]`. */
export function redact(value: unknown, seen = new WeakMap<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Secret.is(value)) return REDACTED;
  if (isActorRef(value)) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redact(item, seen));
    return copy;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null && !(value instanceof Error)) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) {
    copy[key] =
      typeof item === 'string' && SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redact(item, seen);
  }
  if (value instanceof Error) {
    copy.name = value.name;
    copy.message = value.message;
  }
  return copy;
}

function redactSnapshot(snapshot: unknown): unknown {
  if (typeof snapshot !== 'object' || snapshot === null) return snapshot;
  const { context, input, output, error } = snapshot as Record<string, unknown>;
  // The spread keeps a machine snapshot's own methods (toJSON, matches, can) on the copy.
  return {
    ...snapshot,
    context: redact(context),
    input: redact(input),
    output: redact(output),
    error: redact(error),
  };
}

const actorViews = new WeakMap<object, object>();

/** The actor as inspectors see it: the same object, but `getSnapshot()` answers redacted. */
function actorView<T>(actorRef: T): T {
  if (typeof actorRef !== 'object' || actorRef === null) return actorRef;
  let view = actorViews.get(actorRef);
  if (!view) {
    view = new Proxy(actorRef, {
      get(target, key, receiver) {
        if (key === 'getSnapshot')
          return () => redactSnapshot((target as unknown as { getSnapshot(): unknown }).getSnapshot());
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    actorViews.set(actorRef, view);
  }
  return view as T;
}

function redactInspectionEvent(event: InspectionEvent): InspectionEvent {
  const copy: Record<string, unknown> = { ...event, actorRef: actorView(event.actorRef) };
  if ('event' in event) copy.event = redact(event.event);
  if ('snapshot' in event) copy.snapshot = redactSnapshot(event.snapshot);
  if ('sourceRef' in event && event.sourceRef) copy.sourceRef = actorView(event.sourceRef);
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
