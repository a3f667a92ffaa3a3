import type { EtnaBffStore } from './session-store.js';

/** How often expired keys are dropped, besides on each read. */
const SWEEP_MS = 60_000;

/**
 * Sessions in this process's memory: nothing to install, for one process. A restart ends every session.
 * Handlers created with the same store share its sessions (and hear each other's changes).
 * @example createEtnaBff({ etna, allowedOrigins, store: memorySessionStore() })
 */
export function memorySessionStore(): EtnaBffStore {
  const items = new Map<string, { value: string; until: number }>();
  const listeners = new Set<(message: string) => void>();
  const live = (key: string) => {
    const item = items.get(key);
    if (item && item.until <= Date.now()) items.delete(key);
    return items.get(key);
  };
  const sweep = setInterval(() => {
    for (const key of items.keys()) live(key);
  }, SWEEP_MS);
  sweep.unref();
  return {
    get: async (key) => live(key)?.value,
    set: async (key, value, ttlMs) => {
      items.set(key, { value, until: Date.now() + ttlMs });
    },
    expire: async (key, ttlMs) => {
      const item = live(key);
      if (item) item.until = Date.now() + ttlMs;
      return item !== undefined;
    },
    delete: async (key) => {
      items.delete(key);
    },
    publish: async (message) => {
      // Delivered on a later turn, as a network channel would.
      for (const listener of listeners) queueMicrotask(() => listener(message));
    },
    subscribe: (onMessage) => {
      listeners.add(onMessage);
      return () => listeners.delete(onMessage);
    },
    close: async () => {
      clearInterval(sweep);
      listeners.clear();
    },
  };
}
