import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toDirectedGraph } from 'xstate/graph';
import { etnaAuthMachine } from '../../src/machine/etna-auth-machine.js';
import {
  type FakeEtnaServer,
  getEtnaAuthPaths,
  MODEL_BUSY_ENDPOINTS,
  MODEL_USER,
  type ModelPath,
  measureCoverage,
  startFakeEtnaServer,
} from '../../src/testing/index.js';
import { runModelPath } from './model-path-runner.js';

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
    // The directed graph leaves out eventless transitions: the chart has two, leaving `restoring` when the storage
    // answered at once, and restoring the stored session from `idle`.
    expect(coverage.transitions).toHaveLength(edges.reduce((sum, count) => sum + count, 0) + 2);
    expect(coverage.transitions).toContain('etnaAuth.idle --(always)--> etnaAuth.succeeded');
    expect(coverage.transitions).toContain('etnaAuth.restoring --(always)--> etnaAuth.idle');
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
        expect(step.serverAnswer?.endpoint).toBe(MODEL_BUSY_ENDPOINTS[step.expected.state]);
      }
    }
  });

  it('queues the answer of a request the machine starts by itself (the login after a journey) with the step before', () => {
    const chained = paths.filter((path) =>
      path.steps.some((step) => step.kind === 'user' && step.followingAnswers.length > 0),
    );
    expect(chained.map((path) => path.description)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('SUBMIT_NEW_PIN(valid) → server: PIN saved'),
        expect.stringContaining('SUBMIT_NEW_PASSWORD(valid) → server: password saved'),
      ]),
    );
    for (const path of chained) {
      for (const [index, step] of path.steps.entries()) {
        if (step.kind !== 'user' || step.followingAnswers.length === 0) continue;
        const next = path.steps[index + 1];
        expect(next?.kind).toBe('server');
        expect(MODEL_BUSY_ENDPOINTS[next?.expected.state ?? '']).toBe(step.followingAnswers[0]?.endpoint);
      }
    }
  });

  it('holds RETRY back during a rate limit and RESEND_CODE during the cooldown, until the time step', () => {
    for (const until of ['retry', 'resend'] as const) {
      const path = paths.find((candidate) =>
        candidate.steps.some((step) => step.kind === 'wait' && step.until === until),
      );
      if (!path) throw new Error(`no path waits for ${until}`);
      const at = path.steps.findIndex((step) => step.kind === 'wait');
      const before = path.steps[at - 1]?.expected;
      const after = path.steps[at]?.expected;
      const can = until === 'retry' ? 'canRetry' : 'canResend';
      expect(before?.[can], path.description).toBe(false);
      expect(after?.[can], path.description).toBe(true);
    }
  });

  it('starts some paths from a restored session, already logged in', () => {
    const restored = paths.filter((path) => path.start === 'restored');
    expect(restored.length).toBeGreaterThan(0);
    for (const path of restored) {
      expect(path.initial).toMatchObject({
        state: 'succeeded.active',
        hasToken: true,
        username: MODEL_USER.username,
      });
    }
    for (const path of paths.filter((candidate) => candidate.start === 'fresh'))
      expect(path.initial).toMatchObject({ state: 'idle', hasToken: false });
  });
});

describe('every generated path, run by the real actor and ky service against the fake ETNA server', () => {
  let server: FakeEtnaServer;
  beforeEach(async () => {
    server = await startFakeEtnaServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it.each(paths.map((path) => [path.description, path] as const))('%s', (_description, path) =>
    runModelPath(server, path, MAX_STEPS),
  );
});
