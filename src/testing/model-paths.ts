import type { AnyEventObject, AnyMachineSnapshot, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { assign, initialTransition, transition } from 'xstate';
import { getAdjacencyMap, getStateNodes } from 'xstate/graph';
import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import { headerValueProblem } from '../contract/header-value.js';
import { Secret } from '../contract/secret.js';
import { DEFAULT_SESSION_LIFETIME_MS } from '../contract/session.js';
import type { TokenAnswer } from '../contract/token-request.js';
import { etnaAuthMachine, LOGOUT_ID, REQUEST_TOKEN_ID } from '../machine/etna-auth-machine.js';
import type { EtnaAuthContext, EtnaAuthEvent, EtnaAuthFailure } from '../machine/types.js';
import type { FakeEtnaServer, FakeFault } from './fake-etna-server.js';

/** The values the model's user types; a test UI should accept them. */
export const MODEL_USER = {
  username: 'model-user',
  password: 'model-password',
  pin: '2468',
  code: '135790',
} as const;

/** Which fake-server route answers a request: `POST /token` or `POST /logout`. */
export type ModelEndpoint = 'token' | 'logout';

/**
 * A server answer of the model: the event the machine sees, and the fake-server fault that produces it
 * over HTTP at `endpoint`.
 */
export interface ModelOutcome {
  readonly name: string;
  readonly endpoint: ModelEndpoint;
  readonly event: AnyEventObject;
  readonly answer: FakeFault;
}

const done = (output: TokenAnswer) => ({ type: `xstate.done.actor.${REQUEST_TOKEN_ID}`, output });
const failure = (error: EtnaAuthErrorData) => ({ type: `xstate.error.actor.${REQUEST_TOKEN_ID}`, error });

const PASSWORD_EXPIRED = 'Your Password has expired and must be changed';

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
    endpoint: 'token',
    name: 'succeeded',
    event: done({ state: 'succeeded', token: new Secret(MODEL_SESSION_TOKEN) }),
    answer: { kind: 'respond', status: 200, body: { State: 'Succeeded', Token: MODEL_SESSION_TOKEN } },
  },
  {
    endpoint: 'token',
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
    endpoint: 'token',
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
    endpoint: 'token',
    name: 'expecting an unsupported step',
    event: done({
      state: 'expecting',
      next: 'unsupported',
      step: 'SecurityQuestion',
      reason: 'Answer your security question',
      interimToken: undefined,
    }),
    answer: {
      kind: 'respond',
      status: 202,
      body: {
        State: 'Expecting',
        Step: 'SecurityQuestion',
        Reason: 'Answer your security question',
        Token: 'question+model/token=',
      },
    },
  },
  {
    endpoint: 'token',
    name: 'password expired (401 Failed)',
    event: done({ state: 'failed', step: 'BaseAuthentication', reason: PASSWORD_EXPIRED }),
    answer: {
      kind: 'respond',
      status: 401,
      body: { State: 'Failed', Step: 'BaseAuthentication', Reason: PASSWORD_EXPIRED },
    },
  },
  {
    endpoint: 'token',
    name: 'password expired (202 Expecting)',
    event: done({
      state: 'expecting',
      next: 'unsupported',
      step: 'ChangePassword',
      reason: PASSWORD_EXPIRED,
      interimToken: undefined,
    }),
    answer: {
      kind: 'respond',
      status: 202,
      body: {
        State: 'Expecting',
        Step: 'ChangePassword',
        Reason: PASSWORD_EXPIRED,
        ConfirmationToken: 'confirm+model/token=',
      },
    },
  },
  {
    endpoint: 'token',
    name: 'PIN not initialized',
    event: done({ state: 'failed', step: 'SecutityPin', reason: 'PIN code is not init' }),
    answer: {
      kind: 'respond',
      status: 401,
      body: { State: 'Failed', Step: 'SecutityPin', Reason: 'PIN code is not init' },
    },
  },
  {
    endpoint: 'token',
    name: 'failed',
    event: done({ state: 'failed', step: 'BaseAuthentication', reason: 'Invalid credentials' }),
    answer: {
      kind: 'respond',
      status: 401,
      body: { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' },
    },
  },
  {
    endpoint: 'token',
    name: 'network error',
    event: failure({ kind: 'network', message: 'the server could not be reached' }),
    answer: { kind: 'drop' },
  },
  {
    endpoint: 'token',
    name: 'timeout',
    event: failure({ kind: 'timeout', message: 'no answer in time' }),
    answer: { kind: 'hang' },
  },
  {
    endpoint: 'token',
    name: 'http error',
    event: failure({ kind: 'http', message: 'the server answered with HTTP 500', status: 500 }),
    answer: { kind: 'serverError' },
  },
  {
    endpoint: 'token',
    name: 'protocol error',
    event: failure({ kind: 'protocol', message: 'the answer is not a JSON object', status: 200 }),
    answer: { kind: 'malformedJson', status: 200 },
  },
  {
    endpoint: 'token',
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
    endpoint: 'token',
    name: 'rate limited',
    event: failure({
      kind: 'rateLimited',
      message: 'too many login attempts',
      status: 429,
      retryAfterMs: 2000,
    }),
    answer: { kind: 'rateLimited', retryAfter: '2' },
  },
  {
    endpoint: 'logout',
    name: 'logout confirmed',
    event: { type: `xstate.done.actor.${LOGOUT_ID}`, output: undefined },
    answer: { kind: 'respond', status: 200, body: {} },
  },
  {
    endpoint: 'logout',
    name: 'logout failed',
    event: {
      type: `xstate.error.actor.${LOGOUT_ID}`,
      error: { kind: 'http', message: 'the server answered with HTTP 500', status: 500 },
    },
    answer: { kind: 'serverError' },
  },
];

