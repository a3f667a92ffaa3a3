// One browser's login actor in this process: the chart runs here, and its `persist` storage is a bridge to the
// shared store, so that the session (and nothing else of the login) reaches the other processes, and what they do
// to it (a logout, a 401, a new login in place) reaches this actor the way another tab's does in a browser.
import { randomBytes } from 'node:crypto';
import { type Actor, createActor } from 'xstate';
import type { BffLoginView } from '../contract/bff.js';
import type { EtnaAuthMachine } from '../machine/etna-auth-machine.js';
import { selectToken } from '../machine/select-token.js';
import type { EtnaSessionStorage } from '../session/storage.js';
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

/** What a resident needs from the handler that holds it. */
export interface ResidentHost {
  readonly instance: string;
  readonly records: BrowserRecords;
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
  readonly loginTimeout: number;
  machineFor(persist: EtnaSessionStorage): EtnaAuthMachine;
  actorOptions(): Parameters<typeof createActor>[1];
  /** Files the resident under another id too (after a login, the new cookie's). */
  index(resident: Resident, keys: BrowserKeys): void;
  /** Ends a session's token at ETNA, best effort (the backend ended it, ETNA would not know). */
  revoke(token: string): void;
}

/** The session as the machine stores it through `persist`. */
interface StoredSession {
  readonly token: string;
  readonly expiresAt: number;
  readonly username: string | undefined;
}

const parse = (text: string | null): StoredSession | undefined =>
  text === null ? undefined : (JSON.parse(text) as StoredSession);

type View = (view: BffLoginView) => void;

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
  #cache: string | null;
  #loggedInAt: number | undefined;
  /** Store operations not yet done (Redis away): done in order at the next request. */
  #writes: (() => Promise<void>)[] = [];
  #flushing: Promise<void> | undefined;
  readonly #chartListeners = new Set<() => void>();
  readonly #watchers = new Set<View>();
  readonly #renewers = new Set<() => void>();
  #seq = 0;
  #view: BffLoginView | undefined;

  constructor(host: ResidentHost, id: string, record?: Extract<BrowserRecord, { t: 'session' }>) {
    this.#host = host;
    this.#id = id;
    this.#keys = keysOf(id);
    this.#cache = record
      ? JSON.stringify({ token: record.token, expiresAt: record.expiresAt, username: record.username })
      : null;
    this.#loggedInAt = record?.loggedInAt;
    const bridge: EtnaSessionStorage = {
      getItem: () => this.#cache,
      setItem: (_key, value) => this.#stored(value),
      removeItem: () => this.#forgotten(),
      subscribe: (_key, onChange) => {
        this.#chartListeners.add(onChange);
        return () => this.#chartListeners.delete(onChange);
      },
    };
    this.actor = createActor(host.machineFor(bridge), host.actorOptions());
    let previous = this.actor.getSnapshot();
    this.actor.subscribe((snapshot) => {
      // A session the backend let expire (idle or absolute timeout) is still valid at ETNA: end it there too.
      const token = selectToken(previous);
      if (token && snapshot.matches('idle') && snapshot.context.reason === 'expired') host.revoke(token);
      previous = snapshot;
      this.#seq++;
      this.#view = undefined;
      if (this.#watchers.size > 0) {
        const view = this.view();
        for (const watcher of this.#watchers) watcher(view);
      }
    });
    this.actor.start();
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
      await this.#host.records.write(
        this.#keys,
        { t: 'login', owner: this.#host.instance },
        this.#host.loginTimeout,
      );
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
      return;
    }
    if (record === undefined && this.inSession) {
      this.#expire();
      return;
    }
    const next =
      record?.t === 'session'
        ? JSON.stringify({ token: record.token, expiresAt: record.expiresAt, username: record.username })
        : null;
    if (next === this.#cache) return;
    this.#cache = next;
    if (record?.t === 'session') this.#loggedInAt = record.loggedInAt;
    for (const listener of this.#chartListeners) listener();
  }

  stop(): void {
    this.actor.stop();
    this.#watchers.clear();
    this.#renewers.clear();
  }

  #expire(): void {
    if (this.inSession) this.actor.send({ type: 'SESSION_EXPIRED' });
  }

  #sessionTtl(now: number): number {
    const session = parse(this.#cache);
    const absoluteEnd = (this.#loggedInAt ?? now) + this.#host.absoluteTimeout;
    return Math.max(
      1,
      Math.min(this.#host.idleTimeout, (session?.expiresAt ?? now) - now, absoluteEnd - now),
    );
  }

  /** The machine stored a session: a new login (a new id, the old one retired) or the same one's new end. */
  #stored(value: string): void {
    const before = parse(this.#cache);
    const session = parse(value);
    this.#cache = value;
    if (!session) return;
    const now = Date.now();
    if (before?.token !== session.token) {
      this.#loggedInAt = now;
      const old = { id: this.#id, keys: this.#keys };
      this.#id = newBrowserId();
      this.#keys = keysOf(this.#id);
      this.#retired = { ...old, until: now + 30_000 };
      this.#pendingCookie = this.#id;
      this.#host.index(this, this.#keys);
      this.#queue(() => this.#host.records.write(old.keys, { t: 'moved' }, TOMBSTONE_MS));
      this.#queue(() => this.#host.records.announce(this.#host.instance, old.keys.hash));
    }
    const keys = this.#keys;
    const record: BrowserRecord = { t: 'session', ...session, loggedInAt: this.#loggedInAt ?? now };
    this.#queue(() => this.#host.records.write(keys, record, this.#sessionTtl(Date.now())));
    this.#queue(() => this.#host.records.announce(this.#host.instance, keys.hash));
  }

  /** The machine forgot its session (logout, revocation, expiry): every process hears it ended. */
  #forgotten(): void {
    this.#cache = null;
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
