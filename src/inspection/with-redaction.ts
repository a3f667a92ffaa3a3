import type { InspectionEvent, Observer } from 'xstate';
import { REDACTED, Secret } from '../contract/secret.js';

/** Event and context fields whose values are secrets (or personal), whatever their type, lower-cased. */
const SECRET_KEYS = new Set(
  (
    'password pin pincode code verificationcode token interimtoken sessiontoken confirmationtoken authorization ' +
    'answer confirmation passwordconfirmation newpin newpassword resetcode resettoken secretquestionanswer'
  ).split(' '),
);

/**
 * Fields whose values are personal rather than secret, lower-cased: the anti-phishing phrase and pictures, shown
 * to their user and never to an inspector (a page that knows them can pass itself off as the broker's).
 */
const PERSONAL_KEYS = new Set(
  'personalphrase securityimage securityimages imagename image dataurl'.split(' '),
);

/** What a personal value prints as. */
const PERSONAL = '[personal]';

/** What a cycle's way back prints as: the value it leads to is already shown above. */
const CIRCULAR = '[circular]';

/**
 * Levels of nesting an inspector is shown; what lies deeper is redacted whole, unread. The machine's own events
 * and snapshots go a few levels deep; an event with a thousand would overflow the stack of a recursive copy.
 */
export const MAX_REDACTION_DEPTH = 64;

/**
 * Values (fields, items, entries) read for one copy; the rest is redacted, so that a huge value, or one shared
 * many times over, costs an inspector little. The machine's snapshots hold a few hundred.
 */
const MAX_REDACTED_VALUES = 10_000;

/** Stands for a field whose getter threw: redacted as a secret is. */
const UNREADABLE = new Secret('');

interface ActorLike {
  readonly id: string;
  readonly sessionId: string;
  readonly systemId?: string;
  readonly src?: unknown;
  readonly logic?: { readonly config?: unknown };
  readonly _parent?: unknown;
  getSnapshot(): unknown;
  send(event: unknown): void;
}

function isActorRef(value: unknown): value is ActorLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    'sessionId' in value &&
    typeof (value as { send?: unknown }).send === 'function'
  );
}

const actorViews = new WeakMap<object, object>();

/**
 * What inspectors get instead of an actor: a plain object with the fields they read and a redacting
 * `getSnapshot()`. Not a Proxy: `util.inspect` looks through proxies, and an actor's mailbox holds raw events.
 * The `_parent` chain is cut where it loops or runs past `MAX_REDACTION_DEPTH` (a value posing as an actor),
 * since inspectors walk it to its end.
 */
function actorView(actorRef: ActorLike, chain = new Set<object>()): object {
  const cached = actorViews.get(actorRef);
  if (cached) return cached;
  chain.add(actorRef);
  const parent = actorRef._parent;
  const parentView =
    isActorRef(parent) && !chain.has(parent) && chain.size <= MAX_REDACTION_DEPTH
      ? actorView(parent, chain)
      : undefined;
  const label = `[Actor ${actorRef.id}]`;
  const view = {
    id: actorRef.id,
    sessionId: actorRef.sessionId,
    systemId: actorRef.systemId,
    src: typeof actorRef.src === 'string' ? actorRef.src : undefined,
    logic: { config: actorRef.logic?.config },
    _parent: parentView,
    getSnapshot: () => redactSnapshot(actorRef.getSnapshot()),
    send: (event: unknown) => actorRef.send(event),
    toJSON: () => ({ xstate$$type: 1, id: actorRef.id }),
    toString: () => label,
    [Symbol.for('nodejs.util.inspect.custom')]: () => label,
  };
  actorViews.set(actorRef, view);
  return view;
}

/** One copy's walk: the objects it is inside (to tell a cycle) and how many values it has read. */
interface Walk {
  readonly open: WeakSet<object>;
  read: number;
}

/**
 * A copy of `value` with every `Secret` replaced by `[redacted]`, and every value under a secret key too, of any
 * type (a number from `<input type="number">`, an array, a `String` object, a nested object) and at any depth.
 * The copy is a finite tree whatever `value` is: a cycle's way back is `[circular]`, and what lies deeper than
 * `MAX_REDACTION_DEPTH`, past `MAX_REDACTED_VALUES`, or behind a getter that throws is `[redacted]`, never
 * passed on as it is.
 */