/** How a session ends without the user: `expired` (its lifetime passed) or `revoked` (the API answered 401). */
export type ModelSessionEnd = 'expired' | 'revoked';

/** The events of the session's ends, as the machine sees them. */
export const MODEL_SESSION_EVENTS: Readonly<Record<ModelSessionEnd, AnyEventObject>> = {
  expired: { type: 'SESSION_EXPIRED' },
  revoked: { type: 'SESSION_REVOKED' },
};

/** The session a restored path starts with, as `persist` stores it: run it with `storeModelSession`. */
export function modelStoredSession(expiresAt: number): string {
  return JSON.stringify({ token: MODEL_SESSION_TOKEN, expiresAt });
}

/** A user event of the model, its secrets as the plain strings a person types into a form. */
export type ModelUserEvent =
  | { readonly type: 'SUBMIT_CREDENTIALS'; readonly username: string; readonly password: string }
  | { readonly type: 'SUBMIT_PIN'; readonly pin: string }
  | { readonly type: 'SUBMIT_VERIFICATION_CODE'; readonly code: string }
  | { readonly type: 'CANCEL' }
  | { readonly type: 'RETRY' }
  | { readonly type: 'LOGOUT' };

/** The user events of the model: every event, with a valid and a refused payload where it has one. */
export const MODEL_USER_EVENTS: readonly ModelUserEvent[] = [
  { type: 'SUBMIT_CREDENTIALS', username: MODEL_USER.username, password: MODEL_USER.password },
  { type: 'SUBMIT_CREDENTIALS', username: MODEL_USER.username, password: '' },
  { type: 'SUBMIT_PIN', pin: MODEL_USER.pin },
  { type: 'SUBMIT_PIN', pin: '' },
  { type: 'SUBMIT_VERIFICATION_CODE', code: MODEL_USER.code },
  // Full-width digits, as an IME types them: a person can enter them, and an HTTP header cannot carry them.
  { type: 'SUBMIT_VERIFICATION_CODE', code: '１３５７９０' },
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

/** What the fake server must answer the request a user step starts; `injectServerAnswer` queues it. */
export interface ModelServerAnswer {
  readonly endpoint: ModelEndpoint;
  readonly fault: FakeFault;
}

export type ModelStep =
  | {
      readonly kind: 'user';
      readonly event: ModelUserEvent;
      /** When the event starts a request (`/token`, or `/logout` on LOGOUT): its answer. Inject it before sending. */
      readonly serverAnswer: ModelServerAnswer | undefined;
      readonly expected: ModelExpectation;
    }
  | { readonly kind: 'server'; readonly outcome: string; readonly expected: ModelExpectation }
  /**
   * The session ends without the user: for `expired`, advance the clock by the session lifetime; for
   * `revoked`, call the API through `createEtnaClient` and let the 401 end it.
   */
  | { readonly kind: 'session'; readonly end: ModelSessionEnd; readonly expected: ModelExpectation };

/** Where a path starts: a fresh actor, or one created with `persist` holding a valid stored session. */
export type ModelStart = 'fresh' | 'restored';

export interface ModelPath {
  /** One line: the events in order. */
  readonly description: string;
  readonly start: ModelStart;
  /** What the UI shows before the first step (for `restored`: already logged in). */
  readonly initial: ModelExpectation;
  readonly steps: readonly ModelStep[];
}

/** Queues a user step's server answer at the fake server's `/token` or `/logout`; does nothing for other steps. */
export function injectServerAnswer(
  server: Pick<FakeEtnaServer, 'inject' | 'injectLogout'>,
  step: ModelStep,
): void {
  if (step.kind !== 'user' || !step.serverAnswer) return;
  const { endpoint, fault } = step.serverAnswer;
  if (endpoint === 'logout') server.injectLogout(fault);
  else server.inject(fault);
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

type Snapshot = AnyMachineSnapshot & { context: EtnaAuthContext };

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

function allTransitions(root: AnyStateNode): AnyTransitionDefinition[] {
  return [root, ...getStateNodes(root)].flatMap(transitionsOf);
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

function sessionEndOf(event: AnyEventObject): ModelSessionEnd | undefined {
  return (Object.keys(MODEL_SESSION_EVENTS) as ModelSessionEnd[]).find(
    (end) => MODEL_SESSION_EVENTS[end] === event,
  );
}

function describeEvent(event: AnyEventObject): string {
  const outcome = MODEL_OUTCOMES.find((candidate) => candidate.event === event);
  if (outcome) return `server: ${outcome.name}`;
  const end = sessionEndOf(event);
  if (end) return `session: ${end}`;
  const payload = Object.entries(event).filter(([key]) => key !== 'type');
  if (payload.length === 0) return event.type;
  const refused = payload.some(([field, value]) => headerValueProblem(field, value) !== undefined);
  return `${event.type}(${refused ? 'refused' : 'valid'})`;
}

function modelMachine(maxSteps: number, start: ModelStart) {
  return etnaAuthMachine.provide({
    guards: { tooManySteps: ({ context }) => context.stepCount >= maxSteps },
    actions:
      start === 'restored'
        ? {
            restoreSession: assign({
              sessionToken: () => new Secret(MODEL_SESSION_TOKEN),
              sessionExpiresAt: () => Date.now() + DEFAULT_SESSION_LIFETIME_MS,
            }),
          }
        : {},
  });
}

type ModelMachine = ReturnType<typeof modelMachine>;

const STARTS: readonly ModelStart[] = ['fresh', 'restored'];

/** The eventless transitions the initial snapshot took: from the declared initial state to where it settled. */
function initialTargets(machine: ModelMachine, snapshot: Snapshot): string[] {
  const initial = machine.root.initial?.target?.[0];
  if (!initial || snapshot._nodes.includes(initial)) return [];
  return (initial.always ?? [])
    .filter((t: AnyTransitionDefinition) => t.target?.some((node) => snapshot._nodes.includes(node)))
    .flatMap((t: AnyTransitionDefinition) => [transitionName(t), `${transitionName(t)} @ ${initial.id}`]);
}

/** Every event of the model: the user's, the servers' answers, and the session's ends. */
const MODEL_EVENTS: readonly AnyEventObject[] = [
  ...MODEL_USER_EVENTS,
  ...MODEL_OUTCOMES.map((outcome) => outcome.event),
  ...Object.values(MODEL_SESSION_EVENTS),
];

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
    const names: string[] = [];
    // An unguarded transition of a state hides its ancestors' transitions on the same event.
    const hidden = new Set<string>();
    for (let source: AnyStateNode | undefined = node; source; source = source.parent) {
      const available = transitionsOf(source).filter((t) => !hidden.has(t.eventType));
      names.push(...available.map((t) => `${transitionName(t)} @ ${node.id}`));
      for (const t of available) if (!t.guard) hidden.add(t.eventType);
    }
    return names;
  });
  return [...targets, ...new Set(MODEL_EVENTS.map((event) => `event ${describeEvent(event)}`))];
}

