// One race's world: the real actor and its ky services, the fake ETNA server over loopback holding every request
// until a scheduled task answers it (requests.ts), a simulated clock that Date.now() follows (clock.ts), a storage
// shared with another tab (storage.ts), and the app's API client. Each task runs, the world settles (every request
// at the server, every answer read, every abort seen), then the invariants are checked (invariants.ts).
import type { Scheduler } from 'fast-check';
import { type Actor, createActor } from 'xstate';
import { createEtnaClient } from '../../../src/client/index.js';
import { createEtnaAuthMachine, DEFAULT_PERSIST_KEY, type EtnaAuthMachine } from '../../../src/index.js';
import {
  type FakeEtnaServer,
  type FakeFault,
  MODEL_SESSION_TOKEN,
  MODEL_USER,
  type RecordedRequest,
  startFakeEtnaServer,
  stateValueName,
} from '../../../src/testing/index.js';
import { raceClock } from './clock.js';
import {
  checkAtEnd,
  checkEnded,
  checkSecrets,
  checkSnapshot,
  checkStep,
  fingerprint,
  type KNOWN_DEFECTS,
  RaceViolation,
  type Snapshot,
} from './invariants.js';
import {
  type ApiAnswer,
  answerLabel,
  clockLabel,
  type HeldRoute,
  otherTabLogin,
  RACE_TIMINGS,
  RACE_USER_EVENTS,
  type RaceStart,
  SERVER_ANSWERS,
  type ServerAnswer,
  STARTING_SESSIONS,
  type UserAction,
  userActionLabel,
  type WorldAction,
  withFreshToken,
  worldActionLabel,
} from './menus.js';
import { count, describeSnapshot, type RaceStats } from './report.js';
import { RaceRequests, type Sent } from './requests.js';
import { RaceStorage } from './storage.js';

/** How long the world may take to settle after a task before the race calls it stuck (real time). */
const SETTLE_LIMIT_MS = 3_000;

/** One task of a race. */
export type RaceTask =
  | { readonly kind: 'user'; readonly action: UserAction }
  | { readonly kind: 'world'; readonly action: WorldAction }
  | {
      readonly kind: 'answer';
      readonly sent: Sent;
      readonly answer: ServerAnswer;
      readonly release: (fault: FakeFault) => void;
    }
  | { readonly kind: 'notice'; readonly write: string }
  /** A storage that answers later answers its oldest call. */
  | { readonly kind: 'storage' }
  /** A timer set to fire at once fires. */
  | { readonly kind: 'timer' }
  | { readonly kind: 'end' };

type Event = Parameters<Actor<EtnaAuthMachine>['send']>[0];

/** What a task did that the invariants read: the path's line for it, and the one user event it sent. */
interface Done {
  readonly label?: string;
  readonly event?: Event;
  readonly can?: boolean;
}

export class RaceWorld {
  readonly steps: string[] = [];
  failure: RaceViolation | undefined;
  /** Known defects met on the way (see `KNOWN_DEFECTS`), each with the step that met it. */
  readonly known: { readonly id: keyof typeof KNOWN_DEFECTS; readonly step: number }[] = [];
  /** Known defects fail the race too (RACES_STRICT=1). */
  strict = false;
  /** Every session token of the race, by the user it belongs to. */
  readonly owners = new Map<string, string>(Object.entries(STARTING_SESSIONS));
  private readonly clock = raceClock(() => this.schedule({ kind: 'timer' }));
  private readonly storage = new RaceStorage(() => this.schedule({ kind: 'storage' }));
  private readonly requests: RaceRequests;
  private actor!: Actor<EtnaAuthMachine>;
  private client!: ReturnType<typeof createEtnaClient>;
  private apiAnswer: FakeFault | undefined;
  private current = -1;
  private lastUser: string | undefined;
  private lastSnapshot: Snapshot | undefined;
  private idleInStep = false;
  /** The sessions this tab ended, and why: none may be taken again. */
  private readonly ended = new Map<string, string>();
  private readonly unreleased = new Set<(fault: FakeFault) => void>();

