import { HTTPError } from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, waitFor } from 'xstate';
import { toDirectedGraph } from 'xstate/graph';
import { createEtnaClient } from '../../src/client/index.js';
import { DEFAULT_PERSIST_KEY, selectToken } from '../../src/index.js';
import { etnaAuthMachine } from '../../src/machine/etna-auth-machine.js';
import {
  createModelMachine,
  expectationOf,
  type FakeEtnaServer,
  getEtnaAuthPaths,
  injectServerAnswer,
  MODEL_INTERIM_TOKENS,
  MODEL_SESSION_TOKEN,
  MODEL_USER,
  type ModelPath,
  type ModelUserEvent,
  measureCoverage,
  startFakeEtnaServer,
} from '../../src/testing/index.js';

const MAX_STEPS = 2;
const paths = getEtnaAuthPaths({ maxSteps: MAX_STEPS });
const coverage = measureCoverage(paths, { maxSteps: MAX_STEPS });
const stepCount = paths.reduce((sum, path) => sum + path.steps.length, 0);

console.log(
  [
    `model paths: ${paths.length} (${stepCount} steps)`,
    `state nodes covered: ${coverage.covered.stateNodes.size}/${coverage.stateNodes.length}`,
    `transitions covered: ${coverage.covered.transitions.size}/${coverage.transitions.length}`,
    `transition-in-state and event targets covered: ${coverage.covered.targets.size}/${coverage.targets.length}`,
  ].join('\n'),
);

describe('paths generated from the machine graph', () => {
  it('cover every state node, every transition and every target, naming any that is missed', () => {
    expect(coverage.missing).toEqual([]);
    expect(coverage.covered.stateNodes.size).toBe(coverage.stateNodes.length);
    expect(coverage.covered.transitions.size).toBe(coverage.transitions.length);
  });

  it('lists the transitions of the shipped machine, as its directed graph has them', () => {
    const edges: number[] = [];
    const walk = (node: ReturnType<typeof toDirectedGraph>) => {
      edges.push(node.edges.length);
      node.children.forEach(walk);
    };
    walk(toDirectedGraph(etnaAuthMachine));
    // The directed graph leaves out eventless transitions: the chart has one, restoring a stored session.
    expect(coverage.transitions).toHaveLength(edges.reduce((sum, count) => sum + count, 0) + 1);
    expect(coverage.transitions).toContain('etnaAuth.idle --(always)--> etnaAuth.succeeded');
    expect(coverage.stateNodes).toEqual(
      expect.arrayContaining(['etnaAuth.idle', 'etnaAuth.expecting.securityPin', 'etnaAuth.error']),
    );
  });

  it('reports what a smaller set of paths leaves uncovered', () => {
    const withoutRefusal = paths.filter((path) => path.description !== 'SUBMIT_CREDENTIALS(refused)');
    expect(withoutRefusal.length).toBe(paths.length - 1);
    const partial = measureCoverage(withoutRefusal, { maxSteps: MAX_STEPS });
    expect(partial.missing).toContain('etnaAuth.idle --SUBMIT_CREDENTIALS [1/2]--> (stays) @ etnaAuth.idle');
  });

  it('refuses a path whose expectation the machine does not meet', () => {
    const [first] = paths;
    if (!first) throw new Error('no paths');
    const [step] = first.steps;
    if (!step) throw new Error('empty path');
    const stale: ModelPath = {
      ...first,
      steps: [{ ...step, expected: { ...step.expected, state: 'succeeded' } }],
    };
    expect(() => measureCoverage([stale])).toThrow(/expected .*succeeded/);
  });

  it('gives every step that starts a request the server answer to script, and no other step', () => {
    for (const path of paths) {
      for (const step of path.steps) {
        if (step.kind !== 'user') continue;
        const endpoint = { authenticating: 'token', loggingOut: 'logout' }[step.expected.state];
        expect(step.serverAnswer?.endpoint).toBe(endpoint);
      }
    }
  });

  it('starts some paths from a restored session, already logged in', () => {
    const restored = paths.filter((path) => path.start === 'restored');
    expect(restored.length).toBeGreaterThan(0);
    for (const path of restored) expect(path.initial).toMatchObject({ state: 'succeeded', hasToken: true });
    for (const path of paths.filter((candidate) => candidate.start === 'fresh'))
      expect(path.initial).toMatchObject({ state: 'idle', hasToken: false });
  });
});

