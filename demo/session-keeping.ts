// Where the page keeps a session across reloads: the origin's localStorage, which every tab of the site shares (a
// login, a logout or an end in one tab is seen in the others), with `?storage=session` this tab's own
// sessionStorage, or with `?storage=async` localStorage behind a storage that answers later (later-storage.ts);
// and whether it keeps this one, as "Keep me logged in" says.
import {
  browserLocalStorage,
  browserSessionStorage,
  DEFAULT_PERSIST_KEY,
  type EtnaAsyncSessionStorage,
  type EtnaSessionStorage,
} from '../src/index.js';
import { byId, setText } from './dom.js';
import { answeringLater, LATER_MS } from './later-storage.js';

/** The storage key of the session (the library's default). */
export const SESSION_KEY = DEFAULT_PERSIST_KEY;

export interface SessionKeeping {
  /** The machine's `persist`: reads and clears always, writes only a session the page keeps. */
  readonly persist: EtnaSessionStorage | EtnaAsyncSessionStorage;
  /** True with localStorage (the site's tabs share the session), false with this tab's sessionStorage. */
  readonly sharedByTabs: boolean;
  /** Takes the checkbox's choice for the session a login (or a reset, which ends in one) is starting. */
  choose(keep: boolean): void;
  /** Whether a session is kept for reloads right now; storage may be blocked, which means no. */
  isKept(): boolean;
  /**
   * Calls `listener` (the last one given) whenever `isKept` may have changed without the machine moving: a storage that answers later
   * is asked to write a moment after the machine's step, and writes later still.
   */
  onKeptChange(listener: () => void): void;
}

/**
 * "Keep me logged in". The page always creates its one actor with the storage as `persist`, so a session kept
 * before a reload (or by another tab) is restored at start, and the library clears it whenever a session ends
 * (logout, expiry, revocation). Writing is what the checkbox decides: its value is taken when a login (or a
 * password reset, which ends in one) is started, and a session that succeeds is stored only if it was ticked,
 * or if a session is kept already (another tab's, adopted here, or this one's, restored): its renewal or its
 * moved end is kept with it, so the tabs never disagree. One actor for the page's life: nothing to rebuild when
 * the choice changes, and the inspector and the API client keep working with it. `subscribe` is the storage's
 * own: without it the tabs would not hear of each other.
 */
export function createSessionKeeping(params: URLSearchParams): SessionKeeping {
  const sharedByTabs = params.get('storage') !== 'session';
  const tabStorage = sharedByTabs ? browserLocalStorage() : browserSessionStorage();
  // `?storage=async`: the machine reads and writes it later; whether to write is still decided when it asks.
  let keptChanged = () => {};
  const later =
    params.get('storage') === 'async'
      ? answeringLater(tabStorage, { onWrite: () => keptChanged() })
      : undefined;
  const store = later ?? tabStorage;
  /** What the storage holds once the writes asked for so far have landed. */
  const held = (key: string) => (later ? later.willHold(key) : tabStorage.getItem(key));
  let keepThisSession = false;
  const persist: EtnaAsyncSessionStorage = {
    getItem: (key) => store.getItem(key),
    setItem: (key, value) => {
      if (keepThisSession || held(key) !== null) return store.setItem(key, value);
    },
    removeItem: (key) => store.removeItem(key),
    ...(tabStorage.subscribe && { subscribe: tabStorage.subscribe }),
  };

  if (later) {
    setText(
      byId('keep-hint'),
      `Keeps the session token in this browser's localStorage, read and written ${LATER_MS} ms later, as React Native's AsyncStorage would: at start the page restores it before offering anything. A reload or another tab of this site does not ask again.`,
    );
  }
  if (!sharedByTabs) {
    setText(byId('keep-label'), 'Keep me logged in in this tab');
    setText(
      byId('keep-hint'),
      "Keeps the session token in this tab's sessionStorage until you log out or the session ends, so a reload does not ask again.",
    );
  }

  return {
    persist,
    sharedByTabs,
    choose: (keep) => {
      keepThisSession = keep;
    },
    isKept: () => {
      try {
        return held(SESSION_KEY) !== null;
      } catch {
        return false;
      }
    },
    onKeptChange: (listener) => {
      keptChanged = listener;
    },
  };
}
