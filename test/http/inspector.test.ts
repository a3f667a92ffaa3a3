import { createInspector } from '@statelyai/inspect';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { createEtnaAuthMachine, withRedaction } from '../../src/index.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';

const PASSWORD = 'CANARY-INSPECTOR-PASSWORD';
const PIN = 'CANARY-INSPECTOR-PIN';

describe('withRedaction in front of the Stately inspector (@statelyai/inspect)', () => {
  let server: FakeEtnaServer;
  beforeEach(async () => {
    server = await startFakeEtnaServer({ users: [{ username: 'ivy', password: PASSWORD, pin: PIN }] });
  });
  afterEach(async () => {
    await server.close();
  });

  async function inspectLogin(wrap: boolean) {
    const received: unknown[] = [];
    const inspector = createInspector({ start() {}, stop() {}, send: (event) => received.push(event) });
    const machine = createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey });
    const actor = createActor(machine, {
      inspect: wrap ? withRedaction(inspector.inspect) : inspector.inspect,
    });
    actor.start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'ivy', password: PASSWORD });
    await waitFor(actor, (snapshot) => snapshot.matches({ expecting: 'securityPin' }));
    actor.send({ type: 'SUBMIT_PIN', pin: PIN });
    const final = await waitFor(actor, (snapshot) => snapshot.matches('succeeded'));
    actor.stop();
    // The inspector sends from an idle callback (a timer in Node).
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { text: JSON.stringify(received), received, final };
  }

  it('still receives the machine definition, the events and the snapshots, with no secret in them', async () => {
    const { text, received, final } = await inspectLogin(true);
    const types = received.map((event) => (event as { type: string }).type);
    expect(types).toContain('@xstate.actor');
    expect(types).toContain('@xstate.event');
    expect(types).toContain('@xstate.snapshot');
    expect(text).toContain('\\"id\\":\\"etnaAuth\\"');
    expect(text).toContain('"SUBMIT_PIN"');
    expect(text).toContain('"succeeded"');
    const token = final.context.sessionToken?.reveal() ?? '';
    expect(token.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, PIN, token]) expect(text).not.toContain(secret);
  });

  it('would leak the typed password without it (the check above can fail)', async () => {
    const { text } = await inspectLogin(false);
    expect(text).toContain(PASSWORD);
  });
});