/** The headers the model says the request started by `event` carries. */
function expectedHeaders(
  event: ModelUserEvent,
  interim: string | undefined,
  previous: Record<string, string>,
) {
  const base = { username: MODEL_USER.username, password: MODEL_USER.password };
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS':
      return base;
    case 'SUBMIT_PIN':
      return { ...base, authorization: `Bearer ${interim}`, pincode: event.pin };
    case 'SUBMIT_VERIFICATION_CODE':
      return { ...base, authorization: `Bearer ${interim}`, verificationcode: event.code };
    default:
      return previous;
  }
}

const SECRET_HEADERS = ['username', 'password', 'authorization', 'pincode', 'verificationcode'];

describe('every generated path, run by the real actor and ky service against the fake ETNA server', () => {
  let server: FakeEtnaServer;
  beforeEach(async () => {
    server = await startFakeEtnaServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it.each(paths.map((path) => [path.description, path] as const))('%s', async (_description, path) => {
    const { machine, storage } = createModelMachine({
      baseUrl: server.url,
      appKey: server.appKey,
      start: path.start,
      maxSteps: MAX_STEPS,
    });
    const clock = new SimulatedClock();
    const actor = createActor(machine, { clock }).start();
    const client = createEtnaClient(actor);
    let interim: string | undefined;
    let lastHeaders: Record<string, string> = {};
    expect(expectationOf(actor.getSnapshot()), 'the start').toEqual(path.initial);
    try {
      for (const [index, step] of path.steps.entries()) {
        const where = `step ${index + 1} of ${path.description}`;
        if (step.kind === 'user') {
          const sent = server.requests.length;
          const wasBusy = actor.getSnapshot().hasTag('busy');
          injectServerAnswer(server, step);
          actor.send(step.event);
          if (step.serverAnswer?.endpoint === 'token') {
            await server.waitForRequests(sent + 1);
            const request = server.requests[sent];
            lastHeaders = expectedHeaders(step.event, interim, lastHeaders);
            expect(request?.path, where).toBe('/api/token');
            expect(request?.header('et-app-key'), where).toBe(server.appKey);
            for (const name of SECRET_HEADERS)
              expect(request?.header(name), `${where}: ${name}`).toBe(lastHeaders[name]);
          } else if (step.serverAnswer?.endpoint === 'logout') {
            await server.waitForRequests(sent + 1);
            const request = server.requests[sent];
            expect(request?.path, where).toBe('/api/logout');
            expect(request?.method, where).toBe('POST');
            expect(request?.header('et-app-key'), where).toBe(server.appKey);
            expect(request?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
          } else {
            expect(server.requests.length, `${where}: no request`).toBe(sent);
          }
          if (wasBusy && !actor.getSnapshot().hasTag('busy')) {
            const aborted = await server.waitForEnd(sent - 1);
            expect(aborted.aborted, `${where}: the request in flight is aborted`).toBe(true);
          }
        } else if (step.kind === 'server') {
          await waitFor(actor, (snapshot) => !snapshot.hasTag('busy'), { timeout: 5_000 });
          if (step.outcome === 'expecting securityPin') interim = MODEL_INTERIM_TOKENS.securityPin;
          if (step.outcome === 'expecting verificationCode') interim = MODEL_INTERIM_TOKENS.verificationCode;
        } else if (step.end === 'expired') {
          const left = (actor.getSnapshot().context.sessionExpiresAt ?? 0) - Date.now();
          expect(left, where).toBeGreaterThan(path.start === 'restored' ? 3_590_000 : 86_390_000);
          clock.increment(left - 1_000);
          expect(actor.getSnapshot().value, `${where}: not a second early`).toBe('succeeded');
          clock.increment(2_000);
        } else {
          const sent = server.requests.length;
          const error = await client.get('v1.0/users/@me/info').catch((caught: unknown) => caught);
          expect(error, where).toBeInstanceOf(HTTPError);
          expect((error as HTTPError).response.status, where).toBe(401);
          expect(server.requests[sent]?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
        }
        const snapshot = actor.getSnapshot();
        expect(expectationOf(snapshot), where).toEqual(step.expected);
        expect(selectToken(snapshot), where).toBe(step.expected.hasToken ? MODEL_SESSION_TOKEN : undefined);
        if (snapshot.context.error) expect(snapshot.context.error.message.length, where).toBeGreaterThan(0);
        const stored = storage.getItem(DEFAULT_PERSIST_KEY);
        expect(stored !== null, `${where}: a session is stored only while logged in`).toBe(
          snapshot.value === 'succeeded',
        );
        if (stored !== null) expect(JSON.parse(stored).token, where).toBe(MODEL_SESSION_TOKEN);
      }
    } finally {
      actor.stop();
    }
  });
});
