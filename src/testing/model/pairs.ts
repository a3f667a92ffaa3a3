// Pairs of consecutive transitions: every transition B the chart allows right after a transition A (B can be taken
// from a state A leads to); which of them the model takes, paths that take each one, and, for each pair the model
// never takes, why (read off the model's snapshots after A, never written by hand).
import type { AnyEventObject, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { getMicrosteps, initialTransition, transition } from 'xstate';
import type { EtnaAuthEvent } from '../../machine/types.js';
import { allTransitions, availableAt, initialChain, modelEventOf, transitionName } from './coverage.js';
import { type BareModelMachine, MODEL_EVENTS, MODEL_MAX_STEPS } from './events.js';
import type { ModelSnapshot } from './expectation.js';
import { type ModelEdge, type ModelGraph, modelGraph, toModelPath, withoutPrefixes } from './paths.js';
import type { ModelPath, ModelPathsOptions, ModelStart } from './steps.js';

/**
 * A pair's name: the first transition's name, then the second's.
 * @example pairName('etnaAuth.idle --SUBMIT_CREDENTIALS [2/2]--> etnaAuth.authenticating', '…') // 'A ⇒ B'
 */
export const pairName = (first: string, second: string) => `${first} ⇒ ${second}`;

/**
 * What a set of paths covers of the transition pairs, measured by replaying them.
 * @example const { pairs, covered, impossible } = measurePairCoverage(getTransitionPairPaths());
 */
export interface PairCoverage {
  /** Every pair the chart allows: B can be taken from a state A leads to. */
  readonly pairs: readonly string[];
  /** The pairs the paths take. */
  readonly covered: ReadonlySet<string>;
  /** The pairs the model never takes, each with why (what the snapshots after A do with B's event instead). */
  readonly impossible: ReadonlyMap<string, string>;
  /** Pairs the model takes that no path takes; empty when the paths reach every pair that can happen. */
  readonly missing: readonly string[];
}

/** The atomic states a state is, once entered: itself, or its initial descendants. */
function entered(node: AnyStateNode): AnyStateNode[] {
  if (node.type === 'atomic') return [node];
  if (node.type === 'parallel') return Object.values(node.states).flatMap(entered);
  const initial = node.initial?.target?.[0];
  return initial ? entered(initial) : [];
}

/** The atomic states under a state (itself when it is one): where a transition without a target stays. */
function atomicUnder(node: AnyStateNode): AnyStateNode[] {
  return node.type === 'atomic' ? [node] : Object.values(node.states).flatMap(atomicUnder);
}

/** Every pair the chart allows, by name: each transition, with each transition offered where it leads. */
function allowedPairs(machine: BareModelMachine): string[] {
  return allTransitions(machine.root).flatMap((first) => {
    const seconds = new Set(landsIn(first).flatMap(availableAt).map(transitionName));
    return [...seconds].map((second) => pairName(transitionName(first), second));
  });
}

/** Where a transition leads: the atomic states it enters, or those it stays in (without a target). */
const landsIn = (t: AnyTransitionDefinition) =>
  t.target ? t.target.flatMap(entered) : atomicUnder(t.source);

/** Whether a state, or one of its ancestors, has an eventless transition. */
const hasEventless = (node: AnyStateNode | undefined): boolean =>
  node !== undefined && ((node.always?.length ?? 0) > 0 || hasEventless(node.parent));

/** The transitions one event takes from a snapshot, in order: its own, then the eventless ones it leads to. */
function takenBy(
  machine: BareModelMachine,
  snapshot: ModelSnapshot,
  event: AnyEventObject,
): AnyTransitionDefinition[] {
  const own = machine.getTransitionData(snapshot, event as EtnaAuthEvent);
  if (!own.some((t) => landsIn(t).some(hasEventless))) return own;
  const steps = getMicrosteps(machine, snapshot, event as EtnaAuthEvent).map(
    ([step]) => step as ModelSnapshot,
  );
  const eventless = steps.slice(1).flatMap((step, index) => {
    const before = steps[index] as ModelSnapshot;
    const always = before._nodes.flatMap((node) => (node.always ?? []) as AnyTransitionDefinition[]);
    return always.filter((t) => (t.target ?? []).every((target) => step._nodes.includes(target))).slice(0, 1);
  });
  return [...own, ...eventless];
}

/** A node of the pairs' graph: a snapshot of the model, and the transition that led there (none at a start). */
interface PairNode {
  readonly key: string;
  readonly start: ModelStart;
  readonly snapshot: string;
  readonly last: string | undefined;
}

/** An edge of the model's graph with the transitions it takes and the pairs it completes from a node. */
interface PairStep {
  readonly edge: ModelEdge;
  readonly to: PairNode;
  readonly pairs: readonly string[];
}

const nodeOf = (start: ModelStart, snapshot: string, last: string | undefined): PairNode => ({
  key: `${snapshot}\n${last ?? ''}`,
  start,
  snapshot,
  last,
});

/** The pairs a sequence of transitions takes. */
const pairsAlong = (names: readonly string[]) =>
  names.slice(1).map((second, index) => pairName(names[index] as string, second));

/** The model's graph and its walk by pairs, computed once for each `maxSteps` (a graph takes seconds). */
const walked = new Map<number, { readonly graph: ModelGraph; readonly walk: ReturnType<typeof walkPairs> }>();
function pairsGraph(maxSteps: number) {
  let found = walked.get(maxSteps);
  if (!found) {
    const graph = modelGraph(maxSteps);
    found = { graph, walk: walkPairs(graph) };
    walked.set(maxSteps, found);
  }
  return found;
}

/**
 * The model's graph with the last transition taken: breadth-first from each start, the first step to reach a node
 * lies on a shortest route to it.
 */
function walkPairs(graph: ModelGraph) {
  const taken = new Map<ModelEdge, string[]>();
  const edgesFrom = new Map<string, ModelEdge[]>();
  for (const edge of graph.edges) {
    const machine = graph.machines.get(edge.start) as BareModelMachine;
    const names = takenBy(machine, graph.snapshots.get(edge.from) as ModelSnapshot, edge.event).map(
      transitionName,
    );
    // An event the state ignores takes nothing.
    if (names.length === 0) continue;
    taken.set(edge, names);
    edgesFrom.set(edge.from, [...(edgesFrom.get(edge.from) ?? []), edge]);
  }
  const startPairs = new Map<string, string[]>();
  const parent = new Map<string, { readonly from: PairNode; readonly step: PairStep } | undefined>();
  const queue: PairNode[] = [];
  for (const [key, start] of graph.initials) {
    const machine = graph.machines.get(start) as BareModelMachine;
    const chain = initialChain(machine, graph.snapshots.get(key) as ModelSnapshot).map(transitionName);
    startPairs.set(key, pairsAlong(chain));
    const node = nodeOf(start, key, chain.at(-1));
    parent.set(node.key, undefined);
    queue.push(node);
  }
  const steps: { readonly from: PairNode; readonly step: PairStep }[] = [];
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head] as PairNode;
    for (const edge of edgesFrom.get(from.snapshot) ?? []) {
      const names = taken.get(edge) as string[];
      const to = nodeOf(edge.start, edge.to, names.at(-1));
      const step = { edge, to, pairs: pairsAlong(from.last === undefined ? names : [from.last, ...names]) };
      steps.push({ from, step });
      if (!parent.has(to.key)) {
        parent.set(to.key, { from, step });
        queue.push(to);
      }
    }
  }
  const routeTo = (node: PairNode): ModelEdge[] => {
    const route: ModelEdge[] = [];
    for (let link = parent.get(node.key); link; link = parent.get(link.from.key))
      route.unshift(link.step.edge);
    return route;
  };
  return { steps, startPairs, routeTo, nodes: queue };
}

