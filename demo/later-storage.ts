// The demo's `?storage=async`: the origin's localStorage behind a storage that answers later, as React Native's
// AsyncStorage or an IndexedDB wrapper does (the testing kit's `createAsyncStorage`, slowed down). Each call
// settles `LATER_MS` after it was made, in the order the calls were made; the page then starts in `restoring`
// until the stored session is read.
import type { EtnaAsyncSessionStorage, EtnaSessionStorage } from '../src/index.js';
import { createAsyncStorage } from '../src/testing/async-storage.js';

/** How long each call of the demo's storage that answers later takes, in ms: long enough to see `restoring`. */
export const LATER_MS = 300;

/** A storage whose every method answers with a Promise, and which knows what its writes in flight will leave. */
export interface LaterStorage extends EtnaAsyncSessionStorage {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
  /** What `key` will hold once the writes made so far have settled (the page's own "is it kept?"). */
  willHold(key: string): string | null;
}

/**
 * `storage` answering `delayMs` later. A failed call rejects, as a storage that answers later does. `subscribe` is
 * `storage`'s own: another tab's write is heard as soon as it lands, and read back through `getItem`, later.
 * `onWrite` is told when a write is asked for and when it lands (the page says whether its session is kept).
 */
export function answeringLater(
  storage: EtnaSessionStorage,
  { delayMs = LATER_MS, onWrite = () => {} }: { delayMs?: number; onWrite?: () => void } = {},
): LaterStorage {
  // Timers of one delay fire in the order they were set: the calls settle in the order they were made.
  const later = createAsyncStorage(storage, { delayMs });
  /** The writes not settled yet, by key: the value they leave (null: removed) and how many there are. */
  const inFlight = new Map<string, { value: string | null; count: number }>();
  const write = (key: string, value: string | null, work: Promise<void>): Promise<void> => {
    const pending = inFlight.get(key);
    inFlight.set(key, { value, count: (pending?.count ?? 0) + 1 });
    onWrite();
    return work.finally(() => {
      const now = inFlight.get(key);
      if (now && --now.count === 0) inFlight.delete(key);
      onWrite();
    });
  };
  return {
    getItem: (key) => later.getItem(key),
    setItem: (key, value) => write(key, value, later.setItem(key, value)),
    removeItem: (key) => write(key, null, later.removeItem(key)),
    willHold: (key) => {
      const pending = inFlight.get(key);
      return pending ? pending.value : storage.getItem(key);
    },
    ...(later.subscribe && { subscribe: later.subscribe }),
  };
}
