// The walk: paths through the shipped machine's graph, one shortest path for every coverage target
// (model-coverage.ts), each step saying what to do, what the fake server must answer, and what the UI shows
// after it (model-events.ts has the events and the expectations).
import type { AnyEventObject } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';
import type { EtnaAuthEvent } from '../../machine/types.js';
import type { FakeEtnaServer } from '../fake/index.js';
import { initialTargets, targetsTaken } from './coverage.js';
import {
  type BareModelMachine,
  bareModelMachine,
  describeEvent,
  MODEL_BUSY_ENDPOINTS,
  MODEL_EVENTS,
  MODEL_MAX_STEPS,
  MODEL_OUTCOMES,
  MODEL_STARTS,
  otherTabOf,
  sessionEndOf,
  waitEndOf,
} from './events.js';
import { expectationOf, type ModelSnapshot } from './expectation.js';
import { MODEL_API_SUCCESS_EVENT, MODEL_OTHER_TAB_EVENTS } from './session.js';
import type { ModelPath, ModelPathsOptions, ModelServerAnswer, ModelStart, ModelStep } from './steps.js';
import type { ModelUserEvent } from './user.js';

/**
 * Queues a user step's server answer, and the answers of the requests the server steps after it start, each at
 * its fake-server route (`/token`, `/logout`, or a call beside them); does nothing for other steps.
 * @example for (const step of path.steps) { injectServerAnswer(server, step); await perform(step); }
 */
export function injectServerAnswer(
  server: Pick<FakeEtnaServer, 'inject' | 'injectLogout' | 'injectAt'>,
  step: ModelStep,
): void {
  if (step.kind !== 'user' || !step.serverAnswer) return;
  for (const { endpoint, fault } of [step.serverAnswer, ...step.followingAnswers]) {
    if (endpoint === 'logout') server.injectLogout(fault);
    else if (endpoint === 'token') server.inject(fault);
    else server.injectAt(endpoint, fault);
  }
}

/** One edge of the model's graph: an event of the model, from one snapshot (by its key) to the next. */
export interface ModelEdge {
  readonly start: ModelStart;
  readonly from: string;
  readonly event: AnyEventObject;
  readonly to: string;
  readonly targets: string[];
}

/** The model's graph: every snapshot the model's events reach from each start (by key), and the edges between. */
export interface ModelGraph {
  readonly edges: readonly ModelEdge[];
  readonly snapshots: ReadonlyMap<string, ModelSnapshot>;
  /** The key of each start's first snapshot, and which start it is. */
  readonly initials: ReadonlyMap<string, ModelStart>;
  readonly machines: ReadonlyMap<ModelStart, BareModelMachine>;
}

/** The model's graph for machines with `maxSteps`, walked with `xstate/graph` from every start. */
export function modelGraph(maxSteps: number): ModelGraph {
  const events = [...MODEL_EVENTS] as EtnaAuthEvent[];
  const snapshots = new Map<string, ModelSnapshot>();
  const edges: ModelEdge[] = [];
  const initials = new Map<string, ModelStart>();
  const machines = new Map(MODEL_STARTS.map((start) => [start, bareModelMachine(maxSteps, start)]));
  for (const [start, machine] of machines) {
    const adjacency = getAdjacencyMap(machine, {
      events,
      serializeState: (snapshot) => serialize(snapshot as ModelSnapshot, start),
    });
    initials.set(Object.keys(adjacency)[0] as string, start);
    for (const [from, entry] of Object.entries(adjacency)) {
      const state = entry.state as ModelSnapshot;
      snapshots.set(from, state);
      for (const { event, state: next } of Object.values(entry.transitions) as {
        event: AnyEventObject;
        state: ModelSnapshot;
      }[]) {
        edges.push({
          start,
          from,
          event,
          to: serialize(next, start),
          targets: targetsTaken(machine, state, event),
        });
      }
    }
  }
  return { edges, snapshots, initials, machines };
}

/**
 * Paths through the shipped machine, generated from its graph with `xstate/graph`: the user's events and the
 * `/token` actor's outcomes are the events, and for every coverage target (see `ModelCoverage`) one shortest
 * path takes it. Each step says what the UI should show after it and, for an event that starts a request,
 * what the fake ETNA server must answer.
 * @example for (const path of getEtnaAuthPaths()) it(path.description, () => runPath(path));
 */