function redact(value: unknown, depth = 0, walk: Walk = { open: new WeakSet(), read: 0 }): unknown {
  walk.read += 1;
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_REDACTION_DEPTH || walk.read > MAX_REDACTED_VALUES) return REDACTED;
  if (walk.open.has(value)) return CIRCULAR;
  walk.open.add(value);
  try {
    return copyOf(value, depth + 1, walk);
  } catch {
    // A proxy trap or an iterator that throws: what it guards is not shown.
    return REDACTED;
  } finally {
    walk.open.delete(value);
  }
}

/** A field's value, or `UNREADABLE` when its getter throws. */
function fieldOf(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return UNREADABLE;
  }
}

/** The first items of a list, each through `copy`, then `[redacted]` once for the rest past the budget. */
function copyItems<T, U>(items: ArrayLike<T>, walk: Walk, copy: (item: T) => U): (U | typeof REDACTED)[] {
  const copied: (U | typeof REDACTED)[] = [];
  for (let index = 0; index < items.length; index++) {
    if (walk.read >= MAX_REDACTED_VALUES) {
      copied.push(REDACTED);
      break;
    }
    copied.push(copy(items[index] as T));
  }
  return copied;
}

/** One level of {@link redact}: `value`'s fields, each redacted at `depth`. */
function copyOf(value: object, depth: number, walk: Walk): unknown {
  if (Secret.is(value)) return REDACTED;
  if (isActorRef(value)) return actorView(value);
  const inner = (item: unknown) => redact(item, depth, walk);
  if (Array.isArray(value)) return copyItems(value, walk, inner);
  const underKey = (key: unknown, item: unknown) => {
    // `undefined` and `null` say only that nothing is held, which the UI and inspector may show.
    if (typeof key !== 'string' || item == null) return inner(item);
    const name = key.toLowerCase();
    if (SECRET_KEYS.has(name)) return REDACTED;
    return PERSONAL_KEYS.has(name) ? PERSONAL : inner(item);
  };
  if (value instanceof Map) {
    const entries = copyItems([...value], walk, ([key, item]) => [inner(key), underKey(key, item)] as const);
    return new Map(entries.map((entry) => (entry === REDACTED ? [REDACTED, REDACTED] : entry)));
  }
  if (value instanceof Set) return new Set(copyItems([...value], walk, inner));
  if (value instanceof URLSearchParams) {
    return new URLSearchParams([...value].map(([key, item]) => [key, String(underKey(key, item))]));
  }
  if (value instanceof Date || value instanceof RegExp) return value;
  // Anything else (plain objects, errors, class instances, objects of another realm) becomes a plain copy.
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = underKey(key, fieldOf(value, key));
  if (value instanceof Error) {
    copy.name = value.name;
    copy.message = value.message;
  }
  return copy;
}

/** The fields of a snapshot that hold what the machine holds or was given. */
const SNAPSHOT_FIELDS = ['context', 'input', 'output', 'error', 'children'] as const;
/** The fields of an inspection event that can hold secrets, besides its actor and its snapshot. */
const EVENT_FIELDS = ['event', 'sourceRef', 'action'] as const;

function redactSnapshot(snapshot: unknown): unknown {
  if (typeof snapshot !== 'object' || snapshot === null) return snapshot;
  // The spread keeps a machine snapshot's own methods (toJSON, matches, can) on the copy.
  const copy: Record<string, unknown> = { ...snapshot };
  for (const field of SNAPSHOT_FIELDS) copy[field] = redact(copy[field]);
  return copy;
}

function redactInspectionEvent(event: InspectionEvent): InspectionEvent {
  const copy: Record<string, unknown> = { ...event, actorRef: redact(event.actorRef) };
  for (const field of EVENT_FIELDS) if (field in event) copy[field] = redact(copy[field]);
  if ('snapshot' in event) copy.snapshot = redactSnapshot(event.snapshot);
  return copy as unknown as InspectionEvent;
}

/**
 * Wraps an inspection observer (a function, or `{ next }` such as `createBrowserInspector().inspect`) so that
 * no password, PIN, code or token reaches it, in snapshots or in the events the UI sends:
 * `createActor(machine, { inspect: withRedaction(inspector.inspect) })`.
 * @example createActor(machine, { inspect: withRedaction(createBrowserInspector().inspect) })
 */
export function withRedaction(
  observer: ((event: InspectionEvent) => void) | Partial<Observer<InspectionEvent>>,
): (event: InspectionEvent) => void {
  const next = typeof observer === 'function' ? observer : observer.next?.bind(observer);
  return (event) => {
    next?.(redactInspectionEvent(event));
  };
}
