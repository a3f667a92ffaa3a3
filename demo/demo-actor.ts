// The page's one actor: the etna-auth machine with the settings the address asks for, its requests sent through
// the fake server's fault select, and every inspection event sent to the event log and, while its toggle is on,
// to the Stately inspector (both redacted). Served in the backend mode (`npm start -- --bff`), the login runs on
// the demo's backend instead (backend-actor.ts), behind the same interface: the screens do not tell them apart.
import { type Actor, type AnyStateMachine, createActor, type InspectionEvent } from 'xstate';
import { createEtnaClient } from '../src/client/index.js';
import { createEtnaAuthMachine, type EtnaAsyncSessionStorage, type EtnaAuthMachine } from '../src/index.js';
import type { EtnaRemoteActor, EtnaRemoteEvent } from '../src/remote/index.js';
import { DEMO_APP_KEY } from '../src/testing/demo-users.js';
import { createBackendDemoActor } from './backend-actor.js';
import { byId, setText } from './dom.js';
import { createEventLog } from './event-log.js';
import { createInspectorToggle } from './inspector-toggle.js';
import type { DemoSnapshot } from './screen.js';
import { SESSION_KEY } from './session-keeping.js';

/** What the page sends: the chart's user events, in either mode. */
export type DemoEvent = EtnaRemoteEvent;

/** The page's actor, not started: the screens and the statechart subscribe first. */
export interface DemoActor {
  /** The chart the login runs, here or on the backend: the statechart panel draws it. */
  readonly logic: AnyStateMachine;
  /** A local actor's system: the panel marks the transitions it takes (a backend's are not seen from here). */
  readonly system?: { inspect(observer: (event: InspectionEvent) => void): unknown };
  /** The adapter, when the login runs on the backend: the page then holds no token. */
  readonly backend?: EtnaRemoteActor;
  getSnapshot(): DemoSnapshot;
  subscribe(listener: (snapshot: DemoSnapshot) => void): { unsubscribe(): void };
  send(event: DemoEvent): void;
  start(): unknown;
  /** A ky instance for the ETNA API with this login's session (the session panel's call). */
  createApiClient(): ReturnType<typeof createEtnaClient>;
}

/** Set by the demo server's bundle (serve-demo.ts): true in the backend mode. */
interface DemoGlobals {
  readonly __ETNA_DEMO_BACKEND__?: boolean;
}
const BACKEND_MODE = (globalThis as DemoGlobals).__ETNA_DEMO_BACKEND__ === true;

/** Tells the demo server which fault its fake ETNA server plays for this one request (the select on the page). */
function fetchWithFaultOf(faultChoice: HTMLSelectElement): typeof fetch {
  return (input, init) => {
    const fault = faultChoice.value;
    if (!fault) return fetch(input, init);
    faultChoice.value = '';
    const request = new Request(input, init);
    request.headers.set('x-demo-fault', fault);
    return fetch(request);
  };
}

/**
 * The API root: the demo server's `/api/`, or with `?api=` another fake server on this machine (a test's own, one
 * per model path). Loopback only, so that no link can send what the page is typed to another host.
 */
function apiRootOf(params: URLSearchParams): string {
  const asked = URL.canParse(params.get('api') ?? '') ? new URL(params.get('api') ?? '') : undefined;
  const loopback =
    asked?.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(asked.hostname);
  return loopback && asked ? asked.href : new URL('/api/', location.href).href;
}

/**
 * The machine of the page: the query parameters (for tests and demos) set its timings, see main.ts; the
 * session is kept in `persist`.
 */
function createLocalDemoActor(params: URLSearchParams, persist: EtnaAsyncSessionStorage): DemoActor {
  const numberParam = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);
  const machine = createEtnaAuthMachine({
    baseUrl: apiRootOf(params),
    appKey: DEMO_APP_KEY,
    timeout: numberParam('timeout'),
    maxSteps: numberParam('maxSteps'),
    sessionLifetime: numberParam('sessionLifetime'),
    resendCooldown: numberParam('resendCooldown'),
    sessionWarning: numberParam('sessionWarning'),
    slidingSession: params.get('slidingSession') === '1',
    fetch: fetchWithFaultOf(byId<HTMLSelectElement>('fault')),
    persist,
    persistKey: SESSION_KEY,
  });

  // withRedaction hides the secrets ([redacted]) and what is personal, the phrase and pictures ([personal]).
  const toLog = createEventLog(byId<HTMLOListElement>('log'));
  // The actor started before the inspector did: introduce it, with its current (redacted) snapshot.
  const toInspector = createInspectorToggle((inspect) =>
    inspect({ type: '@xstate.actor', actorRef: actor, rootId: actor.sessionId }),
  );
  const actor: Actor<EtnaAuthMachine> = createActor(machine, {
    inspect: (event) => {
      toLog(event);
      toInspector(event);
    },
  });
  return Object.assign(actor, {
    // The page's own fetch, not the machine's: the fault select is for the login's requests only.
    createApiClient: () => createEtnaClient(actor, { fetch: (input, init) => fetch(input, init), retry: 0 }),
  });
}

/** The header's line saying where the login runs (`data-mode`: `in-browser` or `backend`). */
function showMode(): void {
  const line = byId('mode');
  line.dataset.mode = BACKEND_MODE ? 'backend' : 'in-browser';
  setText(
    line,
    BACKEND_MODE
      ? 'Backend mode: the login runs in etna-auth/server; this page holds no token and no app key'
      : 'In-browser mode: the login runs in this page (npm start -- --bff runs it on a backend)',
  );
}

/** The page's actor: the machine here, or in the backend mode the login the demo's backend runs. */
export function createDemoActor(params: URLSearchParams, persist: EtnaAsyncSessionStorage): DemoActor {
  showMode();
  // A constant in the bundle: the other mode's code is dropped from it, and with it, in the backend mode, the app key.
  // Read here, not through BACKEND_MODE: esbuild folds only the literal in place.
  const create = (globalThis as DemoGlobals).__ETNA_DEMO_BACKEND__
    ? createBackendDemoActor
    : createLocalDemoActor;
  return create(params, persist);
}