/**
 * Paths through the shipped machine that take every pair of consecutive transitions the model can take (see
 * `measurePairCoverage`), one shortest path for each pair no earlier path takes; run them as `getEtnaAuthPaths`'s.
 * @example for (const path of getTransitionPairPaths()) it(path.description, () => runPath(path));
 */
export function getTransitionPairPaths(options: ModelPathsOptions = {}): ModelPath[] {
  const { graph, walk } = pairsGraph(options.maxSteps ?? MODEL_MAX_STEPS);
  const { steps, routeTo } = walk;
  const covered = new Set<string>();
  const routes: ModelEdge[][] = [];
  for (const { from, step } of steps) {
    if (step.pairs.every((pair) => covered.has(pair))) continue;
    const route = [...routeTo(from), step.edge];
    // Everything the route takes on its way, from its start, is covered too.
    for (const pair of pairsOfRoute(graph, route)) covered.add(pair);
    routes.push(route);
  }
  return withoutPrefixes(routes).map((route) => toModelPath(route, graph));
}

/** The pairs a route of the model's graph takes, its start's included. */
function pairsOfRoute(graph: ModelGraph, route: readonly ModelEdge[]): string[] {
  const first = route[0];
  if (!first) return [];
  const machine = graph.machines.get(first.start) as BareModelMachine;
  const names = initialChain(machine, graph.snapshots.get(first.from) as ModelSnapshot).map(transitionName);
  for (const edge of route)
    names.push(
      ...takenBy(machine, graph.snapshots.get(edge.from) as ModelSnapshot, edge.event).map(transitionName),
    );
  return pairsAlong(names);
}

