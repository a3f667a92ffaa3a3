import type { BffContextView, BffLoginView, BffStateValue, BffUserEventType } from '../contract/bff.js';

/**
 * The context the screens read, as a remote login shows it: never a token, an interim token or the app key.
 * @example const { username, error }: EtnaRemoteContext = actor.getSnapshot().context;
 */
export type EtnaRemoteContext = BffContextView;

/**
 * A snapshot of a login that runs on the backend: what screens use on a local actor's snapshot.
 * @example const snapshot: EtnaRemoteSnapshot = actor.getSnapshot(); if (snapshot.can({ type: 'RETRY' })) showRetry();
 */
export interface EtnaRemoteSnapshot {
  readonly value: BffStateValue;
  readonly context: EtnaRemoteContext;
  /** `active` while the adapter runs, `stopped` after `stop()`. */
  readonly status: 'active' | 'stopped';
  /**
   * The state's tags; besides the chart's: `connecting` (with `busy`) until the first view, `sending` (with
   * `busy`) while an event is on its way, `offline` while the backend is out of reach.
   */
  readonly tags: ReadonlySet<string>;
  /** As XState's: `matches('succeeded')`, `matches({ expecting: 'securityPin' })`, `matches('expecting.securityPin')`. */
  matches(value: BffStateValue): boolean;
  hasTag(tag: string): boolean;
  /** What the backend's `snapshot.can()` said for the event's type; false for anything else. */
  can(event: { readonly type: string }): boolean;
  /** The view as the backend sent it. */
  toJSON(): BffLoginView;
}

/** `'a.b'` as `{ a: 'b' }`, as XState reads a dotted state value. */
function toStateValue(value: BffStateValue): BffStateValue {
  if (typeof value !== 'string' || !value.includes('.')) return value;
  const [head, ...rest] = value.split('.');
  return { [head as string]: toStateValue(rest.join('.')) };
}

/** True when `state` is in `wanted` (a parent state matches all its children), as XState's `matchesState`. */
export function matchesState(wanted: BffStateValue, state: BffStateValue): boolean {
  const parent = toStateValue(wanted);
  const child = toStateValue(state);
  if (typeof child === 'string') return typeof parent === 'string' && parent === child;
  if (typeof parent === 'string') return parent in child;
  return Object.keys(parent).every(
    (key) => key in child && matchesState(parent[key] as BffStateValue, child[key] as BffStateValue),
  );
}

/** The snapshot of a view, with the adapter's own tags and status. */
export function snapshotOf(
  view: BffLoginView,
  status: 'active' | 'stopped',
  extraTags: readonly string[] = [],
): EtnaRemoteSnapshot {
  const tags: ReadonlySet<string> = new Set([...view.tags, ...extraTags]);
  const can = view.can as Readonly<Record<string, boolean>>;
  return {
    value: view.value,
    context: view.context,
    status,
    tags,
    matches: (value) => matchesState(value, view.value),
    hasTag: (tag) => tags.has(tag),
    can: (event) =>
      status === 'active' && Object.hasOwn(can, event.type) && can[event.type as BffUserEventType] === true,
    toJSON: () => view,
  };
}
