// The backend mode of the examples' pages (`ETNA_AUTH_BFF=1 npm run dev -w examples/<framework>`): the login runs
// in etna-auth/server on the dev server, and the components get an actor whose snapshots are the backend's views
// (etna-auth/remote): `useActorRef(machine)` starts it, `useSelector` reads it, `send` posts the event.
import {
  createEtnaRemoteActor,
  createEtnaRemoteClient,
  type EtnaRemoteEvent,
  type EtnaRemoteSnapshot,
} from 'etna-auth/remote';
import type { ActorLogic } from 'xstate';
import type { EtnaClient } from './api-call.js';

/** What XState sends an actor's logic when the actor stops. */
const XSTATE_STOP = 'xstate.stop';
/** What the logic's actor hears from the adapter: a new view arrived. */
const VIEW = 'etna-auth.remote.view';

type RemoteActorSnapshot = EtnaRemoteSnapshot & { readonly output: undefined; readonly error: undefined };
type RemoteLogicEvent = EtnaRemoteEvent | { readonly type: typeof VIEW };

/** The page's login on the backend at `/etna-auth/`, and its API client through the backend's proxy. */
export interface RemoteLogin {
  /** Actor logic for `useActorRef`: each actor follows the page's one adapter (one stream for the page). */
  readonly logic: ActorLogic<RemoteActorSnapshot, RemoteLogicEvent>;
  readonly api: EtnaClient;
}

/** The backend's login for this page: the page holds no app key and no token, only the backend's cookie. */
export function createRemoteLogin(): RemoteLogin {
  const remote = createEtnaRemoteActor();
  // The snapshot XState keeps: the adapter's, with the fields every XState snapshot has.
  const current = (): RemoteActorSnapshot => ({
    ...remote.getSnapshot(),
    output: undefined,
    error: undefined,
  });
  let started = false;
  const logic: RemoteLogin['logic'] = {
    getInitialSnapshot: current,
    start: (_snapshot, { self }) => {
      if (!started) remote.start();
      started = true;
      const views = remote.subscribe(() => self.send({ type: VIEW }));
      // The actor's end (the component unmounted) ends its subscription; the adapter lives with the page.
      self.subscribe({ complete: () => views.unsubscribe() });
    },
    transition: (snapshot, event) => {
      if ((event as { type: string }).type === XSTATE_STOP) return { ...snapshot, status: 'stopped' };
      if (event.type !== VIEW) remote.send(event);
      return current();
    },
    getPersistedSnapshot: (snapshot) => snapshot,
  };
  return { logic, api: createEtnaRemoteClient(remote) };
}