  private constructor(
    private readonly server: FakeEtnaServer,
    private readonly scheduler: Scheduler,
    private readonly answers: readonly number[],
    private readonly stats: RaceStats,
  ) {
    this.requests = new RaceRequests(server, (sent, request) => this.arrived(sent, request));
  }

  /** Date.now() as the race's clock has it. */
  now(): number {
    return this.clock.now();
  }

  static async start(
    scheduler: Scheduler,
    start: RaceStart,
    answers: readonly number[],
    stats: RaceStats,
    useClock: (now: () => number) => void,
  ): Promise<RaceWorld> {
    const world = new RaceWorld(await startFakeEtnaServer(), scheduler, answers, stats);
    useClock(() => world.now());
    const { storage } = world;
    if (start === 'restored' || start === 'restoring a session') {
      const expiresAt = world.now() + RACE_TIMINGS.sessionLifetime;
      const stored = { token: MODEL_SESSION_TOKEN, expiresAt, username: MODEL_USER.username };
      storage.own.setItem(DEFAULT_PERSIST_KEY, JSON.stringify(stored));
    }
    storage.failNextRead = start === 'restoring, the read fails';
    const context = () => {
      const { sessionToken, sessionExpiresAt } = world.actor.getSnapshot().context;
      const held = { token: sessionToken?.reveal(), expiresAt: sessionExpiresAt };
      return { task: world.current, at: world.now(), held };
    };
    const machine = createEtnaAuthMachine({
      baseUrl: world.server.url,
      appKey: world.server.appKey,
      fetch: world.requests.tracked('machine', context),
      // Every request is held until a task answers it: the timeout must never be what ends one.
      timeout: 60_000,
      maxSteps: 3,
      ...RACE_TIMINGS,
      slidingSession: true,
      persist: start.startsWith('restoring') ? storage.later() : storage.own,
    });
    world.actor = createActor(machine, {
      clock: world.clock,
      // Whether the chart passed idle inside a step, where no snapshot shows it.
      inspect: (event) => {
        const { snapshot } = event as { snapshot?: Snapshot };
        if (event.type === '@xstate.microstep' && event.actorRef === world.actor && snapshot?.matches('idle'))
          world.idleInStep = true;
      },
    });
    world.actor.subscribe({ next: (snapshot) => world.observe(snapshot), error: () => {} });
    world.actor.start();
    world.observe(world.actor.getSnapshot());
    world.client = createEtnaClient(world.actor, { fetch: world.requests.tracked('app', context) });
    world.steps.push(`start: ${start} → ${describeSnapshot(world.actor.getSnapshot())}`);
    return world;
  }

  /** A request at the server: the app's API call is answered at once; the tab's waits for a task of its own. */
  private arrived(sent: Sent, request: RecordedRequest): Promise<FakeFault | undefined> {
    if (sent.route === 'api') {
      sent.released = true;
      return Promise.resolve(this.apiAnswer ?? { kind: 'drop' });
    }
    const route = sent.route as HeldRoute;
    const menu = SERVER_ANSWERS[route];
    const arrival = this.requests.sent.filter((other) => other.route && other.route !== 'api').length - 1;
    const chosen = menu[(this.answers[arrival] ?? 0) % menu.length] as ServerAnswer;
    // Each login its own session token, owned by the user whose credentials it answers.
    const token = `session+race/${sent.id}=`;
    const answer = { ...chosen, fault: withFreshToken(chosen.fault, token) };
    if (answer.fault !== chosen.fault) this.owners.set(token, request.header('username') ?? '(nobody)');
    return new Promise((resolve) => {
      const release = (fault: FakeFault) => {
        this.unreleased.delete(release);
        resolve(fault);
      };
      this.unreleased.add(release);
      this.schedule({ kind: 'answer', sent, answer, release });
    });
  }

