// One browser's login actor in this process. The chart runs here; what it does to its session (a login, a moved
// end, a logout, a revocation) is written to the shared store, and what other processes do to it reaches this
// actor as another tab's doing reaches one in a browser: `SESSION_ADOPTED` and `SESSION_ENDED_ELSEWHERE`.
import { randomBytes } from 'node:crypto';
import { type Actor, createActor } from 'xstate';
import type { BffLoginView } from '../contract/bff.js';
import { Secret } from '../contract/secret.js';
import type { EtnaAuthMachine } from '../machine/etna-auth-machine.js';
import { selectToken } from '../machine/select-token.js';
import { viewOf } from './login-view.js';
import {
  type BrowserKeys,
  type BrowserRecord,
  type BrowserRecords,
  keysOf,
  newBrowserId,
} from './session-records.js';

/** How long the records of an ended or moved session stay, so other processes learn what became of it. */
export const TOMBSTONE_MS = 5 * 60_000;
/** How long the id before a login may still pick the new one up. */
const RETIRED_MS = 30_000;
/** How far a session's end may fall before its absolute end and still be that end (the login's own time). */
const ABSOLUTE_END_SLACK_MS = 5_000;

/** What a resident needs from the handler that holds it. */
export interface ResidentHost {
  readonly instance: string;
  readonly records: BrowserRecords;
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
  readonly loginTimeout: number;
  /** The one machine of this process: every resident is an actor of it. */
  readonly machine: EtnaAuthMachine;
  actorOptions(): Parameters<typeof createActor>[1];
  /** Files the resident under another id too (after a login, the new cookie's). */
  index(resident: Resident, keys: BrowserKeys): void;
  /** Ends a session's token at ETNA, best effort (the backend ended it, ETNA would not know). */
  revoke(token: string): void;
}

/** The session a resident holds: what the store keeps of it. */
interface HeldSession {
  readonly token: string;
  readonly expiresAt: number;
  readonly username: string | undefined;
}

type View = (view: BffLoginView) => void;
type SessionRecord = Extract<BrowserRecord, { t: 'session' }>;

export class Resident {
  /** Names this login in views; not the cookie. */
  readonly login = randomBytes(9).toString('base64url');
  readonly actor: Actor<EtnaAuthMachine>;
  lastActivity = Date.now();
  readonly #host: ResidentHost;
  #id: string;
  #keys: BrowserKeys;
  /** The id before the last login: its holder may pick the new one up once, until `until`. */
  #retired: { id: string; keys: BrowserKeys; until: number } | undefined;
  /** The new id, until a response has carried it to the browser. */
  #pendingCookie: string | undefined;
  #held: HeldSession | undefined;
  #loggedInAt: number | undefined;
  /** True while this resident applies what another process did: nothing to write back. */
  #external = false;
  /** True while this resident ends the session for its idle or absolute timeout. */
  #timingOut = false;
  /** Store operations not yet done (Redis away): done in order at the next request. */
  #writes: (() => Promise<void>)[] = [];
  #flushing: Promise<void> | undefined;
  readonly #watchers = new Set<View>();
  readonly #renewers = new Set<() => void>();
  #seq = 0;
  #view: BffLoginView | undefined;
  /** When the login record was last written (it names the holder, which does not change). */
  #markedAt = 0;

