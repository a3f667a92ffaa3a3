// What must hold after every task of a race, and in every snapshot the actor emits.
import type { SnapshotFrom } from 'xstate';
import { sameLogin } from '../../../src/contract/input-rules.js';
import type { EtnaAuthMachine } from '../../../src/index.js';
import { CANARIES } from './menus.js';
import type { Sent } from './requests.js';
import type { RaceTask } from './world.js';

export type Snapshot = SnapshotFrom<EtnaAuthMachine>;

/**
 * Defects the races found in code this test does not own, reported and waiting for their fix: a race that meets
 * one counts it and goes on (RACES_STRICT=1 fails on it), and races.test.ts pins each with its shrunk path.
 */
export const KNOWN_DEFECTS: Readonly<Record<string, string>> = {};

/** An invariant that did not hold; `known` names it when it is one of `KNOWN_DEFECTS`. */
export class RaceViolation extends Error {
  override readonly name = 'RaceViolation';
  constructor(
    message: string,
    readonly known?: keyof typeof KNOWN_DEFECTS,
  ) {
    super(message);
  }
}

/** What a task did, as the invariants read it. */
export interface StepFacts {
  readonly task: RaceTask;
  readonly before: Snapshot;
  readonly after: Snapshot;
  /** The state or the context (secrets compared by value) differ. */
  readonly changed: boolean;
  /** The one user event the task sent, and what `before.can()` said of it. */
  readonly event: Parameters<Snapshot['can']>[0] | undefined;
  readonly can: boolean | undefined;
  /** The requests sent during the task. */
  readonly fresh: readonly Sent[];
  /** The machine's requests in flight before and after it. */
  readonly liveBefore: readonly Sent[];
  readonly liveAfter: readonly Sent[];
  /** Date.now() after the task. */
  readonly now: number;
  /** Every session token of the race, by its owner. */
  readonly owners: ReadonlyMap<string, string>;
}

const state = (snapshot: Snapshot) => JSON.stringify(snapshot.value);

/** Secrets as plain text, for comparing two contexts here (never printed). */
const revealing = (_key: string, value: unknown) =>
  typeof value === 'object' && value !== null && 'reveal' in value && typeof value.reveal === 'function'
    ? `secret:${value.reveal()}`
    : value;

/** The state and the context, secrets by value: two equal ones mean an event changed nothing. */
export const fingerprint = (snapshot: Snapshot) =>
  JSON.stringify({ value: snapshot.value, context: snapshot.context }, revealing);

/** The bearer token a request carried. */
const bearerOf = (sent: Sent) => /^Bearer (.+)$/.exec(sent.request?.header('authorization') ?? '')?.[1];

/** No secret (nor any session token of the race) in the snapshot, nor in the persisted snapshot. */
export function checkSecrets(snapshot: Snapshot, tokens: Iterable<string>, persisted?: unknown): void {
  const shown = JSON.stringify(snapshot);
  const kept = persisted === undefined ? '' : JSON.stringify(persisted);
  for (const canary of [...CANARIES, ...tokens]) {
    if (shown.includes(canary)) throw new RaceViolation(`a snapshot in ${state(snapshot)} holds a secret`);
    if (kept.includes(canary))
      throw new RaceViolation(`the persisted snapshot in ${state(snapshot)} holds a secret`);
  }
}

/**
 * Each snapshot the actor emits: no secret, and no change of user without a snapshot in `idle` between (a screen
 * shows snapshots, not the chart's steps inside one). Returns the user of the session last seen since `idle`.
 */
export function checkSnapshot(
  snapshot: Snapshot,
  lastUser: string | undefined,
  idleInStep: boolean,
  owners: ReadonlyMap<string, string>,
): string | undefined {
  checkSecrets(snapshot, owners.keys());
  if (snapshot.matches('idle')) return undefined;
  const { sessionToken, username } = snapshot.context;
  if (!snapshot.matches('succeeded') || sessionToken === undefined) return lastUser;
  const user = username ?? '(unknown)';
  // The name a screen shows is the user whose session it acts with.
  const owner = owners.get(sessionToken.reveal());
  if (owner === undefined) throw new RaceViolation(`the tab holds a session token the race never issued`);
  if (!sameLogin(owner, user))
    throw new RaceViolation(`the tab shows ${user}'s session while it holds ${owner}'s token`);
  if (lastUser !== undefined && !sameLogin(lastUser, user)) {
    if (idleInStep)
      throw new RaceViolation(
        `the tab went from ${lastUser}'s session to ${user}'s through idle inside one step, which no snapshot shows`,
      );
    throw new RaceViolation(`the tab went from ${lastUser}'s session to ${user}'s without passing idle`);
  }
  return user;
}

/** Why a session ended, when a snapshot says it did. */
const END_REASONS = new Set(['loggedOut', 'revoked', 'expired', 'endedElsewhere']);

