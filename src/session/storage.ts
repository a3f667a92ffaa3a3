/**
 * Where a session is kept across reloads: the part of the Web Storage interface the library uses,
 * so `window.sessionStorage` itself fits. Implementations may throw; the library then keeps the
 * session in memory only.
 */
export interface EtnaSessionStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A storage that lives as long as the page or process: survives actor restarts, not reloads. */
export function memoryStorage(): EtnaSessionStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
    removeItem: (key) => {
      items.delete(key);
    },
  };
}

/** Looks the browser storage up at each call: `window` may be absent (SSR) or access may throw (blocked cookies). */
function browserStorage(name: 'sessionStorage' | 'localStorage'): EtnaSessionStorage {
  const storage = () => {
    const found = (globalThis as { [key: string]: unknown })[name] as EtnaSessionStorage | undefined;
    if (!found) throw new Error(`${name} is not available here`);
    return found;
  };
  return {
    getItem: (key) => storage().getItem(key),
    setItem: (key, value) => storage().setItem(key, value),
    removeItem: (key) => storage().removeItem(key),
  };
}

/** The tab's `sessionStorage`: survives reloads of this tab, gone when the tab closes. */
export function browserSessionStorage(): EtnaSessionStorage {
  return browserStorage('sessionStorage');
}

/** The origin's `localStorage`: survives closing the browser, shared by every tab and script of the origin. */
export function browserLocalStorage(): EtnaSessionStorage {
  return browserStorage('localStorage');
}
