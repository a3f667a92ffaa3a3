import { headerValueProblem } from '../contract/header-value.js';
import { Secret } from '../contract/secret.js';
import type { EtnaSessionStorage } from './storage.js';

/** A session as the storage keeps it: the token, its end, and whose it is (absent in sessions stored before). */
export interface StoredSession {
  readonly token: Secret;
  readonly expiresAt: number;
  readonly username: string | undefined;
}

/** Reads, writes and clears the one stored session; never throws, since storage is a convenience. */
export interface SessionKeeper {
  /** The stored session when it is well-formed and still valid; anything else is cleared. */
  load(now: number): StoredSession | undefined;
  save(session: StoredSession): void;
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

/** A storage call that answered with a Promise (an asynchronous storage): its rejection is swallowed, not left unhandled. */
export function settled(result: unknown): boolean {
  const thenable = typeof result === 'object' && result !== null && 'then' in result;
  if (thenable && typeof result.then === 'function') {
    (result as PromiseLike<unknown>).then(undefined, () => {});
    return true;
  }
  return false;
}

export function createSessionKeeper(
  storage: EtnaSessionStorage,
  key: string,
  lifetime: number,
): SessionKeeper {
  const remove = () => {
    try {
      settled(storage.removeItem(key));
    } catch {
      // Nothing stored that could be cleared.
    }
  };
  const keeper: SessionKeeper = {
    load(now) {
      let text: unknown;
      try {
        text = storage.getItem(key);
      } catch {
        return undefined;
      }
      // An asynchronous storage (refused by createEtnaAuthMachine) holds nothing readable now; clear nothing.
      if (text === null || settled(text) || typeof text !== 'string') return undefined;
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
      if (!valid) {
        remove();
        return undefined;
      }
      return { token: new Secret(token), expiresAt, username: usernameOf(username) };
    },
    save({ token, expiresAt, username }) {
      try {
        settled(storage.setItem(key, JSON.stringify({ token: token.reveal(), expiresAt, username })));
      } catch {
        // Private mode, a full quota or blocked storage: the session still works, for this page only.
      }
    },
    clear(token) {
      // load() clears what it cannot use; a valid session of another token is another tab's newer login.
      if (token !== undefined) {
        const stored = keeper.load(Date.now());
        if (stored && stored.token.reveal() !== token.reveal()) return;
      }
      remove();
    },
    shared: typeof storage.subscribe === 'function',
    subscribe(onChange) {
      try {
        const stop = storage.subscribe?.(key, onChange);
        return typeof stop === 'function' ? stop : () => {};
      } catch {
        return () => {};
      }
    },
  };
  return keeper;
}
