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

/** The name of a transition's guard, whether given as a string or as `{ type, params }`. */
export function guardName(guard: unknown): string | undefined {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String(guard.type);
  return undefined;
}
