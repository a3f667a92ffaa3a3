import { headerValueProblem } from '../contract/header-value.js';
import { Secret } from '../contract/secret.js';
import type { EtnaSessionStorage } from './storage.js';

/** A session as the machine holds it. */
interface HeldSession {
  readonly token: Secret;
  readonly expiresAt: number;
}

/** Reads, writes and clears the one stored session; never throws, since storage is a convenience. */
interface SessionKeeper {
  /** The stored session when it is well-formed and still valid; anything else is cleared. */
  load(now: number): HeldSession | undefined;
  save(session: HeldSession): void;
  clear(): void;
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
  const clear = () => {
    try {
      settled(storage.removeItem(key));
    } catch {
      // Nothing stored that could be cleared.
    }
  };
  return {
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
      const { token, expiresAt } = (typeof value === 'object' && value !== null ? value : {}) as {
        token?: unknown;
        expiresAt?: unknown;
      };
      const valid =
        typeof token === 'string' &&
        token.length <= MAX_TOKEN &&
        headerValueProblem('token', token) === undefined &&
        typeof expiresAt === 'number' &&
        // Not yet expired, and no later than a login now would allow: a tampered expiry is refused.
        expiresAt > now &&
        expiresAt <= now + lifetime;
      if (!valid) {
        clear();
        return undefined;
      }
      return { token: new Secret(token), expiresAt };
    },
    save({ token, expiresAt }) {
      try {
        settled(storage.setItem(key, JSON.stringify({ token: token.reveal(), expiresAt })));
      } catch {
        // Private mode, a full quota or blocked storage: the session still works, for this page only.
      }
    },
    clear,
  };
}
