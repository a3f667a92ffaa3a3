import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { createEtnaAuthMachine, type EtnaAuthEvent } from '../../src/index.js';
import { DEMO_USERS, type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';

/** Round trips are a budget that can fail: each login costs exactly the requests its steps need. */
describe('requests per login, counted by the fake server', () => {
  let server: FakeEtnaServer;
  beforeEach(async () => {
    server = await startFakeEtnaServer();
  });
  afterEach(async () => {
    await server.close();
  });

  async function login(username: string) {
    const user = DEMO_USERS.find((candidate) => candidate.username === username);
    if (!user) throw new Error(`no demo user ${username}`);
    const actor = createActor(createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey })).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username, password: user.password });
    for (;;) {
      const snapshot = await waitFor(actor, (s) => !s.hasTag('busy'));
      let next: EtnaAuthEvent | undefined;
      if (snapshot.matches({ expecting: 'securityPin' })) next = { type: 'SUBMIT_PIN', pin: user.pin ?? '' };
      if (snapshot.matches({ expecting: 'verificationCode' })) {
        next = { type: 'SUBMIT_VERIFICATION_CODE', code: user.verificationCode ?? '' };
      }
      if (!next) {
        actor.stop();
        return snapshot.value;
      }
      actor.send(next);
    }
  }

  it.each([
    ['alice', 'single factor', 1],
    ['bob', 'PIN', 2],
    ['carol', 'verification code', 2],
    ['dave', 'code and PIN', 3],
  ])('%s (%s) logs in with exactly %i request(s)', async (username, _flow, requests) => {
    expect(await login(username)).toEqual({ succeeded: 'active' });
    expect(server.requests).toHaveLength(requests);
  });

  it('sends no request at all for refused input', async () => {
    const actor = createActor(createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey })).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: '' });
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'al\nice', password: 'alice-password' });
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'pässwörd€' });
    expect(actor.getSnapshot().context.error?.kind).toBe('input');
    // One real login afterwards proves the counter works: only it reaches the server.
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    await waitFor(actor, (s) => s.matches('succeeded'));
    expect(server.requests).toHaveLength(1);
    actor.stop();
  });

  it('sends nothing more after CANCEL, and one request for a second submit while busy', async () => {
    server.inject({ kind: 'delay', ms: 100 });
    const actor = createActor(createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey })).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    await server.waitForRequests(1);
    actor.send({ type: 'CANCEL' });
    actor.send({ type: 'RETRY' });
    actor.send({ type: 'SUBMIT_PIN', pin: '1234' });
    await server.waitForEnd(0);
    expect(actor.getSnapshot().value).toBe('idle');
    expect(server.requests).toHaveLength(1);
    actor.stop();
  });
});
