// What the model paths must cover, and what a set of paths does cover: every state node, every transition
// definition, every transition from every atomic state it can be taken in, and every event of the model.
// model-paths.ts walks the graph for one shortest path per target; measureCoverage replays paths to check.
import type { AnyEventObject, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { initialTransition, transition } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import type { EtnaAuthEvent } from '../../machine/types.js';
import {
  type BareModelMachine,
  bareModelMachine,
  describeEvent,
  MODEL_EVENTS,
  MODEL_MAX_STEPS,
  MODEL_OUTCOMES,
  MODEL_STARTS,
  MODEL_WAIT_EVENTS,
} from './events.js';
import { expectationOf, type ModelSnapshot, stateValueName } from './expectation.js';
import { MODEL_API_SUCCESS_EVENT, MODEL_OTHER_TAB_EVENTS, MODEL_SESSION_EVENTS } from './session.js';
import type { ModelPath, ModelPathsOptions, ModelStep } from './steps.js';

/**
 * What a set of paths covers of the machine, measured by replaying them through it.
 * @example expect(measureCoverage(getEtnaAuthPaths()).missing).toEqual([]);
 */
export interface ModelCoverage {
  /** Every state node of the machine, by id (`etnaAuth.expecting.securityPin`). */
  readonly stateNodes: readonly string[];
  /** Every transition definition of the machine, as `source --EVENT [branch]--> target` (`(always)` for eventless ones). */
  readonly transitions: readonly string[];
  /**
   * What the paths must take: every transition from every atomic state it can be taken in
   * (`LOGOUT` from each state, `CANCEL` from both prompts), and every event of the model at least once.
   */
  readonly targets: readonly string[];
  readonly covered: {
    readonly stateNodes: ReadonlySet<string>;
    readonly transitions: ReadonlySet<string>;
    readonly targets: ReadonlySet<string>;
  };
  /** Names of what no path covers; empty when coverage is complete. */
  readonly missing: readonly string[];
}

/** A stable name for one transition definition: its source, event, guard branch and target. */
export function transitionName(transition: AnyTransitionDefinition): string {
  const branches = transition.source.transitions.get(transition.eventType) ?? [];
  const branch = branches.length > 1 ? ` [${branches.indexOf(transition) + 1}/${branches.length}]` : '';
  const target = transition.target?.map((node: AnyStateNode) => node.id).join(',') ?? '(stays)';
  return `${transition.source.id} --${transition.eventType || '(always)'}${branch}--> ${target}`;
}

function transitionsOf(node: AnyStateNode): AnyTransitionDefinition[] {
  return [...node.transitions.values()].flat().concat(node.always ?? []);
}

/** Every transition definition of the chart. */
export function allTransitions(root: AnyStateNode): AnyTransitionDefinition[] {
  return [root, ...getStateNodes(root)].flatMap(transitionsOf);
}

/**
 * The transitions an atomic state offers: its own and its ancestors', but an ancestor's on an event the state (or
 * a state between) answers without a guard, which hides it.
 */
export function availableAt(node: AnyStateNode): AnyTransitionDefinition[] {
  const offered: AnyTransitionDefinition[] = [];
  const hidden = new Set<string>();
  for (let source: AnyStateNode | undefined = node; source; source = source.parent) {
    const available = transitionsOf(source).filter((t) => !hidden.has(t.eventType));
    offered.push(...available);
    for (const t of available) if (!t.guard) hidden.add(t.eventType);
  }
  return offered;
}

/** The eventless transitions the initial snapshot took, in order: from the declared initial state to where it settled. */
export function initialChain(machine: BareModelMachine, snapshot: ModelSnapshot): AnyTransitionDefinition[] {
  /** The chain of eventless transitions from `node` into the snapshot's states, if there is one. */
  const chainFrom = (node: AnyStateNode, seen: Set<AnyStateNode>): AnyTransitionDefinition[] | undefined => {
    if (snapshot._nodes.includes(node)) return [];
    if (seen.has(node)) return undefined;
    for (const t of (node.always ?? []) as AnyTransitionDefinition[]) {
      for (const target of t.target ?? []) {
        const rest = chainFrom(target, new Set([...seen, node]));
        if (rest) return [t, ...rest];
      }
    }
    return undefined;
  };
  const initial = machine.root.initial?.target?.[0];
  return initial ? (chainFrom(initial, new Set()) ?? []) : [];
}

/** The coverage targets of the eventless transitions the initial snapshot took. */
export function initialTargets(machine: BareModelMachine, snapshot: ModelSnapshot): string[] {
  return initialChain(machine, snapshot).flatMap((t) => [
    transitionName(t),
    `${transitionName(t)} @ ${t.source.id}`,
  ]);
}

/** The coverage targets one event takes from one snapshot. */
export function targetsTaken(
  machine: BareModelMachine,
  snapshot: ModelSnapshot,
  event: AnyEventObject,
): string[] {
  const at = `etnaAuth.${stateValueName(snapshot.value)}`;
  const taken = machine
    .getTransitionData(snapshot, event as EtnaAuthEvent)
    .map((t) => `${transitionName(t)} @ ${at}`);
  return taken.length ? [...taken, `event ${describeEvent(event)}`] : [];
}

function allTargets(machine: BareModelMachine): string[] {
  const atomic = getStateNodes(machine.root).filter((node) => node.type === 'atomic');
  const targets = atomic.flatMap((node) => availableAt(node).map((t) => `${transitionName(t)} @ ${node.id}`));
  return [...targets, ...new Set(MODEL_EVENTS.map((event) => `event ${describeEvent(event)}`))];
}

/**
 * The model event a step stands for: what replaying it sends the machine.
 * @example actor.send(modelEventOf(step));
 */
export function modelEventOf(step: ModelStep): AnyEventObject {
  if (step.kind === 'user') return step.event;
  if (step.kind === 'session') return MODEL_SESSION_EVENTS[step.end];
  if (step.kind === 'wait') return MODEL_WAIT_EVENTS[step.until];
  if (step.kind === 'otherTab') return MODEL_OTHER_TAB_EVENTS[step.action];
  if (step.kind === 'apiCall') return MODEL_API_SUCCESS_EVENT;
  const outcome = MODEL_OUTCOMES.find((candidate) => candidate.name === step.outcome);
  if (!outcome) throw new Error(`unknown model outcome "${step.outcome}"`);
  return outcome.event;
}

/**
 * Replays `paths` through the machine (pure transitions, no I/O) and reports what they cover.
 * Throws if a step's expectation does not match what the machine does, so stale paths cannot pass.
 * @example console.log(measureCoverage(getEtnaAuthPaths()));
 */
export function measureCoverage(paths: readonly ModelPath[], options: ModelPathsOptions = {}): ModelCoverage {
  const maxSteps = options.maxSteps ?? MODEL_MAX_STEPS;
  const machines = new Map(MODEL_STARTS.map((start) => [start, bareModelMachine(maxSteps, start)]));
  const machine = machines.get('fresh') as BareModelMachine;
  const coveredTargets = new Set<string>();
  const coveredTransitions = new Set<string>();
  const coveredNodes = new Set<string>();
  for (const path of paths) {
    const pathMachine = machines.get(path.start) as BareModelMachine;
    let [snapshot] = initialTransition(pathMachine);
    for (const node of snapshot._nodes) coveredNodes.add(node.id);
    for (const name of initialTargets(pathMachine, snapshot as ModelSnapshot)) {
      (name.includes(' @ ') ? coveredTargets : coveredTransitions).add(name);
    }
    const initial = JSON.stringify(expectationOf(snapshot as ModelSnapshot));
    if (initial !== JSON.stringify(path.initial)) {
      throw new Error(
        `path "${path.description}": expected to start at ${JSON.stringify(path.initial)}, the machine starts at ${initial}`,
      );
    }
    for (const [index, step] of path.steps.entries()) {
      const event = modelEventOf(step) as EtnaAuthEvent;
      for (const target of targetsTaken(pathMachine, snapshot as ModelSnapshot, event))
        coveredTargets.add(target);
      for (const t of pathMachine.getTransitionData(snapshot, event))
        coveredTransitions.add(transitionName(t));
      [snapshot] = transition(pathMachine, snapshot, event);
      for (const node of snapshot._nodes) coveredNodes.add(node.id);
      const actual = JSON.stringify(expectationOf(snapshot as ModelSnapshot));
      if (actual !== JSON.stringify(step.expected)) {
        throw new Error(
          `path "${path.description}", step ${index + 1}: expected ${JSON.stringify(step.expected)}, the machine gives ${actual}`,
        );
      }
    }
  }
  const stateNodes = getStateNodes(machine.root).map((node) => node.id);
  const transitions = allTransitions(machine.root).map(transitionName);
  const targets = allTargets(machine);
  coveredNodes.delete(machine.root.id);
  return {
    stateNodes,
    transitions,
    targets,
    covered: { stateNodes: coveredNodes, transitions: coveredTransitions, targets: coveredTargets },
    missing: [
      ...stateNodes.filter((id) => !coveredNodes.has(id)),
      ...transitions.filter((name) => !coveredTransitions.has(name)),
      ...targets.filter((name) => !coveredTargets.has(name)),
    ],
  };
}