  /** Puts a task in the scheduler: it runs, and the world settles, before the scheduler picks the next one. */
  schedule(task: RaceTask): void {
    void this.scheduler.schedule(Promise.resolve(), this.labelOf(task), undefined, async (trigger) => {
      await trigger();
      await this.run(task);
    });
  }

  labelOf(task: RaceTask): string {
    switch (task.kind) {
      case 'user':
        return userActionLabel(task.action);
      case 'world':
        return worldActionLabel(task.action);
      case 'answer':
        return answerLabel(task.sent.route as HeldRoute, task.answer);
      case 'notice':
        return `other tab: its notice of "${task.write}" reaches this tab`;
      case 'storage':
        return 'storage: answers its oldest call';
      case 'timer':
        return 'clock: a timer due now fires';
      case 'end':
        return 'clock: past every timer';
    }
  }

  /** Every snapshot the actor emits: its secrets, its user, the sessions it ended. */
  private observe(snapshot: Snapshot): void {
    if (this.failure) return;
    try {
      const previous = this.lastSnapshot;
      this.lastSnapshot = snapshot;
      this.lastUser = checkSnapshot(snapshot, this.lastUser, this.idleInStep, this.owners);
      checkEnded(previous, snapshot, this.ended);
    } catch (error) {
      this.fail(error);
      if (error instanceof RaceViolation && error.known) this.lastUser = undefined;
    }
    this.idleInStep = false;
  }

  /** The first violation ends the race; a known defect, reported and waiting for its fix, is counted instead. */
  private fail(error: unknown): void {
    const violation =
      error instanceof RaceViolation ? error : new RaceViolation(`the race broke: ${String(error)}`);
    if (violation.known && !this.strict) this.known.push({ id: violation.known, step: this.current });
    else this.failure ??= violation;
  }

  /** One task, the world settled after it, and every invariant checked. */
  async run(task: RaceTask): Promise<void> {
    if (this.failure) return;
    this.stats.tasks++;
    if (this.scheduler.count() > 0) this.stats.choices++;
    this.current = this.steps.length;
    const before = this.actor.getSnapshot();
    const fingerprintBefore = fingerprint(before);
    const { sent } = this.requests;
    const firstNew = sent.length;
    const liveBefore = this.requests.live();
    let label = this.labelOf(task);
    try {
      const done = await this.perform(task, before);
      label = done.label ?? label;
      await this.settle();
      const after = this.actor.getSnapshot();
      this.steps.push(`${label} → ${describeSnapshot(after)}`);
      checkSecrets(after, this.owners.keys(), this.actor.getPersistedSnapshot());
      checkStep({
        task,
        before,
        after,
        changed: fingerprint(after) !== fingerprintBefore,
        event: done.event,
        can: done.can,
        fresh: sent.slice(firstNew),
        liveBefore,
        liveAfter: this.requests.live(),
        now: this.now(),
        owners: this.owners,
      });
      count(this.stats, task, before, after, done.event);
    } catch (error) {
      if (this.steps.length === this.current)
        this.steps.push(`${label} → ${describeSnapshot(this.actor.getSnapshot())}`);
      this.fail(error);
    }
  }

  private async perform(task: RaceTask, before: Snapshot): Promise<Done> {
    switch (task.kind) {
      case 'user':
        return this.performUser(task.action, before);
      case 'world':
        return this.performWorld(task.action);
      case 'answer':
        task.sent.released = true;
        task.release(task.answer.fault);
        return task.sent.aborted ? { label: `${this.labelOf(task)}, to a request its client gave up` } : {};
      case 'notice':
        this.storage.deliver();
        return {};
      case 'storage':
        return { label: `storage: ${this.storage.answerOldest()}` };
      case 'timer':
        this.clock.advance(0);
        return {};
      case 'end': {
        const left = (this.clock.untilLast() ?? -1) + 1;
        this.clock.advance(left);
        return { label: `clock: past every timer (${clockLabel(left).slice('clock: '.length)})` };
      }
    }
  }

