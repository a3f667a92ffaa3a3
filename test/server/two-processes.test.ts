// Two backend processes on one real redis-server: a login through A, API calls through B, a logout through B
// ends it in A; a process killed mid-login; Redis paused and restarted; and a canary that no secret reaches
// Redis (every key, every value), the page, or the processes' logs.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../../src/index.js';
import {
  createEtnaRemoteActor,
  createEtnaRemoteClient,
  type EtnaRemoteActor,
} from '../../src/remote/index.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';
import { type BackendProcess, startBackendProcess } from './backend-process.js';
import { type TestBrowser, testBrowser } from './browser-fetch.js';
import { startRedis, type TestRedis } from './redis-server.js';
import { untilSnapshot } from './waits.js';

let redis: TestRedis;
let etna: FakeEtnaServer;
let a: BackendProcess;
let b: BackendProcess;
const actors: EtnaRemoteActor[] = [];

const start = () =>
  startBackendProcess({ ETNA_URL: etna.url, ETNA_APP_KEY: etna.appKey, REDIS_URL: redis.url });

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});
beforeEach(async () => {
  etna = await startFakeEtnaServer();
  [a, b] = await Promise.all([start(), start()]);
}, 60_000);
afterEach(async () => {
  for (const actor of actors.splice(0)) actor.stop();
  await Promise.all([a.stop(), b.stop()]);
  await etna.close();
  await redis.client.flushAll();
});

/** A tab of `browser` whose requests go to `backend`. */
function tab(browser: TestBrowser, backend: BackendProcess): EtnaRemoteActor {
  const actor = createEtnaRemoteActor({ url: backend.url, fetch: browser.fetch }).start();
  actors.push(actor);
  return actor;
}

/** Every key and every value in Redis, as text. */
async function keyspace(): Promise<string> {
  const lines: string[] = [];
  for await (const keys of redis.client.scanIterator({ COUNT: 100 })) {
    for (const key of keys) lines.push(key, String(await redis.client.get(key).catch(() => '')));
  }
  return lines.join('\n');
}

describe('two backend processes on one Redis', () => {
  it('a login through A, API calls through B, a logout through B ends it in A; no secret in Redis, the page or a log', async () => {
    const browser = testBrowser();
    const inA = tab(browser, a);
    await inA.ready;
    inA.send({ type: 'SUBMIT_CREDENTIALS', username: 'dave', password: new Secret('dave-password') });
    await untilSnapshot(inA, (s) => s.matches({ expecting: 'verificationCode' }));
    inA.send({ type: 'SUBMIT_VERIFICATION_CODE', code: new Secret('654321') });
    await untilSnapshot(inA, (s) => s.matches({ expecting: 'securityPin' }));
    const interim = etna.requests.at(-1)?.header('authorization')?.slice(7) as string;
    const midLogin = await keyspace();
    inA.send({ type: 'SUBMIT_PIN', pin: new Secret('4321') });
    await untilSnapshot(inA, (s) => s.matches('succeeded'));

    const inB = tab(browser, b);
    await untilSnapshot(inB, (s) => s.matches('succeeded') && s.context.username === 'dave');
    const api = createEtnaRemoteClient(inB);
    expect(await api.get('v1.0/users/@me/info').json()).toEqual({ Id: 4, Login: 'dave' });
    const token = etna.requests.at(-1)?.header('authorization')?.slice(7) as string;
    expect(etna.isSessionActive(token)).toBe(true);
    const loggedIn = await keyspace();

    inB.send({ type: 'LOGOUT' });
    await untilSnapshot(inB, (s) => s.matches('idle') && s.context.reason === 'loggedOut');
    await untilSnapshot(inA, (s) => s.matches('idle') && s.context.reason === 'endedElsewhere');
    expect(etna.isSessionActive(token)).toBe(false);

    const secrets = ['dave-password', '654321', '4321', interim, token, etna.appKey];
    const everywhere = [midLogin, loggedIn, await keyspace(), ...browser.seen, ...a.output, ...b.output].join(
      '\n',
    );
    expect(midLogin.length).toBeGreaterThan(0);
    expect(a.output.some((line) => line.includes('"event":"request"'))).toBe(true);
    for (const secret of secrets) {
      expect(everywhere).not.toContain(secret);
      expect(everywhere).not.toContain(Buffer.from(secret).toString('base64'));
    }
  }, 60_000);

  it('a process killed mid-login: the other shows error with RETRY, which starts again', async () => {
    const browser = testBrowser();
    const inA = tab(browser, a);
    await inA.ready;
    inA.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' });
    await untilSnapshot(inA, (s) => s.matches({ expecting: 'securityPin' }));
    inA.stop();
    await a.kill();
    const inB = tab(browser, b);
    await untilSnapshot(inB, (s) => s.matches('error') && s.can({ type: 'RETRY' }));
    expect(inB.getSnapshot().context.error?.message).toMatch(/restarted/);
    inB.send({ type: 'RETRY' });
    await untilSnapshot(inB, (s) => s.matches('idle') && s.can({ type: 'SUBMIT_CREDENTIALS' }));
    inB.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    await untilSnapshot(inB, (s) => s.matches('succeeded'));
  }, 60_000);

  it('Redis paused: 503 saying so, and the session intact once it is back; Redis restarted: the same', async () => {
    const browser = testBrowser();
    const inA = tab(browser, a);
    await inA.ready;
    inA.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    await untilSnapshot(inA, (s) => s.matches('succeeded'));
    const api = createEtnaRemoteClient(inA, { throwHttpErrors: false });

    redis.pause();
    const down = await api.get('v1.0/users/@me/info');
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: { kind: string; message: string } }).error).toMatchObject({
      kind: 'storeUnavailable',
      message: expect.stringMatching(/session store/),
    });
    redis.resume();
    expect((await api.get('v1.0/users/@me/info')).status).toBe(200);

    await redis.restart();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await api.get('v1.0/users/@me/info')).status;
      if (status !== 200) {
        expect(status).toBe(503);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    expect(status).toBe(200);
    // Through the other process too: the session came back with Redis.
    const inB = tab(browser, b);
    await untilSnapshot(inB, (s) => s.matches('succeeded'));
  }, 60_000);
});