interface Edge {
  readonly start: ModelStart;
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
  const maxSteps = options.maxSteps ?? 2;
  const events = [...MODEL_EVENTS] as EtnaAuthEvent[];
  const snapshots = new Map<string, Snapshot>();
  const edges: Edge[] = [];
  const initials = new Map<string, ModelStart>();
  const machines = new Map(STARTS.map((start) => [start, modelMachine(maxSteps, start)]));
  for (const [start, machine] of machines) {
    const adjacency = getAdjacencyMap(machine, {
      events,
      serializeState: (snapshot) => serialize(snapshot as Snapshot, start),
    });
    initials.set(Object.keys(adjacency)[0] as string, start);
    for (const [from, entry] of Object.entries(adjacency)) {
      const state = entry.state as Snapshot;
      snapshots.set(from, state);
      for (const { event, state: next } of Object.values(entry.transitions) as {
        event: AnyEventObject;
        state: Snapshot;
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

  // Breadth-first from each start's initial snapshot: the first edge that reaches a snapshot lies on a shortest path to it.
  const parent = new Map<string, Edge | undefined>([...initials.keys()].map((key) => [key, undefined]));
  const edgesFrom = new Map<string, Edge[]>();
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
  const pathTo = (key: string): Edge[] => {
    const route: Edge[] = [];
    for (let edge = parent.get(key); edge; edge = parent.get(edge.from)) route.unshift(edge);
    return route;
  };

  const routes: Edge[][] = [];
  const covered = new Set<string>();
  // A path from a restored start also takes the eventless transition that restored it.
  const startTargets = new Map(
    [...initials].map(([key, start]) => [
      key,
      initialTargets(machines.get(start) as ModelMachine, snapshots.get(key) as Snapshot),
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
  return routes
    .filter((route, index) => !routes.some((other, at) => at !== index && isPrefix(route, other)))
    .map((route) => toModelPath(route, snapshots, initials));
}

/** The model event a step stands for. */
export function modelEventOf(step: ModelStep): AnyEventObject {
  if (step.kind === 'user') return step.event;
  if (step.kind === 'session') return MODEL_SESSION_EVENTS[step.end];
  const outcome = MODEL_OUTCOMES.find((candidate) => candidate.name === step.outcome);
  if (!outcome) throw new Error(`unknown model outcome "${step.outcome}"`);
  return outcome.event;
}

/**
 * Replays `paths` through the machine (pure transitions, no I/O) and reports what they cover.
 * Throws if a step's expectation does not match what the machine does, so stale paths cannot pass.
 */
export function measureCoverage(paths: readonly ModelPath[], options: ModelPathsOptions = {}): ModelCoverage {
  const maxSteps = options.maxSteps ?? 2;
  const machines = new Map(STARTS.map((start) => [start, modelMachine(maxSteps, start)]));
  const machine = machines.get('fresh') as ModelMachine;
  const coveredTargets = new Set<string>();
  const coveredTransitions = new Set<string>();
  const coveredNodes = new Set<string>();
  for (const path of paths) {
    const pathMachine = machines.get(path.start) as ModelMachine;
    let [snapshot] = initialTransition(pathMachine);
    for (const node of snapshot._nodes) coveredNodes.add(node.id);
    for (const name of initialTargets(pathMachine, snapshot as Snapshot)) {
      (name.includes(' @ ') ? coveredTargets : coveredTransitions).add(name);
    }
    const initial = JSON.stringify(expectationOf(snapshot as Snapshot));
    if (initial !== JSON.stringify(path.initial)) {
      throw new Error(
        `path "${path.description}": expected to start at ${JSON.stringify(path.initial)}, the machine starts at ${initial}`,
      );
    }
    for (const [index, step] of path.steps.entries()) {
      const event = modelEventOf(step) as EtnaAuthEvent;
      for (const target of targetsTaken(pathMachine, snapshot as Snapshot, event)) coveredTargets.add(target);
      for (const t of pathMachine.getTransitionData(snapshot, event))
        coveredTransitions.add(transitionName(t));
      [snapshot] = transition(pathMachine, snapshot, event);
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

function toModelPath(
  route: Edge[],
  snapshots: Map<string, Snapshot>,
  initials: Map<string, ModelStart>,
): ModelPath {
  const startKey = route[0]?.from as string;
  const steps: ModelStep[] = route.map((edge, index) => {
    const expected = expectationOf(snapshots.get(edge.to) as Snapshot);
    const outcome = MODEL_OUTCOMES.find((candidate) => candidate.event === edge.event);
    if (outcome) return { kind: 'server', outcome: outcome.name, expected };
    const end = sessionEndOf(edge.event);
    if (end) return { kind: 'session', end, expected };
    const following = route[index + 1];
    const nextOutcome = following && MODEL_OUTCOMES.find((candidate) => candidate.event === following.event);
    const endpoint: ModelEndpoint | undefined =
      expected.state === 'authenticating' ? 'token' : expected.state === 'loggingOut' ? 'logout' : undefined;
    return {
      kind: 'user',
      event: edge.event as ModelUserEvent,
      serverAnswer: endpoint && { endpoint, fault: nextOutcome?.answer ?? { kind: 'hang' } },
      expected,
    };
  });
  const start = initials.get(startKey) ?? 'fresh';
  const events = route.map((edge) => describeEvent(edge.event)).join(' → ');
  return {
    description: start === 'restored' ? `(restored) → ${events}` : events,
    start,
    initial: expectationOf(snapshots.get(startKey) as Snapshot),
    steps,
  };
}

function serialize(snapshot: Snapshot, start: ModelStart): string {
  // The expiry is a clock reading, not a state: two snapshots differing only there are the same.
  const { sessionExpiresAt: _expiresAt, ...context } = snapshot.context;
  return JSON.stringify({ start, value: snapshot.value, context });
}
