/**
 * Where a session is kept across reloads: the part of the Web Storage interface the library uses,
 * so `window.sessionStorage` itself fits. Implementations may throw; the library then keeps the
 * session in memory only.
 * @example createEtnaAuthMachine({ baseUrl, appKey, persist: window.sessionStorage })
 */
export interface EtnaSessionStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /**
   * For a storage other tabs share: calls `onChange` when another tab changed `key` (the value is then read
   * with `getItem`; the notice itself carries nothing), and returns a function that stops it. With it, the
   * tabs of an origin share one session; without it, each actor keeps its own.
   */
  subscribe?(key: string, onChange: () => void): () => void;
}

/**
 * A storage that answers later, as React Native's AsyncStorage, IndexedDB wrappers and encrypted storages do:
 * each method may return a Promise. The machine then starts in `restoring` (sending nothing) until the stored
 * session is read, and writes settle in the background (a failed write keeps the session in memory only).
 * @example createEtnaAuthMachine({ baseUrl, appKey, persist: AsyncStorage }) // React Native
 */
export interface EtnaAsyncSessionStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
  /** As `EtnaSessionStorage.subscribe`: the value is then read with `getItem`, however it answers. */
  subscribe?(key: string, onChange: () => void): () => void;
}

/**
 * The `BroadcastChannel` over which `browserLocalStorage()` tells the other tabs of the origin that a key
 * changed. Its messages are `{ key }`, the storage key and nothing else: never a token.
 * @example new BroadcastChannel(SESSION_CHANNEL).onmessage = ({ data }) => console.log(data.key);
 */
export const SESSION_CHANNEL = 'etna-auth.session';

/**
 * A storage that lives as long as the page or process: survives actor restarts, not reloads.
 * @example createEtnaAuthMachine({ baseUrl, appKey, persist: memoryStorage() })
 */
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

/**
 * The tab's `sessionStorage`: survives reloads of this tab, gone when the tab closes.
 * @example createEtnaAuthMachine({ baseUrl, appKey, persist: browserSessionStorage() })
 */
export function browserSessionStorage(): EtnaSessionStorage {
  return browserStorage('sessionStorage');
}

type Channel = {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  unref?: () => void;
};
type ChannelConstructor = new (name: string) => Channel;
type Listening = (type: string, listener: (event: { readonly key: string | null }) => void) => void;

/** Node has a BroadcastChannel too: unref'd, an open one does not keep a process alive. */
function openChannel(): Channel | undefined {
  const Broadcast = (globalThis as { BroadcastChannel?: ChannelConstructor }).BroadcastChannel;
  if (typeof Broadcast !== 'function') return undefined;
  const channel = new Broadcast(SESSION_CHANNEL);
  channel.unref?.();
  return channel;
}

/**
 * The origin's `localStorage`: survives closing the browser, shared by every tab and script of the origin.
 * The tabs share one session: each write is announced to the others on `SESSION_CHANNEL`, and seen through the
 * `storage` event too (where `BroadcastChannel` is missing, and where its message overtakes the write).
 * @example createEtnaAuthMachine({ baseUrl, appKey, persist: browserLocalStorage() })
 */
export function browserLocalStorage(): EtnaSessionStorage {
  const storage = browserStorage('localStorage');
  let outgoing: Channel | undefined;
  const announce = (key: string) => {
    try {
      outgoing ??= openChannel();
      outgoing?.postMessage({ key });
    } catch {
      // No channel here: the other tabs still see the `storage` event, or nothing shares this storage.
    }
  };
  /** The value of each key as this tab last knew it: what it wrote, or what a notice found. */
  const known = new Map<string, string | null>();
  return {
    getItem: storage.getItem,
    setItem: (key, value) => {
      storage.setItem(key, value);
      known.set(key, value);
      announce(key);
    },
    removeItem: (key) => {
      storage.removeItem(key);
      known.set(key, null);
      announce(key);
    },
    subscribe(key, onChange) {
      // No localStorage here (a server render): nothing another tab could change.
      try {
        known.set(key, storage.getItem(key));
      } catch {
        return () => {};
      }
      // Both: a channel message can arrive before the write it announces is visible here (Chromium), and the
      // `storage` event that follows it is when it is. One write is heard twice: only a value this tab has not
      // seen yet is a change (another user's session, heard twice, would end this one, then be adopted).
      const changed = () => {
        let value: string | null;
        try {
          value = storage.getItem(key);
        } catch {
          return;
        }
        if (known.get(key) === value) return;
        known.set(key, value);
        onChange();
      };
      const incoming = openChannel();
      if (incoming) {
        incoming.onmessage = ({ data }) => {
          if ((data as { key?: unknown } | null)?.key === key) changed();
        };
      }
      const page = globalThis as { addEventListener?: Listening; removeEventListener?: Listening };
      // `key` null: the whole storage was cleared.
      const listener = (event: { readonly key: string | null }) => {
        if (event.key === key || event.key === null) changed();
      };
      page.addEventListener?.('storage', listener);
      return () => {
        incoming?.close();
        page.removeEventListener?.('storage', listener);
      };
    },
  };
}