/** A session this tab ended (logged out, revoked, expired, ended in another tab) is never taken again. */
export function checkEnded(
  previous: Snapshot | undefined,
  snapshot: Snapshot,
  ended: Map<string, string>,
): void {
  const held = snapshot.context.sessionToken?.reveal();
  const before = previous?.context.sessionToken?.reveal();
  const reason = snapshot.context.reason;
  if (before !== undefined && before !== held && reason !== undefined && END_REASONS.has(reason))
    ended.set(before, reason);
  const why = held === undefined ? undefined : ended.get(held);
  if (why !== undefined)
    throw new RaceViolation(`the tab took back the session it ended (${why}), in ${state(snapshot)}`);
}

/** `can()` is honest: true, the event does something (or says again why it is refused); false, nothing at all. */
function checkCan({ before, after, changed, event, can, fresh }: StepFacts): void {
  if (event === undefined || can === undefined) return;
  const sent = fresh.some((request) => request.from === 'machine');
  const did = changed || sent;
  const refusedAgain = after.context.error?.kind === 'input';
  if (can && !did && !refusedAgain)
    throw new RaceViolation(
      `can(${event.type}) said true in ${state(before)}, yet nothing changed and nothing was sent`,
    );
  if (!can && did)
    throw new RaceViolation(
      `can(${event.type}) said false in ${state(before)}, yet ${sent ? 'a request was sent' : 'the state or context changed'}`,
    );
}

/** One request per submit, none from a CANCEL, a wait, a timer or another tab, and none for an abandoned request. */
function checkRequests({ task, changed, event, fresh }: StepFacts): void {
  const sent = fresh.filter((request) => request.from === 'machine');
  if (sent.length > 1)
    throw new RaceViolation(
      `one task sent ${sent.length} requests (${sent.map((request) => request.route).join(', ')})`,
    );
  const sendsNothing = task.kind !== 'answer' && (task.kind !== 'user' || task.action.kind === 'wait');
  if (sendsNothing && sent.length > 0)
    throw new RaceViolation(
      `${'action' in task ? task.action.kind : task.kind} sent a ${sent[0]?.route} request`,
    );
  if (event?.type === 'CANCEL' && sent.length > 0) throw new RaceViolation('CANCEL sent a request');
  if (task.kind === 'answer' && task.sent.aborted && (changed || sent.length > 0))
    throw new RaceViolation('the answer to a request its client gave up changed the tab');
}

/** A request no longer in flight was answered by this task, or given up: the client aborted, and the server saw it. */
function checkAborts({ task, before, liveBefore, liveAfter }: StepFacts): void {
  for (const sent of liveBefore) {
    if (liveAfter.includes(sent) || (task.kind === 'answer' && task.sent === sent)) continue;
    if (!sent.aborted || sent.request?.aborted !== true)
      throw new RaceViolation(
        `the ${sent.route} request in flight was left in ${state(before)} without being aborted`,
      );
  }
}

/** A session token goes only from the tab that holds it, to the API only before its end; no session is taken past it. */
function checkTokens({ before, after, fresh, now, owners }: StepFacts): void {
  for (const sent of fresh) {
    const token = bearerOf(sent);
    if (token === undefined || !owners.has(token)) continue;
    if (token !== sent.held.token)
      throw new RaceViolation(
        `a ${sent.route} request carried a session token of ${owners.get(token)}'s that the tab did not hold`,
      );
    if (sent.route === 'api' && (sent.held.expiresAt === undefined || sent.at >= sent.held.expiresAt))
      throw new RaceViolation('an API call carried the session token after its end');
  }
  const { sessionToken, sessionExpiresAt } = after.context;
  const taken =
    sessionToken !== undefined &&
    (before.context.sessionToken?.reveal() !== sessionToken.reveal() ||
      before.context.sessionExpiresAt !== sessionExpiresAt);
  if (after.matches('succeeded') && taken && (sessionExpiresAt ?? 0) <= now)
    throw new RaceViolation(
      `the tab took a session already past its end (${(now - (sessionExpiresAt ?? 0)) / 1_000} s ago)`,
    );
}

/** The invariants of one task, after the world settled. */
export function checkStep(facts: StepFacts): void {
  checkCan(facts);
  checkRequests(facts);
  checkAborts(facts);
  checkTokens(facts);
}

/**
 * After the last task, every storage call answered: nothing left busy, and the storage agrees with the tab (it holds
 * the tab's session while the tab is logged in, and never a session the tab ended).
 */
export function checkAtEnd(
  snapshot: Snapshot,
  stored: string | null,
  owners: ReadonlyMap<string, string>,
  ended: ReadonlyMap<string, string>,
): void {
  if (snapshot.hasTag('busy')) throw new RaceViolation(`stuck busy in ${state(snapshot)} at the end`);
  const token = stored === null ? undefined : (JSON.parse(stored) as { token?: string }).token;
  if (snapshot.matches('succeeded') && token !== snapshot.context.sessionToken?.reveal())
    throw new RaceViolation(
      `at the end the tab is logged in, but the storage holds ${token === undefined ? 'nothing' : `another session of ${owners.get(token)}'s`}`,
    );
  const why = token === undefined ? undefined : ended.get(token);
  if (why !== undefined)
    throw new RaceViolation(`at the end the storage still holds the session the tab ended (${why})`);
}
