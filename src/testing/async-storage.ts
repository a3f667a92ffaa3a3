// A storage that answers later, for tests: the shape of React Native's AsyncStorage (every method returns a
// Promise) over any storage that answers at once, with its reads held back until a test lets them through.
import type { EtnaAsyncSessionStorage, EtnaSessionStorage } from '../session/storage.js';

/**
 * How a held read is answered: with what the storage holds, or with a failure.
 * @example const answer: HeldReadAnswer = 'fail'; storage.release(answer);
 */
export type HeldReadAnswer = 'answer' | 'fail';

/**
 * A storage that answers later, whose reads a test can hold and release.
 * @example const storage: AsyncTestStorage = createAsyncStorage(memoryStorage()); await storage.getItem(DEFAULT_PERSIST_KEY);
 */
export interface AsyncTestStorage extends EtnaAsyncSessionStorage {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
  /** From now on, reads wait until `release` answers them (writes still settle on their own). */
  hold(): void;
  /** Answers every held read, and lets later reads through. */
  release(answer: HeldReadAnswer): void;
  /** How many reads are waiting for `release`. */
  readonly heldReads: number;
}

/**
 * How slow the storage is, and whether its first reads wait for `release`.
 * @example createAsyncStorage(memoryStorage(), { delayMs: 300 } satisfies AsyncTestStorageOptions)
 */
export interface AsyncTestStorageOptions {
  /**
   * Milliseconds each call takes to settle (a slow storage).
   * @default 0 (the next turn of the event loop)
   */
  readonly delayMs?: number;
  /**
   * Whether the first reads are held until `release`.
   * @default false
   */
  readonly held?: boolean;
}

/**
 * An AsyncStorage-like storage over `backing` (a `memoryStorage()`, one tab of `createSharedMemoryStorage()`):
 * each call answers after `delayMs` on a later turn of the event loop, and `subscribe` is `backing`'s, so tabs
 * still hear each other.
 * @example const storage = createAsyncStorage(memoryStorage(), { held: true }); storage.release('answer');
 */
export function createAsyncStorage(
  backing: EtnaSessionStorage,
  options: AsyncTestStorageOptions = {},
): AsyncTestStorage {
  const later = <T>(work: () => T): Promise<T> =>
    new Promise((resolve, reject) => {
      setTimeout(() => {
        try {
          resolve(work());
        } catch (error) {
          reject(error);
        }
      }, options.delayMs ?? 0);
    });
  let holding = options.held ?? false;
  const held: { readonly answer: () => void; readonly fail: () => void }[] = [];
  const storage: AsyncTestStorage = {
    getItem: (key) => {
      if (!holding) return later(() => backing.getItem(key));
      return new Promise((resolve, reject) => {
        held.push({
          answer: () => resolve(later(() => backing.getItem(key))),
          fail: () => reject(new Error('the storage could not be read')),
        });
      });
    },
    setItem: (key, value) => later(() => backing.setItem(key, value)),
    removeItem: (key) => later(() => backing.removeItem(key)),
    hold: () => {
      holding = true;
    },
    release: (answer) => {
      holding = false;
      for (const read of held.splice(0)) read[answer]();
    },
    get heldReads() {
      return held.length;
    },
    ...(backing.subscribe && { subscribe: backing.subscribe.bind(backing) }),
  };
  return storage;
}
