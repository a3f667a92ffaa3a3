// One list of calls beside /token (src/contract/calls.ts): the services, the machine's actors, the RETRY table,
// the fake server's routes and the model's endpoints and answers are all read off it, so a new call is its entry
// there, its state in its region and its route in its region's fake module (CONTRIBUTING.md).
import { describe, expect, it } from 'vitest';
import { JOURNEY_CALL_NAMES, JOURNEY_CALLS } from '../../../src/contract/calls.js';
import { createEtnaAuthMachine } from '../../../src/index.js';
import { etnaAuthMachine } from '../../../src/machine/etna-auth-machine.js';
import { createJourneyServices } from '../../../src/services/journey/index.js';
import { FAKE_ETNA_ROUTES, MODEL_BUSY_ENDPOINTS, MODEL_OUTCOMES } from '../../../src/testing/index.js';
import { undeclaredCallAnswers } from '../../../src/testing/model/any-call.js';

const config = {
  tokenUrl: 'https://etna.example/api/token',
  apiRoot: 'https://etna.example/api/',
  appKey: 'k',
  timeout: 1_000,
  fetch: undefined,
};

describe('the one list of calls beside /token', () => {
  it('gives the services one function per call', () => {
    expect(Object.keys(createJourneyServices(config))).toEqual([...JOURNEY_CALL_NAMES]);
  });

  it("gives the bare machine and createEtnaAuthMachine's one actor per call", () => {
    const provided = createEtnaAuthMachine({ baseUrl: config.apiRoot, appKey: 'k' });
    for (const call of JOURNEY_CALL_NAMES) {
      expect(etnaAuthMachine.implementations.actors[call], call).toBeDefined();
      expect(provided.implementations.actors[call], call).not.toBe(
        etnaAuthMachine.implementations.actors[call],
      );
    }
  });

  it('sends every call from a busy state, from which its failure is retried by RETRY in error', () => {
    const called = new Set(Object.values(MODEL_BUSY_ENDPOINTS));
    for (const call of JOURNEY_CALL_NAMES) expect(called, call).toContain(call);
    const retries = etnaAuthMachine.root.states.error?.transitions.get('RETRY') ?? [];
    const retried = retries.map((transition) => transition.target?.[0]?.path.join('.'));
    for (const [state, endpoint] of Object.entries(MODEL_BUSY_ENDPOINTS)) {
      if ((JOURNEY_CALL_NAMES as readonly string[]).includes(endpoint))
        expect(retried, state).toContain(state);
    }
  });

  it("gives the fake server one route per call, with the call's method and path", () => {
    for (const call of JOURNEY_CALL_NAMES) {
      const route = FAKE_ETNA_ROUTES[call];
      expect(route.method.toLowerCase(), call).toBe(JOURNEY_CALLS[call].method);
      expect(route.path, call).toBe(JOURNEY_CALLS[call].path);
    }
  });

  it('gives the model answers of every call, and three of its own to a call no region declares answers for', () => {
    for (const call of JOURNEY_CALL_NAMES)
      expect(
        MODEL_OUTCOMES.some((outcome) => outcome.endpoint === call),
        call,
      ).toBe(true);
    const derived = undeclaredCallAnswers([]);
    expect(derived).toHaveLength(3 * JOURNEY_CALL_NAMES.length);
    for (const call of JOURNEY_CALL_NAMES) {
      const names = derived.filter((outcome) => outcome.endpoint === call).map((outcome) => outcome.name);
      expect(names).toEqual([`${call} accepted`, `${call} refused`, `${call}: http error`]);
    }
    expect(undeclaredCallAnswers(MODEL_OUTCOMES.map((o) => ({ ...o, output: undefined })))).toEqual([]);
  });
});
