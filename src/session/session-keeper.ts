import { headerValueProblem } from '../contract/header-value.js';
import { Secret } from '../contract/secret.js';
import type { StoredSession } from '../contract/session.js';
import type { EtnaAsyncSessionStorage, EtnaSessionStorage } from './storage.js';

export type { StoredSession } from '../contract/session.js';

/** Reads, writes and clears the one stored session; never throws, since storage is a convenience. */
export interface SessionKeeper {
  /** Whether the storage answers with Promises (AsyncStorage, IndexedDB wrappers): `read`, not `load`. */
  readonly async: boolean;
  /** The stored session now, when it is well-formed and still valid (an asynchronous storage: none yet). */
  load(now: number): StoredSession | undefined;
  /**
   * The stored session, however the storage answers, checked against `now()` when it answers (a session may end
   * while a slow storage is read); rejects when the storage fails to answer.
   */
  read(now: () => number): Promise<StoredSession | undefined>;
  save(session: StoredSession): void;
  /** How many saves and clears this keeper has made: a read begun before one of them answers an older value. */
  readonly writes: number;
  /** Clears the stored session; given a token, only when the stored one is that token (or unreadable). */
  clear(token?: Secret): void;
  /** Whether other tabs share the storage (it has `subscribe`). */
  readonly shared: boolean;
  /** Calls `onChange` when another tab changes the stored session; returns what stops it. */
  subscribe(onChange: () => void): () => void;
}

const MAX_USERNAME = 256;
const CLOCK_SLACK_MS = 60_000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A stored username worth showing; anything else is dropped, and the session still restores. */
function usernameOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= MAX_USERNAME && !CONTROL.test(value)
    ? value
    : undefined;
}

const MAX_TOKEN = 4096;

/** True for a storage call that answered with a Promise; its rejection is handled, never left unhandled. */
export function settled(result: unknown): result is PromiseLike<unknown> {
  const thenable = typeof result === 'object' && result !== null && 'then' in result;
  if (thenable && typeof result.then === 'function') {
    (result as PromiseLike<unknown>).then(undefined, () => {});
    return true;
  }
  return false;
}

/** The session a stored text holds, `'invalid'` when it holds something unusable, undefined for nothing. */
function parse(text: unknown, now: number, lifetime: number): StoredSession | 'invalid' | undefined {
  if (text === null || text === undefined) return undefined;
  if (typeof text !== 'string') return 'invalid';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const { token, expiresAt, username } = (typeof value === 'object' && value !== null ? value : {}) as {
    token?: unknown;
    expiresAt?: unknown;
    username?: unknown;
  };
  const valid =
    typeof token === 'string' &&
    token.length <= MAX_TOKEN &&
    headerValueProblem('token', token) === undefined &&
    typeof expiresAt === 'number' &&
    // Not yet expired, and no later than a login now would allow: a tampered expiry is refused. The minute's
    // slack is for another tab that stamped it a moment ahead of this one's clock.
    expiresAt > now &&
    expiresAt <= now + lifetime + CLOCK_SLACK_MS;
  return valid ? { token: new Secret(token), expiresAt, username: usernameOf(username) } : 'invalid';
}

export function createSessionKeeper(
  storage: EtnaSessionStorage | EtnaAsyncSessionStorage,
  key: string,
  lifetime: number,
): SessionKeeper {
  /** Calls the storage; a throw or a rejection is nothing stored (private mode, a full quota, blocked storage). */
  const call = <T>(use: () => T): T | undefined => {
    try {
      return use();
    } catch {
      return undefined;
    }
  };
  const probe = call(() => storage.getItem(key));
  const async = settled(probe);
  // A storage that answers later gets this keeper's calls one after another, in the order the tab makes them: a
  // read after a clear finds the session gone, and a clear's removal never lands after a newer save.
  let turn: Promise<unknown> = Promise.resolve();
  let writes = 0;
  const inTurn = <T>(use: () => T): Promise<Awaited<T>> => {
    const next = turn.then(use) as Promise<Awaited<T>>;
    turn = next.catch(() => {});
    return next;
  };
  /** Writes with a storage that answers at once, or in turn (a failed write keeps the session in memory only). */
  const write = (use: () => unknown) => {
    if (async) void inTurn(use).catch(() => {});
    else settled(call(use));
  };
  const remove = () => write(() => storage.removeItem(key));
  /** The session of what the storage answered; what cannot be used is cleared. */
  const checked = (text: unknown, now: number) => {
    const session = parse(text, now, lifetime);
    if (session !== 'invalid') return session;
    remove();
    return undefined;
  };
  /** A valid session of another token than `token`: another tab's newer login. */
  const isOther = (stored: StoredSession | 'invalid' | undefined, token: Secret) =>
    typeof stored === 'object' && stored.token.reveal() !== token.reveal();
  const keeper: SessionKeeper = {
    async,
    load(now) {
      const text = call(() => storage.getItem(key));
      // An asynchronous storage holds nothing readable now: `read` serves it.
      return settled(text) ? undefined : checked(text, now);
    },
    // A storage that fails to answer rejects: the machine's restore says so (nothing held), as do its callers.
    async read(now) {
      const text = await inTurn(() => storage.getItem(key));
      return checked(text, now());
    },
    save({ token, expiresAt, username }) {
      writes++;
      write(() => storage.setItem(key, JSON.stringify({ token: token.reveal(), expiresAt, username })));
    },
    get writes() {
      return writes;
    },
    clear(token) {
      writes++;
      // A valid session of another token is another tab's newer login: it stays.
      if (token === undefined) return remove();
      if (!async) {
        if (!isOther(keeper.load(Date.now()), token)) remove();
        return;
      }
      // Read and removed in one turn, so that nothing the tab does meanwhile comes between them.
      void inTurn(async () => {
        const stored = await Promise.resolve()
          .then(() => storage.getItem(key))
          .then(
            (text) => parse(text, Date.now(), lifetime),
            () => undefined,
          );
        if (!isOther(stored, token)) await storage.removeItem(key);
      }).catch(() => {});
    },
    shared: typeof storage.subscribe === 'function',
    subscribe(onChange) {
      const stop = call(() => storage.subscribe?.(key, onChange));
      return typeof stop === 'function' ? stop : () => {};
    },
  };
  return keeper;
}