  private performUser(action: UserAction, before: Snapshot): Done {
    if (action.kind === 'wait') {
      this.clock.advance(action.ms);
      return {};
    }
    if (action.kind === 'twice') {
      this.actor.send(action.user.event);
      this.actor.send(action.user.event);
      return {};
    }
    const offered =
      action.kind === 'send'
        ? [action.user]
        : RACE_USER_EVENTS.filter((user) => !user.refused && before.can(user.event));
    const user = offered[action.kind === 'send' ? 0 : action.pick % Math.max(offered.length, 1)];
    if (!user) return { label: 'user: (the screen offers nothing)' };
    const can = before.can(user.event);
    this.actor.send(user.event);
    const label = `user: ${user.name}${action.kind === 'offered' ? ' (offered)' : ''}`;
    return { label, event: user.event, can };
  }

  private async performWorld(action: WorldAction): Promise<Done> {
    if (action.kind === 'clock') {
      this.clock.advance(action.ms);
      return {};
    }
    if (action.kind === 'api') return this.callApi(action.status);
    const { other } = this.storage;
    if (action.write === 'logout') other.removeItem(DEFAULT_PERSIST_KEY);
    else if (action.write !== 'moves the end') {
      const login = otherTabLogin(action.write, this.now(), this.steps.length);
      this.owners.set(login.token, login.username);
      other.setItem(DEFAULT_PERSIST_KEY, login.stored);
    } else {
      const stored = other.getItem(DEFAULT_PERSIST_KEY);
      if (stored === null) return { label: 'other tab: moves the end (nothing stored)' };
      const expiresAt = this.now() + RACE_TIMINGS.sessionLifetime;
      other.setItem(DEFAULT_PERSIST_KEY, JSON.stringify({ ...JSON.parse(stored), expiresAt }));
    }
    this.schedule({ kind: 'notice', write: action.write });
    return {};
  }

  private async callApi(status: ApiAnswer): Promise<Done> {
    const denied = { Message: 'Authorization has been denied for this request.' };
    this.apiAnswer = { kind: 'respond', status, body: status === 200 ? { Id: 1 } : denied };
    const outcome = await this.client.get('v1.0/users/@me/info').then(
      () => 'answered',
      (error: { name?: string; code?: string }) => error.code ?? error.name ?? 'failed',
    );
    return { label: `app: API call, answered ${status} → ${outcome}` };
  }

  /** Waits until every request is at the server, every answer read and every abort seen: then the next task may run. */
  private async settle(): Promise<void> {
    const limit = performance.now() + SETTLE_LIMIT_MS;
    for (let calm = 0; calm < 3; ) {
      await new Promise((resolve) => setImmediate(resolve));
      const snapshot = this.actor.getSnapshot();
      const why = this.requests.unsettled(snapshot.hasTag('busy'), stateValueName(snapshot.value));
      calm = why === undefined ? calm + 1 : 0;
      if (why !== undefined && performance.now() > limit)
        throw new RaceViolation(`the tab never settles: ${why}`);
    }
  }

  /** After the last task: nothing left busy, and the storage agrees with the tab. */
  checkEnd(): void {
    if (this.failure) return;
    try {
      checkAtEnd(
        this.actor.getSnapshot(),
        this.storage.own.getItem(DEFAULT_PERSIST_KEY),
        this.owners,
        this.ended,
      );
    } catch (error) {
      this.fail(error);
    }
  }

  /** The readable path of the race (up to a step), one line per task. */
  path(upTo = this.steps.length - 1): string {
    return this.steps
      .slice(0, upTo + 1)
      .map((step, index) => `  ${String(index).padStart(2)}. ${step}`)
      .join('\n');
  }

  async close(): Promise<void> {
    this.actor.stop();
    for (const release of [...this.unreleased]) release({ kind: 'drop' });
    await this.server.close();
  }
}
