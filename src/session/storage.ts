/**
 * Where a session is kept across reloads: the part of the Web Storage interface the library uses,
 * so `window.sessionStorage` itself fits. Implementations may throw; the library then keeps the
 * session in memory only.
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
 * The `BroadcastChannel` over which `browserLocalStorage()` tells the other tabs of the origin that a key
 * changed. Its messages are `{ key }`, the storage key and nothing else: never a token.
 */
export const SESSION_CHANNEL = 'etna-auth.session';

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

type Channel = {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  unref?: () => void;
};
type ChannelConstructor = new (name: string) => Channel;
type Listening = (type: string, listener: (event: { readonly key: string | null }) => void) => void;

/** Before the first change a subscriber hears: no stored value is ever this. */
const NOT_HEARD = Symbol('not heard yet');

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
  return {
    getItem: storage.getItem,
    setItem: (key, value) => {
      storage.setItem(key, value);
      announce(key);
    },
    removeItem: (key) => {
      storage.removeItem(key);
      announce(key);
    },
    subscribe(key, onChange) {
      // No localStorage here (a server render): nothing another tab could change.
      try {
        storage.getItem(key);
      } catch {
        return () => {};
      }
      // Both: a channel message can arrive before the write it announces is visible here (Chromium), and the
      // `storage` event that follows it is when it is. A write heard twice is one change: the value the last call
      // saw is not announced again (a tab whose session another user's just ended must not be told it twice).
      let heard: unknown = NOT_HEARD;
      const changed = () => {
        let value: unknown;
        try {
          value = storage.getItem(key);
        } catch {
          value = Symbol('unreadable');
        }
        if (value === heard) return;
        heard = value;
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
