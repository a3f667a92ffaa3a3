// What the demo page's "Fake server's next answer" select can ask of the fake ETNA server, and how one is queued at
// the route the login's next request goes to: by the page's own request (in-page mode) or by the backend's (`--bff`).
import { callOf, journeyRouteOf } from '../src/testing/fake/routes.js';
import { FAKE_ETNA_ROUTES, type FakeEtnaServer, type FakeFault } from '../src/testing/index.js';

/** The header that names the fault, on the request it is for (in-page) or on the event that starts it (`--bff`). */
export const DEMO_FAULT_HEADER = 'x-demo-fault';

/** The select's faults, by its option values. */
const DEMO_FAULTS: Readonly<Record<string, FakeFault>> = {
  slow: { kind: 'delay', ms: 3_000 },
  hang: { kind: 'hang' },
  serverError: { kind: 'serverError' },
  drop: { kind: 'drop' },
  rateLimited: { kind: 'rateLimited', retryAfter: '5' },
  malformedJson: { kind: 'malformedJson' },
  appKey: {
    kind: 'respond',
    status: 403,
    body: { error: 'Application key is not defined or does not exist' },
  },
};

/** The fault a header names, when it names one of the select's. */
export function demoFaultNamed(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && Object.hasOwn(DEMO_FAULTS, header) ? header : undefined;
}

/**
 * Queues the fault `name` at `route` (relative to the fake server's root) for a `method` request; returns false
 * when the route takes none (the API's, an unknown one), so the fault waits for the login's next request.
 */
export function injectDemoFault(name: string, method: string, route: string, etna: FakeEtnaServer): boolean {
  const fault = DEMO_FAULTS[name];
  if (fault === undefined) return false;
  if (route === 'token') etna.inject(fault);
  else if (route === 'logout') etna.injectLogout(fault);
  else {
    const journeyRoute = journeyRouteOf(route);
    if (journeyRoute === undefined || FAKE_ETNA_ROUTES[journeyRoute].method !== method) return false;
    etna.injectAt(callOf(journeyRoute), fault);
  }
  return true;
}
