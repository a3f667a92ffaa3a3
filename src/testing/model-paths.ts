import type { AnyEventObject, AnyMachineSnapshot, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { initialTransition, transition } from 'xstate';
import { getAdjacencyMap, getStateNodes } from 'xstate/graph';
import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import { Secret } from '../contract/secret.js';
import type { TokenAnswer } from '../contract/token-request.js';
import { etnaAuthMachine, REQUEST_TOKEN_ID } from '../machine/etna-auth-machine.js';
import type { EtnaAuthContext, EtnaAuthEvent, EtnaAuthFailure } from '../machine/types.js';
import type { FakeFault } from './fake-etna-server.js';

/** The values the model's user types; a test UI should accept them. */
export const MODEL_USER = {
  username: 'model-user',
  password: 'model-password',
  pin: '2468',
  code: '135790',
} as const;

/** A server answer of the model: the event the machine sees, and the fake-server fault that produces it over HTTP. */
export interface ModelOutcome {
  readonly name: string;
  readonly event: AnyEventObject;
  readonly answer: FakeFault;
}

const done = (output: TokenAnswer) => ({ type: `xstate.done.actor.${REQUEST_TOKEN_ID}`, output });
const failure = (error: EtnaAuthErrorData) => ({ type: `xstate.error.actor.${REQUEST_TOKEN_ID}`, error });

/** Interim tokens of the model's 202 answers, opaque like the platform's. */
export const MODEL_INTERIM_TOKENS = {
  securityPin: 'pin+interim/token==',
  verificationCode: 'code+interim/token=',
};
/** The session token of the model's 200 answer. */
export const MODEL_SESSION_TOKEN = 'session+model/token==';

/** Every kind of `/token` answer the model supplies: each kind of server answer and each kind of transport error. */
export const MODEL_OUTCOMES: readonly ModelOutcome[] = [
  {
    name: 'succeeded',
    event: done({ state: 'succeeded', token: new Secret(MODEL_SESSION_TOKEN) }),
    answer: { kind: 'respond', status: 200, body: { State: 'Succeeded', Token: MODEL_SESSION_TOKEN } },
  },
  {
    name: 'expecting securityPin',
    event: done({
      state: 'expecting',
      next: 'securityPin',
      step: 'SecutityPin',
      reason: 'Invalid pin',
      interimToken: new Secret(MODEL_INTERIM_TOKENS.securityPin),
    }),
    answer: {
      kind: 'respond',
      status: 202,
      body: {
        State: 'Expecting',
        Step: 'SecutityPin',
        Reason: 'Invalid pin',
        Token: MODEL_INTERIM_TOKENS.securityPin,
      },
    },
  },
  {
    name: 'expecting verificationCode',
    event: done({
      state: 'expecting',
      next: 'verificationCode',
      step: 'VerificationCode',
      reason: 'Expecting confirmation code',
      interimToken: new Secret(MODEL_INTERIM_TOKENS.verificationCode),
    }),
    answer: {
      kind: 'respond',
      status: 202,
      headers: { 'content-type': 'text/json' },
      body: JSON.stringify({
        State: 'Expecting',
        Step: 'VerificationCode',
        Reason: 'Expecting confirmation code',
        Token: MODEL_INTERIM_TOKENS.verificationCode,
      }),
    },
  },
  {
    name: 'expecting an unsupported step',
    event: done({
      state: 'expecting',
      next: 'unsupported',
      step: 'ChangePassword',
      reason: 'Your Password has expired and must be changed',
      interimToken: undefined,
    }),
    answer: {
      kind: 'respond',
      status: 202,
      body: {
        State: 'Expecting',
        Step: 'ChangePassword',
        Reason: 'Your Password has expired and must be changed',
        ConfirmationToken: 'confirm+model/token=',
      },
    },
  },
  {
    name: 'failed',
    event: done({ state: 'failed', step: 'BaseAuthentication', reason: 'Invalid credentials' }),
    answer: {
      kind: 'respond',
      status: 401,
      body: { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' },
    },
  },
  {
    name: 'network error',
    event: failure({ kind: 'network', message: 'the server could not be reached' }),
    answer: { kind: 'drop' },
  },
  {
    name: 'timeout',
    event: failure({ kind: 'timeout', message: 'no answer in time' }),
    answer: { kind: 'hang' },
  },
  {
    name: 'http error',
    event: failure({ kind: 'http', message: 'the server answered with HTTP 500', status: 500 }),
    answer: { kind: 'serverError' },
  },
  {
    name: 'protocol error',
    event: failure({ kind: 'protocol', message: 'the answer is not a JSON object', status: 200 }),
    answer: { kind: 'malformedJson', status: 200 },
  },
  {
    name: 'app key refused',
    event: failure({
      kind: 'appKey',
      message: 'the server refused the application key (HTTP 403)',
      status: 403,
    }),
    answer: {
      kind: 'respond',
      status: 403,
      body: { error: 'Application key is not defined or does not exist' },
    },
  },
  {
    name: 'rate limited',
    event: failure({
      kind: 'rateLimited',
      message: 'too many login attempts',
      status: 429,
      retryAfterMs: 2000,
    }),
    answer: { kind: 'rateLimited', retryAfter: '2' },
  },
];

/** The user events of the model: every event, with a valid and a refused payload where it has one. */
export const MODEL_USER_EVENTS: readonly EtnaAuthEvent[] = [
  { type: 'SUBMIT_CREDENTIALS', username: MODEL_USER.username, password: MODEL_USER.password },
  { type: 'SUBMIT_CREDENTIALS', username: MODEL_USER.username, password: '' },
  { type: 'SUBMIT_PIN', pin: MODEL_USER.pin },
  { type: 'SUBMIT_PIN', pin: '' },
  { type: 'SUBMIT_VERIFICATION_CODE', code: MODEL_USER.code },
  { type: 'SUBMIT_VERIFICATION_CODE', code: 'line\nbreak' },
  { type: 'CANCEL' },
  { type: 'RETRY' },
  { type: 'LOGOUT' },
];

/** What a UI shows after a step: the public part of the snapshot. */
export interface ModelExpectation {
  /** `idle`, `authenticating`, `expecting.securityPin`, … */
  readonly state: string;
  readonly busy: boolean;
  readonly username: string | undefined;
  readonly step: string | undefined;
  readonly reason: string | undefined;
  readonly failure: EtnaAuthFailure | undefined;
  /** `context.error` without its message (whose wording is not part of the contract). */
  readonly error: Omit<EtnaAuthErrorData, 'message'> | undefined;
  readonly hasToken: boolean;
}

export type ModelStep =
  | {
      readonly kind: 'user';
      readonly event: EtnaAuthEvent;
      /** When the event starts a `/token` request: what the fake server must answer it with. Inject it before sending. */
      readonly serverAnswer: FakeFault | undefined;
      readonly expected: ModelExpectation;
    }
  | { readonly kind: 'server'; readonly outcome: string; readonly expected: ModelExpectation };

export interface ModelPath {
  /** One line: the events in order. */
  readonly description: string;
  readonly steps: readonly ModelStep[];
}

export interface ModelPathsOptions {
  /**
   * The `maxSteps` of the machine the paths are run against.
   * @default 2
   */
  readonly maxSteps?: number;
}

/** What a set of paths covers of the machine, measured by replaying them through it. */
export interface ModelCoverage {
  /** Every state node of the machine, by id (`etnaAuth.expecting.securityPin`). */
  readonly stateNodes: readonly string[];
  /** Every transition definition of the machine, as `source --EVENT [branch]--> target`. */
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

type Snapshot = AnyMachineSnapshot & { context: EtnaAuthContext };

/** A stable name for one transition definition: its source, event, guard branch and target. */
export function transitionName(transition: AnyTransitionDefinition): string {
  const branches = transition.source.transitions.get(transition.eventType) ?? [];
  const branch = branches.length > 1 ? ` [${branches.indexOf(transition) + 1}/${branches.length}]` : '';
  const target = transition.target?.map((node: AnyStateNode) => node.id).join(',') ?? '(stays)';
  return `${transition.source.id} --${transition.eventType}${branch}--> ${target}`;
}

function allTransitions(root: AnyStateNode): AnyTransitionDefinition[] {
  return [root, ...getStateNodes(root)].flatMap((node) => [...node.transitions.values()].flat());
}

function stateValueName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? ['', ''];
  return `${key}.${stateValueName(child)}`;
}

/** The expectation a snapshot of the model implies. */
export function expectationOf(snapshot: Snapshot): ModelExpectation {
  const { context } = snapshot;
  let error: ModelExpectation['error'];
  if (context.error) {
    const { message: _message, ...rest } = context.error;
    error = rest;
  }
  return {
    state: stateValueName(snapshot.value),
    busy: snapshot.hasTag('busy'),
    username: context.username,
    step: context.step,
    reason: context.reason,
    failure: context.failure,
    error,
    hasToken: snapshot.value === 'succeeded' && context.sessionToken !== undefined,
  };
}

function describeEvent(event: AnyEventObject): string {
  const outcome = MODEL_OUTCOMES.find((candidate) => candidate.event === event);
  if (outcome) return `server: ${outcome.name}`;
  const payload = Object.entries(event).filter(([key]) => key !== 'type');
  if (payload.length === 0) return event.type;
  const refused = payload.some(
    ([, value]) => value === '' || (typeof value === 'string' && value.includes('\n')),
  );
  return `${event.type}(${refused ? 'refused' : 'valid'})`;
}

function modelMachine(maxSteps: number) {
  return etnaAuthMachine.provide({
    guards: { tooManySteps: ({ context }) => context.stepCount >= maxSteps },
  });
}

type ModelMachine = ReturnType<typeof modelMachine>;

/** The coverage targets one event takes from one snapshot. */
function targetsTaken(machine: ModelMachine, snapshot: Snapshot, event: AnyEventObject): string[] {
  const at = `etnaAuth.${stateValueName(snapshot.value)}`;
  const taken = machine
    .getTransitionData(snapshot, event as EtnaAuthEvent)
    .map((t) => `${transitionName(t)} @ ${at}`);
  return taken.length ? [...taken, `event ${describeEvent(event)}`] : [];
}

function allTargets(machine: ModelMachine): string[] {
  const atomic = getStateNodes(machine.root).filter((node) => node.type === 'atomic');
  const targets = atomic.flatMap((node) => {
    const sources: AnyStateNode[] = [];
    for (let source: AnyStateNode | undefined = node; source; source = source.parent) sources.push(source);
    return sources.flatMap((source) =>
      [...source.transitions.values()].flat().map((t) => `${transitionName(t)} @ ${node.id}`),
    );
  });
  const events = [...MODEL_USER_EVENTS, ...MODEL_OUTCOMES.map((outcome) => outcome.event)];
  return [...targets, ...new Set(events.map((event) => `event ${describeEvent(event)}`))];
}

interface Edge {
  readonly from: string;
  readonly event: AnyEventObject;
  readonly to: string;
  readonly targets: string[];
}

/**
 * Paths through the shipped machine, generated from its graph with `xstate/graph`: the user's events and the
 * `/token` actor's outcomes are the events, and for every coverage target (see `ModelCoverage`) one shortest
 * path takes it. Each step says what the UI should show after it and, for an event that starts a request,
 * what the fake ETNA server must answer.
 */
export function getEtnaAuthPaths(options: ModelPathsOptions = {}): ModelPath[] {
  const machine = modelMachine(options.maxSteps ?? 2);
  const events = [...MODEL_USER_EVENTS, ...MODEL_OUTCOMES.map((outcome) => outcome.event)] as EtnaAuthEvent[];
  const adjacency = getAdjacencyMap(machine, {
    events,
    serializeState: (snapshot) => serialize(snapshot as Snapshot),
  });
  const snapshots = new Map<string, Snapshot>();
  const edges: Edge[] = [];
  for (const [from, entry] of Object.entries(adjacency)) {
    const state = entry.state as Snapshot;
    snapshots.set(from, state);
    for (const { event, state: next } of Object.values(entry.transitions) as {
      event: AnyEventObject;
      state: Snapshot;
    }[]) {
      edges.push({ from, event, to: serialize(next), targets: targetsTaken(machine, state, event) });
    }
  }

  // Breadth-first from the initial snapshot: the first edge that reaches a snapshot lies on a shortest path to it.
  const initial = Object.keys(adjacency)[0] as string;
  const parent = new Map<string, Edge | undefined>([[initial, undefined]]);
  const queue = [initial];
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head] as string;
    for (const edge of edges) {
      if (edge.from === from && !parent.has(edge.to)) {
        parent.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  const pathTo = (key: string): Edge[] => {
    const route: Edge[] = [];
    for (let edge = parent.get(key); edge; edge = parent.get(edge.from)) route.unshift(edge);
    return route;
  };

  const routes: Edge[][] = [];
  const covered = new Set<string>();
  const reachable = edges.filter((edge) => parent.has(edge.from));
  const depth = new Map(reachable.map((edge) => [edge, pathTo(edge.from).length]));
  reachable.sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0));
  for (const edge of reachable) {
    if (edge.targets.every((target) => covered.has(target))) continue;
    for (const target of edge.targets) covered.add(target);
    routes.push([...pathTo(edge.from), edge]);
  }
  return routes
    .filter((route, index) => !routes.some((other, at) => at !== index && isPrefix(route, other)))
    .map((route) => toModelPath(route, snapshots));
}

/** The model event a step stands for. */
export function modelEventOf(step: ModelStep): AnyEventObject {
  if (step.kind === 'user') return step.event;
  const outcome = MODEL_OUTCOMES.find((candidate) => candidate.name === step.outcome);
  if (!outcome) throw new Error(`unknown model outcome "${step.outcome}"`);
  return outcome.event;
}

/**
 * Replays `paths` through the machine (pure transitions, no I/O) and reports what they cover.
 * Throws if a step's expectation does not match what the machine does, so stale paths cannot pass.
 */
export function measureCoverage(paths: readonly ModelPath[], options: ModelPathsOptions = {}): ModelCoverage {
  const machine = modelMachine(options.maxSteps ?? 2);
  const coveredTargets = new Set<string>();
  const coveredTransitions = new Set<string>();
  const coveredNodes = new Set<string>();
  for (const path of paths) {
    let [snapshot] = initialTransition(machine);
    for (const node of snapshot._nodes) coveredNodes.add(node.id);
    for (const [index, step] of path.steps.entries()) {
      const event = modelEventOf(step) as EtnaAuthEvent;
      for (const target of targetsTaken(machine, snapshot as Snapshot, event)) coveredTargets.add(target);
      for (const t of machine.getTransitionData(snapshot, event)) coveredTransitions.add(transitionName(t));
      [snapshot] = transition(machine, snapshot, event);
      for (const node of snapshot._nodes) coveredNodes.add(node.id);
      const actual = JSON.stringify(expectationOf(snapshot as Snapshot));
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

function isPrefix(route: Edge[], other: Edge[]): boolean {
  return route.length < other.length && route.every((edge, index) => edge === other[index]);
}

function toModelPath(route: Edge[], snapshots: Map<string, Snapshot>): ModelPath {
  const steps: ModelStep[] = route.map((edge, index) => {
    const expected = expectationOf(snapshots.get(edge.to) as Snapshot);
    const outcome = MODEL_OUTCOMES.find((candidate) => candidate.event === edge.event);
    if (outcome) return { kind: 'server', outcome: outcome.name, expected };
    const following = route[index + 1];
    const nextOutcome = following && MODEL_OUTCOMES.find((candidate) => candidate.event === following.event);
    const startsRequest = expected.state === 'authenticating';
    return {
      kind: 'user',
      event: edge.event as EtnaAuthEvent,
      serverAnswer: startsRequest ? (nextOutcome?.answer ?? { kind: 'hang' }) : undefined,
      expected,
    };
  });
  return { description: route.map((edge) => describeEvent(edge.event)).join(' → '), steps };
}

function serialize(snapshot: Snapshot): string {
  return JSON.stringify({ value: snapshot.value, context: snapshot.context });
}