  constructor(host: ResidentHost, id: string, record?: SessionRecord) {
    this.#host = host;
    this.#id = id;
    this.#keys = keysOf(id);
    this.actor = createActor(host.machine, host.actorOptions());
    this.actor.subscribe((snapshot) => {
      this.#sessionMoved(selectToken(snapshot), snapshot.context);
      this.#seq++;
      this.#view = undefined;
      if (this.#watchers.size > 0) {
        const view = this.view();
        for (const watcher of this.#watchers) watcher(view);
      }
    });
    this.actor.start();
    if (record) this.#adopt(record);
  }

  get id(): string {
    return this.#id;
  }

  get keys(): BrowserKeys {
    return this.#keys;
  }

  /** True while logged in (any phase of `succeeded`). */
  get inSession(): boolean {
    return this.actor.getSnapshot().matches('succeeded');
  }

  get watched(): boolean {
    return this.#watchers.size > 0;
  }

  view(): BffLoginView {
    this.#view ??= viewOf(this.actor.getSnapshot(), this.login, this.#seq);
    return this.#view;
  }

  /** Whether a request with `id` may go on: its own id, or the old one while the new one is still to be picked up. */
  admits(id: string): boolean {
    if (id === this.#id) {
      this.#pendingCookie = undefined;
      return true;
    }
    return this.#retired?.id === id && this.#pendingCookie !== undefined && Date.now() < this.#retired.until;
  }

  /** The cookie value the answer to a request with `id` must set, if the browser does not have it yet (once). */
  cookieFor(id: string | undefined): string | undefined {
    if (id === this.#id) return undefined;
    this.#pendingCookie = undefined;
    return this.#id;
  }

  /** The old id's keys while it may still be seen, so the handler can forget them afterwards. */
  retiredKeys(now: number): BrowserKeys | undefined {
    return this.#retired && now < this.#retired.until ? this.#retired.keys : undefined;
  }

  watch(onView: View, onRenew: () => void): () => void {
    this.#watchers.add(onView);
    this.#renewers.add(onRenew);
    return () => {
      this.#watchers.delete(onView);
      this.#renewers.delete(onRenew);
    };
  }

  /** Resolves once the login is not busy, or after `ms`. */
  settled(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        subscription.unsubscribe();
        resolve();
      };
      const timer = setTimeout(done, ms);
      const subscription = this.actor.subscribe((snapshot) => {
        if (!snapshot.hasTag('busy')) done();
      });
      if (!this.actor.getSnapshot().hasTag('busy')) done();
    });
  }

  /** Does the store operations still owed; rejects (the store is away) with those left for next time. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #drain(): Promise<void> {
    while (this.#writes.length > 0) {
      await (this.#writes[0] as () => Promise<void>)();
      this.#writes.shift();
    }
  }

  /**
   * A request from the browser (the watch stream aside): writes what is owed, then keeps the record alive. A
   * session whose record has expired (idle timeout), or past its absolute end, ends here.
   */
  async touch(now = Date.now()): Promise<void> {
    this.lastActivity = now;
    await this.flush();
    if (!this.inSession) {
      // Written again only when a third of its time has passed, or a session's record replaced it.
      if (now - this.#markedAt < this.#host.loginTimeout / 3) return;
      await this.#host.records.write(
        this.#keys,
        { t: 'login', owner: this.#host.instance },
        this.#host.loginTimeout,
      );
      this.#markedAt = now;
      return;
    }
    const alive = await this.#host.records.extend(this.#keys, this.#sessionTtl(now));
    if (!alive || now >= (this.#loggedInAt ?? now) + this.#host.absoluteTimeout) this.#expire();
  }

  /** Reads the record again (another process changed it, or the watch stream's periodic look). */
  async reread(): Promise<void> {
    if (this.#writes.length > 0) return;
    const record = await this.#host.records.read(this.#keys);
    if (record?.t === 'moved') {
      for (const renew of this.#renewers) renew();
    } else if (record === undefined && this.inSession) {
      this.#expire();
    } else if (record?.t === 'session') {
      const held = this.#held;
      if (held?.token !== record.token || held.expiresAt !== record.expiresAt) this.#adopt(record);
    } else if (this.#held) {
      this.#apply({ type: 'SESSION_ENDED_ELSEWHERE' });
    }
  }

  stop(): void {
    this.actor.stop();
    this.#watchers.clear();
    this.#renewers.clear();
  }

  #expire(): void {
    if (!this.inSession) return;
    this.#timingOut = true;
    try {
      this.actor.send({ type: 'SESSION_EXPIRED' });
    } finally {
      this.#timingOut = false;
    }
  }

  /**
   * Whether an expired session ended before ETNA ends its token: by this backend's idle or absolute timeout (the
   * machine's session then lasts until the absolute end). At the token's own end there is nothing left to end.
   */
  #endedByTimeout(session: HeldSession): boolean {
    const absoluteEnd = (this.#loggedInAt ?? 0) + this.#host.absoluteTimeout;
    return this.#timingOut || session.expiresAt >= absoluteEnd - ABSOLUTE_END_SLACK_MS;
  }

  /** A session from the store, taken as the chart takes another tab's. */
  #adopt(record: SessionRecord): void {
    if (record.expiresAt <= Date.now()) return;
    this.#loggedInAt = record.loggedInAt;
    this.#apply({
      type: 'SESSION_ADOPTED',
      token: new Secret(record.token),
      expiresAt: record.expiresAt,
      username: record.username,
    });
  }

  #apply(event: Parameters<Actor<EtnaAuthMachine>['send']>[0]): void {
    this.#external = true;
    try {
      this.actor.send(event);
    } finally {
      this.#external = false;
    }
  }

  #sessionTtl(now: number): number {
    const absoluteEnd = (this.#loggedInAt ?? now) + this.#host.absoluteTimeout;
    const end = this.#held?.expiresAt ?? now;
    return Math.max(1, Math.min(this.#host.idleTimeout, end - now, absoluteEnd - now));
  }

  /** What a snapshot did to the session: a login (a new id, the old one retired), a moved end, or its end. */
  #sessionMoved(
    token: string | undefined,
    context: { sessionExpiresAt?: number; username?: string; reason?: string },
  ): void {
    const before = this.#held;
    const session =
      token && context.sessionExpiresAt !== undefined
        ? { token, expiresAt: context.sessionExpiresAt, username: context.username }
        : undefined;
    this.#held = session;
    if (before?.token === session?.token && before?.expiresAt === session?.expiresAt) return;
    if (!session) {
      // A session the backend let expire (idle or absolute timeout) is still valid at ETNA: end it there too.
      if (before && context.reason === 'expired' && this.#endedByTimeout(before))
        this.#host.revoke(before.token);
      if (before && !this.#external) this.#forgotten();
      return;
    }
    this.#markedAt = 0;
    if (this.#external) return;
    const now = Date.now();
    if (before?.token !== session.token) this.#renew(now);
    const keys = this.#keys;
    const record: BrowserRecord = { t: 'session', ...session, loggedInAt: this.#loggedInAt ?? now };
    this.#queue(() => this.#host.records.write(keys, record, this.#sessionTtl(Date.now())));
    this.#queue(() => this.#host.records.announce(this.#host.instance, keys.hash));
  }

  /** A login: the browser gets a new id; the old one's record says where it went. */
  #renew(now: number): void {
    this.#loggedInAt = now;
    const old = { id: this.#id, keys: this.#keys };
    this.#id = newBrowserId();
    this.#keys = keysOf(this.#id);
    this.#retired = { ...old, until: now + RETIRED_MS };
    this.#pendingCookie = this.#id;
    this.#host.index(this, this.#keys);
    this.#queue(() => this.#host.records.write(old.keys, { t: 'moved' }, TOMBSTONE_MS));
    this.#queue(() => this.#host.records.announce(this.#host.instance, old.keys.hash));
  }

  /** The chart ended its session (logout, revocation, expiry): every process hears it ended. */
  #forgotten(): void {
    this.#markedAt = 0;
    const keys = this.#keys;
    this.#queue(() => this.#host.records.write(keys, { t: 'ended' }, TOMBSTONE_MS));
    this.#queue(() => this.#host.records.announce(this.#host.instance, keys.hash));
  }

  #queue(write: () => Promise<void>): void {
    this.#writes.push(write);
    // Tried at once; a failure stays queued for the next request, which answers 503 until the store is back.
    this.flush().catch(() => {});
  }
}
