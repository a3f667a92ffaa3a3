// What a screen must offer at each point of a path: the user events the machine takes there, read off the machine
// itself (`snapshot.can()`) by playing the path through it, with no I/O.
import { type AnyMachineSnapshot, initialTransition, transition } from 'xstate';
import type { EtnaAuthEvent } from '../../machine/types.js';
import { modelEventOf } from '../model/coverage.js';
import { bareModelMachine, MODEL_USER_EVENTS } from '../model/events.js';
import type { ModelPath } from '../model/steps.js';

const EVENT_TYPES = [...new Set(MODEL_USER_EVENTS.map((event) => event.type))];

/** The user events a snapshot takes, by type: one the machine takes with any of the model's payloads. */
function offeredBy(snapshot: AnyMachineSnapshot): string[] {
  return EVENT_TYPES.filter((type) =>
    MODEL_USER_EVENTS.some((event) => event.type === type && snapshot.can(event as EtnaAuthEvent)),
  );
}

/** The events offered before the first step (index 0) and after each step (index n), sorted. */
export function offeredAlong(path: ModelPath, maxSteps: number): string[][] {
  const machine = bareModelMachine(maxSteps, path.start);
  let [snapshot] = initialTransition(machine);
  const offered = [offeredBy(snapshot)];
  for (const step of path.steps) {
    [snapshot] = transition(machine, snapshot, modelEventOf(step) as EtnaAuthEvent);
    offered.push(offeredBy(snapshot));
  }
  return offered.map((types) => types.sort());
}
