// What the races print: each task's line of the path, and what the runs reached (state nodes, kinds of races).
import { stateValueName } from '../../../src/testing/index.js';
import type { Snapshot } from './invariants.js';
import type { RaceTask } from './world.js';

/** Where a task left the tab, for its line of the path: `expecting.securityPin`, `loggingOut (busy) as carol`. */
export function describeSnapshot(snapshot: Snapshot): string {
  const { username, sessionToken } = snapshot.context;
  const who = sessionToken ? ` as ${username ?? '?'}` : '';
  return `${stateValueName(snapshot.value)}${snapshot.hasTag('busy') ? ' (busy)' : ''}${who}`;
}

/** What all the runs did, for the summary line. */
export interface RaceStats {
  tasks: number;
  /** Tasks the scheduler picked among two or more ready ones. */
  choices: number;
  /** The chart's state nodes the races were in after a task. */
  readonly nodes: Set<string>;
  /** How often each kind of race happened: a CANCEL with a request in flight, an answer after a give-up, … */
  readonly happened: Map<string, number>;
}

export const newRaceStats = (): RaceStats => ({
  tasks: 0,
  choices: 0,
  nodes: new Set(),
  happened: new Map(),
});

const moved = (before: Snapshot, after: Snapshot) =>
  JSON.stringify(before.value) !== JSON.stringify(after.value);

/** The kinds of race a task was, named as the summary prints them. */
export function happeningsOf(
  task: RaceTask,
  before: Snapshot,
  after: Snapshot,
  event: { readonly type: string } | undefined,
): string[] {
  const found: string[] = [];
  if (task.kind === 'user' && before.hasTag('busy') && event) found.push(`${event.type} in flight`);
  if (task.kind === 'user' && task.action.kind === 'twice' && after.hasTag('busy'))
    found.push('double submits');
  if (task.kind === 'answer' && task.sent.aborted) found.push('answers after a give-up');
  if (task.kind === 'notice' && moved(before, after)) found.push('notices that moved the tab');
  if (task.kind === 'storage' && moved(before, after)) found.push('storage answers that moved the tab');
  if (task.kind === 'world' && task.action.kind === 'clock' && moved(before, after))
    found.push('clock steps that moved the tab');
  return found;
}

/** Counts a task in the summary. */
export function count(
  stats: RaceStats,
  task: RaceTask,
  before: Snapshot,
  after: Snapshot,
  event?: { type: string },
) {
  for (const node of after._nodes) stats.nodes.add(node.id);
  for (const name of happeningsOf(task, before, after, event))
    stats.happened.set(name, (stats.happened.get(name) ?? 0) + 1);
}
