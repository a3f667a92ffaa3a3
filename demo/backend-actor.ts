// The backend mode's actor (`npm start -- --bff`): the login runs in etna-auth/server on the demo server, and the
// page follows it through etna-auth/remote, holding no app key and no token. The event log and the inspector show
// what the backend lets the page see: the events the page sends (secrets redacted) and the states it reports.
import type { InspectionEvent } from 'xstate';
import { etnaAuthMachine } from '../src/machine/etna-auth-machine.js';
import {
  createEtnaRemoteActor,
  createEtnaRemoteClient,
  DEFAULT_BFF_PATH,
  type EtnaRemoteSnapshot,
} from '../src/remote/index.js';
import type { DemoActor } from './demo-actor.js';
import { byId } from './dom.js';
import { createEventLog } from './event-log.js';
import { createInspectorToggle } from './inspector-toggle.js';

/** Where the page's backend answers: the demo server names it in the page (a page of other timings has its own). */
function backendPath(): string {
  const named = document.querySelector<HTMLMetaElement>('meta[name="etna-auth-backend"]')?.content;
  return named?.startsWith(DEFAULT_BFF_PATH) ? named : DEFAULT_BFF_PATH;
}

/** Names the select's fault on the next event the page posts: the demo server plays it at the backend's request. */
function eventsWithFaultOf(faultChoice: HTMLSelectElement): typeof fetch {
  return (input, init) => {
    const fault = faultChoice.value;
    if (!fault || init?.method !== 'POST') return fetch(input, init);
    faultChoice.value = '';
    const headers = new Headers(init.headers);
    headers.set('x-demo-fault', fault);
    return fetch(input, { ...init, headers });
  };
}

/** The cookie is shared by the browser's tabs and the session is the backend's: the storage choices mean nothing. */
function hideStorageControls(): void {
  const keep = byId('keep-session').closest('label');
  if (keep) keep.hidden = true;
  byId('keep-hint').hidden = true;
  byId('open-tab').title =
    "The same page in a new tab: it shares this tab's login, which the backend holds for this browser.";
}

/** The login as the inspection events of an actor: the page sees what the backend reports, not its actor. */
function inspectionOf(snapshot: () => EtnaRemoteSnapshot) {
  const shown = () => {
    const { status, value, context, tags } = snapshot();
    return { status, value, context, tags: [...tags] };
  };
  const actorRef = {
    id: etnaAuthMachine.id,
    sessionId: 'etna-auth-backend',
    logic: etnaAuthMachine,
    getSnapshot: shown,
    send: () => {},
  };
  // Shaped as XState's inspection events, for the event log and the inspector; not an XState actor's.
  const event = (fields: object) =>
    ({ ...fields, actorRef, rootId: actorRef.sessionId }) as unknown as InspectionEvent;
  return {
    actor: () => event({ type: '@xstate.actor' }),
    sent: (sent: object) => event({ type: '@xstate.event', event: sent, sourceRef: undefined }),
    snapshot: () => event({ type: '@xstate.snapshot', snapshot: shown(), event: { type: '' } }),
  };
}

/** The page's actor in the backend mode (the page's query and storage are the backend's business). */
export function createBackendDemoActor(): DemoActor {
  const remote = createEtnaRemoteActor({
    url: backendPath(),
    fetch: eventsWithFaultOf(byId<HTMLSelectElement>('fault')),
  });
  hideStorageControls();
  const inspection = inspectionOf(() => remote.getSnapshot());
  const toLog = createEventLog(byId<HTMLOListElement>('log'));
  const toInspector = createInspectorToggle((inspect) => inspect(inspection.actor()));
  const inspect = (event: InspectionEvent) => {
    toLog(event);
    toInspector(event);
  };
  let shownState: unknown;
  remote.subscribe((snapshot) => {
    // A view of the login, once per change of state or context (the adapter's own tags come and go between).
    const state = JSON.stringify([snapshot.value, snapshot.context]);
    if (state !== shownState) inspect(inspection.snapshot());
    shownState = state;
  });
  return {
    logic: etnaAuthMachine,
    backend: remote,
    getSnapshot: () => remote.getSnapshot(),
    subscribe: (listener) => remote.subscribe(listener),
    send(event) {
      inspect(inspection.sent(event));
      remote.send(event);
    },
    start() {
      remote.start();
      inspect(inspection.actor());
    },
    createApiClient: () => createEtnaRemoteClient(remote, { retry: 0 }),
  };
}
