// Where the page keeps a session across reloads: the origin's localStorage, which every tab of the site shares (a
// login, a logout or an end in one tab is seen in the others), or with `?storage=session` this tab's own
// sessionStorage; and whether it keeps this one, as "Keep me logged in" says.
import {
  browserLocalStorage,
  browserSessionStorage,
  DEFAULT_PERSIST_KEY,
  type EtnaSessionStorage,
} from '../src/index.js';
import { byId, setText } from './dom.js';

/** The storage key of the session (the library's default). */
export const SESSION_KEY = DEFAULT_PERSIST_KEY;

export interface SessionKeeping {
  /** The machine's `persist`: reads and clears always, writes only a session the page keeps. */
  readonly persist: EtnaSessionStorage;
  /** True with localStorage (the site's tabs share the session), false with this tab's sessionStorage. */
  readonly sharedByTabs: boolean;
  /** Takes the checkbox's choice for the session a login (or a reset, which ends in one) is starting. */
  choose(keep: boolean): void;
  /** Whether a session is kept for reloads right now; storage may be blocked, which means no. */
  isKept(): boolean;
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
  let keepThisSession = false;
  const persist: EtnaSessionStorage = {
    getItem: (key) => tabStorage.getItem(key),
    setItem: (key, value) => {
      if (keepThisSession || tabStorage.getItem(key) !== null) tabStorage.setItem(key, value);
    },
    removeItem: (key) => tabStorage.removeItem(key),
    ...(tabStorage.subscribe && { subscribe: tabStorage.subscribe }),
  };

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
        return tabStorage.getItem(SESSION_KEY) !== null;
      } catch {
        return false;
      }
    },
  };
}
