// The page's one actor: the etna-auth machine with the settings the address asks for, its requests sent through
// the fake server's fault select, and every inspection event sent to the event log and, while its toggle is on,
// to the Stately inspector (both redacted).
import { createBrowserInspector } from '@statelyai/inspect';
import { type Actor, createActor, type InspectionEvent } from 'xstate';
import {
  createEtnaAuthMachine,
  type EtnaAuthMachine,
  type EtnaSessionStorage,
  withRedaction,
} from '../src/index.js';
import { DEMO_APP_KEY } from '../src/testing/demo-users.js';
import { byId } from './dom.js';
import { createEventLog } from './event-log.js';
import { createInspectorStatus } from './inspector-status.js';
import { SESSION_KEY } from './session-keeping.js';

/** The page's actor, not started: the screens and the statechart subscribe first. */
export type DemoActor = Actor<EtnaAuthMachine>;

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
export function createDemoActor(params: URLSearchParams, persist: EtnaSessionStorage): DemoActor {
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
  let toInspector: ((event: InspectionEvent) => void) | undefined;
  const actor = createActor(machine, {
    inspect: (event) => {
      toLog(event);
      toInspector?.(event);
    },
  });

  const toggle = byId<HTMLInputElement>('inspect');
  const inspectorStatus = createInspectorStatus(toggle.closest('label') ?? toggle);
  let inspector: ReturnType<typeof createBrowserInspector> | undefined;
  toggle.addEventListener('change', (change) => {
    if ((change.target as HTMLInputElement).checked) {
      const started = createBrowserInspector();
      inspector = started;
      inspectorStatus.started();
      toInspector = withRedaction(started.inspect);
      // The actor started before the inspector did: introduce it, with its current (redacted) snapshot.
      toInspector({ type: '@xstate.actor', actorRef: actor, rootId: actor.sessionId });
    } else {
      toInspector = undefined;
      inspector?.stop();
      inspector = undefined;
      inspectorStatus.stopped();
    }
  });
  return actor;
}
