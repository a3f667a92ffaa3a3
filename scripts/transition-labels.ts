// How a transition reads in the diagrams (docs/statechart.md, docs/statechart.svg and the demo's diagram): one wording for both.

/** The invoked actors', delayed and eventless events read as what they mean; other events keep their type. */
export function eventLabel(eventType: string): string {
  if (eventType === '') return 'stored session restored';
  if (eventType.startsWith('xstate.after.')) return `after ${eventType.split('.')[2]}`;
  if (eventType === 'xstate.done.actor.logout') return 'logout answered';
  if (eventType === 'xstate.error.actor.logout') return 'logout failed';
  if (eventType.startsWith('xstate.done.actor.')) return 'answer';
  if (eventType.startsWith('xstate.error.actor.')) return 'no usable answer';
  return eventType;
}

/**
 * The name of a transition's guard, whether given as a string, as `{ type, params }` (static text params are
 * shown: `failedCallWas token`), or combined with `and([...])`.
 */
export function guardName(guard: unknown): string | undefined {
  if (typeof guard === 'string') return guard;
  const combined: unknown = typeof guard === 'function' ? (guard as { guards?: unknown }).guards : undefined;
  if (Array.isArray(combined)) {
    const parts = combined.map(guardName).filter(Boolean);
    return parts.length > 0 ? parts.join(' and ') : undefined;
  }
  if (typeof guard === 'object' && guard !== null && 'type' in guard) {
    const { type, params } = guard as { type: unknown; params?: unknown };
    return typeof params === 'string' ? `${String(type)} ${params}` : String(type);
  }
  return undefined;
}
