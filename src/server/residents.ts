// The logins this process holds, by the browser ids that reach them, and what a request's cookie stands for:
// a login here, a session to take up from the store, a login lost with its process, or nothing.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BffRefusal } from './http-io.js';
import { Resident, type ResidentHost } from './resident.js';
import { cookieValue } from './session-cookie.js';
import { type BrowserKeys, type BrowserRecords, isBrowserId, keysOf } from './session-records.js';

/** What a request's cookie stands for. */
export type Located =
  /** No cookie, one of another shape, or one the store does not know (any more). */
  | { readonly kind: 'none'; readonly id: string | undefined }
  | { readonly kind: 'resident'; readonly id: string; readonly resident: Resident }
  /** A login in flight whose process is gone: the browser sees `error` with RETRY. */
  | { readonly kind: 'lost'; readonly id: string; readonly keys: BrowserKeys };

/** How often this process says it is alive, and how long the store believes it. */
const HEARTBEAT_MS = 2_000;
const HEARTBEAT_TTL_MS = 6_000;
/** How often logins nobody uses are dropped. */
const SWEEP_MS = 15_000;
/** A session's actor nobody watches is dropped after this: the store still holds the session. */
const SESSION_RESIDENT_MS = 5 * 60_000;

export interface ResidentsOptions extends Omit<ResidentHost, 'instance' | 'index'> {
  readonly cookieName: string;
  readonly maxLoginsInFlight: number;
  readonly onStoreTrouble: (message: string) => void;
}

export class Residents {
  /** This process, as login records name their holder. */
  readonly instance = randomBytes(9).toString('base64url');
  readonly #byHash = new Map<string, Resident>();
  readonly #taking = new Map<string, Promise<Located>>();
  /** Watch streams of browsers without a login yet, by hash: told when one starts (in another tab, say). */
  readonly #awaiting = new Map<string, { id: string; callbacks: Set<(resident: Resident) => void> }>();
  readonly #options: ResidentsOptions;
  readonly #host: ResidentHost;
  readonly #timers: ReturnType<typeof setInterval>[];
  readonly #stopListening: () => void;

