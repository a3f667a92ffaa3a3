// A storage that tabs share, in memory: what `browserLocalStorage()` is to the tabs of one origin, for Node
// tests and for the model paths' "other tab".
import type { EtnaSessionStorage } from '../session/storage.js';

/**
 * One tab's view of a shared storage: it reads and writes the same items, and hears the other tabs' writes.
 * @example const tab: SharedStorageTab = createSharedMemoryStorage().openTab();
 */
export type SharedStorageTab = EtnaSessionStorage & Required<Pick<EtnaSessionStorage, 'subscribe'>>;

/**
 * One storage in memory that several tabs' views share, as `createSharedMemoryStorage` returns it.
 * @example const shared = createSharedMemoryStorage(); const [first, second] = [shared.openTab(), shared.openTab()];
 */
export interface SharedMemoryStorage {
  /** A new tab's view of the storage. */
  openTab(): SharedStorageTab;
}

/**
 * A storage in memory shared by the views `openTab()` returns, as `localStorage` is shared by the tabs of an
 * origin: a write through one view is told to the subscribers of every other view, a moment later (as a
 * `BroadcastChannel` message arrives), never to its own.
 * @example const persist = createSharedMemoryStorage().openTab(); createEtnaAuthMachine({ baseUrl, appKey, persist });
 */
export function createSharedMemoryStorage(): SharedMemoryStorage {
  const items = new Map<string, string>();
  const listeners = new Set<{ readonly tab: object; readonly key: string; readonly onChange: () => void }>();
  const announce = (tab: object, key: string) => {
    for (const listener of listeners) {
      if (listener.tab !== tab && listener.key === key)
        queueMicrotask(() => {
          if (listeners.has(listener)) listener.onChange();
        });
    }
  };
  return {
    openTab() {
      const tab: SharedStorageTab = {
        getItem: (key) => items.get(key) ?? null,
        setItem: (key, value) => {
          items.set(key, value);
          announce(tab, key);
        },
        removeItem: (key) => {
          items.delete(key);
          announce(tab, key);
        },
        subscribe: (key, onChange) => {
          const listener = { tab, key, onChange };
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      };
      return tab;
    },
  };
}
