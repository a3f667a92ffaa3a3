import type { AddressInfo } from 'node:net';
import { createWebSocketInspector } from '@statelyai/inspect';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createActor, waitFor } from 'xstate';
import { createEtnaAuthMachine, selectToken, withRedaction } from '../../src/index.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';

const CANARIES = {
  password: 'CANARY-WS-PASSWORD-51',
  pin: 'CANARY-WS-PIN-52',
  code: 'CANARY-WS-CODE-53',
};

/** A local WebSocket server standing in for the inspector UI: it records every message it is sent. */
async function startRecorder() {
  const messages: string[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (socket) => socket.on('message', (data) => messages.push(String(data))));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
}

describe('a real createWebSocketInspector connection, as a developer watches from Node', () => {
  let server: FakeEtnaServer;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  beforeEach(async () => {
    server = await startFakeEtnaServer({
      users: [
        { username: 'wes', password: CANARIES.password, pin: CANARIES.pin, verificationCode: CANARIES.code },
      ],
    });
    recorder = await startRecorder();
  });
  afterEach(async () => {
    await server.close();
    await recorder.close();
  });

  async function loginWatched(wrap: boolean) {
    const inspector = createWebSocketInspector({ url: recorder.url });
    const interim: string[] = [];
    const machine = createEtnaAuthMachine({
      baseUrl: server.url,
      appKey: server.appKey,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const body = await response.clone().text();
        const token = /"Token":"([^"]+)"/.exec(body)?.[1];
        if (token && response.status === 202) interim.push(token);
        return response;
      },
    });
    const actor = createActor(machine, {
      inspect: wrap ? withRedaction(inspector.inspect) : inspector.inspect,
    });
    actor.start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'wes', password: CANARIES.password });
    await waitFor(actor, (s) => s.matches({ expecting: 'verificationCode' }));
    actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: CANARIES.code });
    await waitFor(actor, (s) => s.matches({ expecting: 'securityPin' }));
    actor.send({ type: 'SUBMIT_PIN', pin: CANARIES.pin });
    const done = await waitFor(actor, (s) => s.matches('succeeded'));
    const session = selectToken(done) ?? '';
    actor.send({ type: 'LOGOUT' });
    // Everything sent so far reaches the recorder; wait for the final idle snapshot to arrive.
    const deadline = Date.now() + 5_000;
    while (!recorder.messages.some((m) => m.includes('"LOGOUT"')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    actor.stop();
    inspector.stop();
    return {
      received: recorder.messages.join('\n'),
      secrets: [...Object.values(CANARIES), ...interim, session],
    };
  }

  it('carries the machine, its events and snapshots over the socket, and no password, PIN, code or token', async () => {
    const { received, secrets } = await loginWatched(true);
    expect(secrets).toHaveLength(6);
    expect(received).toContain('"@xstate.actor"');
    expect(received).toContain('etnaAuth');
    expect(received).toContain('"SUBMIT_PIN"');
    expect(received).toContain('"succeeded"');
    for (const secret of secrets) expect(received).not.toContain(secret);
  });

  it('would carry the typed secrets without withRedaction (the check above can fail)', async () => {
    const { received } = await loginWatched(false);
    expect(received).toContain(CANARIES.password);
    expect(received).toContain(CANARIES.pin);
  });
});