/** A guard as the chart names it: `holdsSession`, `and(retryable, failedRequestWas(requestToken))`. */
function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  const { type, params, guards, name } = (guard ?? {}) as {
    type?: string;
    params?: unknown;
    guards?: unknown[];
    name?: string;
  };
  if (guards) return `${name ?? 'and'}(${guards.map(guardName).join(', ')})`;
  return params === undefined ? String(type) : `${type}(${String(params)})`;
}

/** A transition as its branch and target: `[2/7] → failed`, `(stays)`. */
function branchOf(t: AnyTransitionDefinition): string {
  const [, branch, target] = /--[^ ]*( \[\d+\/\d+\])?--> (.*)$/.exec(transitionName(t)) ?? [];
  const to = target === '(stays)' ? '(stays)' : `→ ${target?.replace(/etnaAuth\./g, '')}`;
  return `${branch?.trim() ?? ''} ${to}`.trim();
}

/** Why the model never takes `second` right after `first`: what the snapshots `first` leads to do instead. */
function whyNot(graph: ModelGraph, after: readonly PairNode[], second: AnyTransitionDefinition): string {
  if (after.length === 0) return 'the model never takes the first transition';
  const event = second.eventType;
  const events = MODEL_EVENTS.filter((candidate) => candidate.type === event);
  if (event !== '' && events.length === 0) return `the model never sends ${event}`;
  const states = new Set<string>();
  const instead = new Set<string>();
  for (const node of after) {
    const snapshot = graph.snapshots.get(node.snapshot) as ModelSnapshot;
    const machine = graph.machines.get(node.start) as BareModelMachine;
    for (const state of snapshot._nodes)
      if (state.type === 'atomic') states.add(state.id.replace(/^etnaAuth\./, ''));
    for (const candidate of events)
      for (const t of machine.getTransitionData(snapshot, candidate as EtnaAuthEvent))
        instead.add(branchOf(t));
  }
  const guard = second.guard
    ? `its guard ${guardName(second.guard)} never holds`
    : 'an earlier branch always wins';
  const where = `in the ${after.length} snapshot${after.length === 1 ? '' : 's'} it leads to (${[...states].join(', ')})`;
  const taken = instead.size ? `: ${event} takes ${[...instead].join(', ')} instead` : '';
  return `${where}, ${guard}${taken}`;
}

/**
 * Replays `paths` through the machine (pure transitions, no I/O) and reports the pairs of consecutive transitions
 * they take, out of every pair the chart allows; the pairs the model never takes are listed with why.
 * @example expect(measurePairCoverage(getTransitionPairPaths()).missing).toEqual([]);
 */
export function measurePairCoverage(
  paths: readonly ModelPath[],
  options: ModelPathsOptions = {},
): PairCoverage {
  const { graph, walk } = pairsGraph(options.maxSteps ?? MODEL_MAX_STEPS);
  const { steps, startPairs, nodes } = walk;
  const machine = graph.machines.get('fresh') as BareModelMachine;
  const pairs = allowedPairs(machine);
  const reachable = new Set([...startPairs.values()].flat());
  for (const { step } of steps) for (const pair of step.pairs) reachable.add(pair);

  const covered = new Set<string>();
  for (const path of paths) {
    const pathMachine = graph.machines.get(path.start) as BareModelMachine;
    let [snapshot] = initialTransition(pathMachine);
    const names = initialChain(pathMachine, snapshot as ModelSnapshot).map(transitionName);
    for (const step of path.steps) {
      const event = modelEventOf(step) as EtnaAuthEvent;
      names.push(...takenBy(pathMachine, snapshot as ModelSnapshot, event).map(transitionName));
      [snapshot] = transition(pathMachine, snapshot, event);
    }
    for (const pair of pairsAlong(names)) covered.add(pair);
  }

  const byName = new Map(allTransitions(machine.root).map((t) => [transitionName(t), t]));
  const impossible = new Map<string, string>();
  for (const pair of pairs) {
    if (reachable.has(pair)) continue;
    const [first, second] = pair.split(' ⇒ ') as [string, string];
    const after = nodes.filter((node) => node.last === first);
    impossible.set(pair, whyNot(graph, after, byName.get(second) as AnyTransitionDefinition));
  }
  return {
    pairs,
    covered,
    impossible,
    missing: pairs.filter((pair) => reachable.has(pair) && !covered.has(pair)),
  };
}
