// Runs one generated model path with the real actor against the fake server, checking each step.
import { isDeepStrictEqual } from 'node:util';
import { createActor, SimulatedClock, waitFor } from 'xstate';
import { createEtnaClient } from '../src/client/index.js';
import {
  createModelMachine,
  expectationOf,
  type FakeEtnaServer,
  injectServerAnswer,
  type ModelPath,
} from '../src/testing/index.js';

export async function runModelPath(path: ModelPath, server: FakeEtnaServer): Promise<void> {
  const { machine } = createModelMachine({ baseUrl: server.url, appKey: server.appKey, start: path.start });
  const clock = new SimulatedClock();
  const actor = createActor(machine, { clock }).start();
  try {
    for (const step of path.steps) {
      if (step.kind === 'user') {
        const sent = server.requests.length;
        injectServerAnswer(server, step);
        actor.send(step.event);
        if (step.serverAnswer) await server.waitForRequests(sent + 1);
      } else if (step.kind === 'server') {
        await waitFor(actor, (snapshot) => !snapshot.hasTag('busy'), { timeout: 5_000 });
      } else if (step.end === 'expired') {
        clock.increment(Math.max(0, (actor.getSnapshot().context.sessionExpiresAt ?? 0) - Date.now()) + 1);
      } else {
        await createEtnaClient(actor)
          .get('v1.0/users/@me/info')
          .catch(() => {});
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