  constructor(options: ResidentsOptions) {
    this.#options = options;
    this.#host = {
      ...options,
      instance: this.instance,
      index: (resident, keys) => this.#byHash.set(keys.hash, resident),
    };
    this.#stopListening = options.records.listen(this.instance, (hash) => {
      const resident = this.#byHash.get(hash);
      if (resident) resident.reread().catch(() => {});
      else {
        // Another process stored a session for a browser whose tabs wait here: take it up.
        const awaiting = this.#awaiting.get(hash);
        if (awaiting) this.locateId(awaiting.id).catch(() => {});
      }
    });
    const beat = () =>
      options.records.beat(this.instance, HEARTBEAT_TTL_MS).catch(() => {
        options.onStoreTrouble('the session store did not take this process heartbeat');
      });
    beat();
    this.#timers = [setInterval(beat, HEARTBEAT_MS), setInterval(() => this.sweep(), SWEEP_MS)];
    for (const timer of this.#timers) timer.unref();
  }

  get records(): BrowserRecords {
    return this.#options.records;
  }

  /** Logins held here that are not sessions. */
  get loginsInFlight(): number {
    let count = 0;
    for (const resident of new Set(this.#byHash.values())) if (!resident.inSession) count++;
    return count;
  }

  /**
   * Starts a login for a browser under the id it was given by this backend (a cookie of a forged shape never
   * gets here); the login gets a new id once it succeeds.
   */
  async startLogin(id: string): Promise<Resident> {
    if (this.loginsInFlight >= this.#options.maxLoginsInFlight) {
      throw new BffRefusal('tooManyLogins', 'too many logins in progress here: try again in a minute');
    }
    const resident = new Resident(this.#host, id);
    this.#file(resident, resident.keys);
    try {
      await resident.touch();
    } catch (error) {
      this.drop(resident);
      throw error;
    }
    return resident;
  }

  /** What the request's cookie stands for; a session in the store is taken up here. */
  locate(req: IncomingMessage): Promise<Located> {
    const id = cookieValue(req, this.#options.cookieName);
    return isBrowserId(id) ? this.locateId(id) : Promise.resolve({ kind: 'none', id: undefined });
  }

  /** What a browser id stands for. */
  async locateId(id: string): Promise<Located> {
    const keys = keysOf(id);
    const resident = this.#byHash.get(keys.hash);
    if (resident) {
      if (!resident.admits(id)) throw renewed();
      return { kind: 'resident', id, resident };
    }
    // Two requests of one browser at once take up its session once.
    let taking = this.#taking.get(keys.hash);
    if (!taking) {
      taking = this.#takeUp(id, keys).finally(() => this.#taking.delete(keys.hash));
      this.#taking.set(keys.hash, taking);
    }
    return taking;
  }

  async #takeUp(id: string, keys: BrowserKeys): Promise<Located> {
    const record = await this.#options.records.read(keys);
    const now = Date.now();
    switch (record?.t) {
      case 'session': {
        if (record.expiresAt <= now || record.loggedInAt + this.#options.absoluteTimeout <= now) break;
        const resident = new Resident(this.#host, id, record);
        this.#file(resident, keys);
        return { kind: 'resident', id, resident };
      }
      case 'login':
        if (record.owner !== this.instance && (await this.#options.records.isAlive(record.owner))) {
          throw new BffRefusal(
            'misdirected',
            'this login is in progress in another process of the backend: the load balancer must send a browser to the process that holds its login (route by the cookie)',
          );
        }
        return { kind: 'lost', id, keys };
      case 'moved':
        throw renewed();
      default:
        break;
    }
    return { kind: 'none', id };
  }

  /** Calls `onResident` when a login of the browser `id` starts here, or its session is taken up. */
  awaitResident(id: string, onResident: (resident: Resident) => void): () => void {
    const { hash } = keysOf(id);
    let awaiting = this.#awaiting.get(hash);
    if (!awaiting) {
      awaiting = { id, callbacks: new Set() };
      this.#awaiting.set(hash, awaiting);
    }
    const { callbacks } = awaiting;
    callbacks.add(onResident);
    return () => {
      callbacks.delete(onResident);
      if (callbacks.size === 0) this.#awaiting.delete(hash);
    };
  }

  #file(resident: Resident, keys: BrowserKeys): void {
    this.#byHash.set(keys.hash, resident);
    const awaiting = this.#awaiting.get(keys.hash);
    this.#awaiting.delete(keys.hash);
    for (const callback of awaiting?.callbacks ?? []) callback(resident);
  }

  /** Stops a resident and forgets every id it was filed under; a login's record goes too. */
  drop(resident: Resident): void {
    for (const [hash, filed] of this.#byHash) if (filed === resident) this.#byHash.delete(hash);
    if (!resident.inSession) this.#options.records.remove(resident.keys).catch(() => {});
    resident.stop();
  }

  /** Drops logins nobody used for a while, and old ids past their last chance to be picked up. */
  sweep(now = Date.now()): void {
    for (const [hash, resident] of this.#byHash) {
      if (hash !== resident.keys.hash && resident.retiredKeys(now)?.hash !== hash) this.#byHash.delete(hash);
    }
    for (const resident of new Set(this.#byHash.values())) {
      const allowed = resident.inSession ? SESSION_RESIDENT_MS : this.#options.loginTimeout;
      if (!resident.watched && now - resident.lastActivity > allowed) this.drop(resident);
    }
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#stopListening();
    for (const resident of new Set(this.#byHash.values())) resident.stop();
    this.#byHash.clear();
    await this.#options.records.stopBeating(this.instance).catch(() => {});
  }
}

function renewed(): BffRefusal {
  return new BffRefusal(
    'sessionRenewed',
    'this browser has a new session id since it logged in: send the request again with the new cookie',
  );
}
