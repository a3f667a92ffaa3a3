// Runs one generated model path with the real actor against the fake server, checking each step.
import { isDeepStrictEqual } from 'node:util';
import { createActor, waitFor } from 'xstate';
import { createEtnaAuthMachine } from '../src/index.js';
import { expectationOf, type FakeEtnaServer, type ModelPath } from '../src/testing/index.js';

export async function runModelPath(path: ModelPath, server: FakeEtnaServer): Promise<void> {
  const machine = createEtnaAuthMachine({
    baseUrl: server.url,
    appKey: server.appKey,
    timeout: 400,
    maxSteps: 2,
  });
  const actor = createActor(machine).start();
  try {
    for (const step of path.steps) {
      if (step.kind === 'user') {
        const sent = server.requests.length;
        if (step.serverAnswer) server.inject(step.serverAnswer);
        actor.send(step.event);
        if (step.serverAnswer) await server.waitForRequests(sent + 1);
      } else {
        await waitFor(actor, (snapshot) => !snapshot.hasTag('busy'), { timeout: 5_000 });
      }
      const actual = expectationOf(actor.getSnapshot());
      if (!isDeepStrictEqual(actual, step.expected)) {
        throw new Error(
          `${path.description}: expected ${JSON.stringify(step.expected)}, got ${JSON.stringify(actual)}`,
        );
      }
    }
  } finally {
    actor.stop();
  }
}