export function getEtnaAuthPaths(options: ModelPathsOptions = {}): ModelPath[] {
  const graph = modelGraph(options.maxSteps ?? MODEL_MAX_STEPS);
  const { edges, snapshots, initials, machines } = graph;

  // Breadth-first from each start's initial snapshot: the first edge that reaches a snapshot lies on a shortest path to it.
  const parent = new Map<string, ModelEdge | undefined>([...initials.keys()].map((key) => [key, undefined]));
  const edgesFrom = new Map<string, ModelEdge[]>();
  for (const edge of edges) edgesFrom.set(edge.from, [...(edgesFrom.get(edge.from) ?? []), edge]);
  const queue = [...initials.keys()];
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head] as string;
    for (const edge of edgesFrom.get(from) ?? []) {
      if (!parent.has(edge.to)) {
        parent.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  const pathTo = (key: string): ModelEdge[] => {
    const route: ModelEdge[] = [];
    for (let edge = parent.get(key); edge; edge = parent.get(edge.from)) route.unshift(edge);
    return route;
  };

  const routes: ModelEdge[][] = [];
  const covered = new Set<string>();
  // A path from a restored start also takes the eventless transition that restored it.
  const startTargets = new Map(
    [...initials].map(([key, start]) => [
      key,
      initialTargets(machines.get(start) as BareModelMachine, snapshots.get(key) as ModelSnapshot),
    ]),
  );
  const reachable = edges.filter((edge) => parent.has(edge.from));
  const depth = new Map(reachable.map((edge) => [edge, pathTo(edge.from).length]));
  reachable.sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0));
  for (const edge of reachable) {
    // An event the state ignores takes nothing, not even the start it is sent from.
    if (edge.targets.length === 0) continue;
    const route = [...pathTo(edge.from), edge];
    const targets = [...(startTargets.get(route[0]?.from as string) ?? []), ...edge.targets];
    if (targets.every((target) => covered.has(target))) continue;
    for (const target of targets) covered.add(target);
    routes.push(route);
  }
  return withoutPrefixes(routes).map((route) => toModelPath(route, graph));
}

/** The routes that are not the beginning of another route (that one takes what they take, and more). */
export function withoutPrefixes(routes: readonly (readonly ModelEdge[])[]): (readonly ModelEdge[])[] {
  return routes.filter((route, index) => !routes.some((other, at) => at !== index && isPrefix(route, other)));
}

function isPrefix(route: readonly ModelEdge[], other: readonly ModelEdge[]): boolean {
  return route.length < other.length && route.every((edge, index) => edge === other[index]);
}

/** A route of the model's graph as a path: each step with what to do, what the server answers, what the UI shows. */
export function toModelPath(route: readonly ModelEdge[], { snapshots, initials }: ModelGraph): ModelPath {
  const startKey = route[0]?.from as string;
  const expectedAt = (index: number) =>
    expectationOf(snapshots.get(route[index]?.to as string) as ModelSnapshot);
  /** The answer the request entered at `index` (if its state is busy with one) gets: the next outcome, or none. */
  const answerAt = (index: number): ModelServerAnswer | undefined => {
    const { state } = expectedAt(index);
    const endpoint = MODEL_BUSY_ENDPOINTS[state];
    if (!endpoint) return undefined;
    // The next answer, past what happens meanwhile (another tab's write) with the request still in flight.
    for (let next = index + 1; next < route.length; next++) {
      const following = route[next] as ModelEdge;
      const outcome = MODEL_OUTCOMES.find((candidate) => candidate.event === following.event);
      if (outcome) return { endpoint, fault: outcome.answer };
      if (expectedAt(next).state !== state) break;
    }
    return { endpoint, fault: { kind: 'hang' } };
  };
  const steps: ModelStep[] = route.map((edge, index) => {
    const expected = expectedAt(index);
    const outcome = MODEL_OUTCOMES.find((candidate) => candidate.event === edge.event);
    if (outcome) return { kind: 'server', outcome: outcome.name, expected };
    const end = sessionEndOf(edge.event);
    if (end) return { kind: 'session', end, expected };
    const action = otherTabOf(edge.event);
    if (action) return { kind: 'otherTab', action, expected };
    if (edge.event === MODEL_API_SUCCESS_EVENT) return { kind: 'apiCall', expected };
    const wait = waitEndOf(edge.event);
    if (wait) return { kind: 'wait', until: wait, expected };
    // A server step that lands in a busy state started a request by itself: its answer is queued up front.
    const followingAnswers: ModelServerAnswer[] = [];
    for (let next = index + 1; next < route.length; next++) {
      const step = route[next] as ModelEdge;
      if (!MODEL_OUTCOMES.some((candidate) => candidate.event === step.event)) break;
      const answer = answerAt(next);
      if (!answer) break;
      followingAnswers.push(answer);
    }
    return {
      kind: 'user',
      event: edge.event as ModelUserEvent,
      serverAnswer: answerAt(index),
      followingAnswers,
      expected,
    };
  });
  const start = initials.get(startKey) ?? 'fresh';
  const events = route.map((edge) => describeEvent(edge.event)).join(' → ');
  return {
    description: start === 'fresh' ? events : `(${start}) → ${events}`,
    start,
    initial: expectationOf(snapshots.get(startKey) as ModelSnapshot),
    steps,
  };
}

function serialize(snapshot: ModelSnapshot, start: ModelStart): string {
  // Times are clock readings, not states: two snapshots differing only there are the same; whether a wait
  // holds is part of the state, and so is whether the session is the one the other tab stored (adopting it
  // again changes nothing).
  const { sessionExpiresAt, retryAvailableAt, resendAvailableAt, ...context } = snapshot.context;
  return JSON.stringify({
    start,
    value: snapshot.value,
    context,
    retryWait: retryAvailableAt !== undefined,
    resendWait: resendAvailableAt !== undefined,
    otherTabsSession: sessionExpiresAt === MODEL_OTHER_TAB_EVENTS.login.expiresAt,
  });
}
