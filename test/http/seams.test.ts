// Safe at every seam: redirects never carry a credential, the deadline holds for any body, the client keeps
// the token under the API root and inside the session's lifetime, a storage that fails loses nothing, and a
// restored snapshot sends nothing by itself. Everything runs over loopback HTTP.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Actor, createActor, waitFor } from 'xstate';
import { createEtnaClient, EtnaClientError } from '../../src/client/index.js';
import {
  createEtnaAuthMachine,
  type EtnaAuthMachine,
  type EtnaAuthOptions,
  type EtnaSessionStorage,
  memoryStorage,
  Secret,
  selectToken,
} from '../../src/index.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';

type AuthActor = Actor<EtnaAuthMachine>;

/** A loopback server that answers 200 to anything and records what reached it. */
interface Elsewhere {
  readonly url: string;
  readonly requests: { path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

async function startElsewhere(): Promise<Elsewhere> {
  const requests: Elsewhere['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"State":"Succeeded","Token":"evil"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let server: FakeEtnaServer;
let elsewhere: Elsewhere;
const actors: AuthActor[] = [];

beforeEach(async () => {
  [server, elsewhere] = await Promise.all([startFakeEtnaServer(), startElsewhere()]);
});
afterEach(async () => {
  vi.useRealTimers();
  for (const actor of actors.splice(0)) actor.stop();
  await Promise.all([server.close(), elsewhere.close()]);
});

function start(options: Partial<EtnaAuthOptions> = {}): AuthActor {
  const machine = createEtnaAuthMachine({
    baseUrl: server.url,
    appKey: server.appKey,
    timeout: 2_000,
    ...options,
  });
  const actor = createActor(machine);
  actors.push(actor);
  return actor.start();
}

const settle = (actor: AuthActor) =>
  waitFor(actor, (snapshot) => !snapshot.hasTag('busy'), { timeout: 5_000 });

async function loggedIn(options: Partial<EtnaAuthOptions> = {}) {
  const actor = start(options);
  actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: new Secret('alice-password') });
  const snapshot = await settle(actor);
  expect(snapshot.value).toEqual({ succeeded: 'active' });
  return { actor, token: selectToken(snapshot) ?? '' };
}

const redirect = (status: number, location: string) =>
  ({ kind: 'respond', status, body: '', headers: { location } }) as const;

describe('POST /token never follows a redirect', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %i to another host is a transport error naming the status; nothing reaches the Location',
    async (status) => {
      server.inject(redirect(status, `${elsewhere.url}api/token`));
      const actor = start();
      actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: new Secret('alice-password') });
      const snapshot = await settle(actor);
      expect(snapshot.value).toBe('error');
      expect(snapshot.context.error).toMatchObject({ kind: 'http', status });
      expect(snapshot.context.error?.message).toMatch(/redirect/);
      expect(selectToken(snapshot)).toBeUndefined();
      expect(server.requests).toHaveLength(1);
      expect(elsewhere.requests).toHaveLength(0);
    },
  );

  it('a redirect at the PIN step does not carry the PIN anywhere', async () => {
    const actor = start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' });
    await waitFor(actor, (s) => s.matches({ expecting: 'securityPin' }));
    server.inject(redirect(307, `${elsewhere.url}steal`));
    actor.send({ type: 'SUBMIT_PIN', pin: new Secret('1234') });
    const snapshot = await settle(actor);
    expect(snapshot.context.error).toMatchObject({ kind: 'http', status: 307 });
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('POST /logout never follows a redirect, and reads its small answer to the end', () => {
  it('a 307 to a path outside the API root sends the session token nowhere', async () => {
    const { actor } = await loggedIn();
    server.injectLogout(redirect(307, `${elsewhere.url}elsewhere/logout`));
    actor.send({ type: 'LOGOUT' });
    const snapshot = await settle(actor);
    expect(snapshot.value).toBe('idle');
    expect(snapshot.context.reason).toBe('loggedOut');
    expect(server.requests.map((request) => request.path)).toEqual(['/api/token', '/api/logout']);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('reads the answer body to its end instead of cancelling it (devtools would show the request as failed)', async () => {
    let cancelled = false;
    let finished = false;
    const readableFetch: typeof fetch = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      if (!new URL(response.url).pathname.endsWith('/logout')) return response;
      const chunks = [new TextEncoder().encode('{"ok":'), new TextEncoder().encode('true}')];
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk) controller.enqueue(chunk);
          else {
            finished = true;
            controller.close();
          }
        },
        cancel() {
          cancelled = true;
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const { actor } = await loggedIn({ fetch: readableFetch });
    actor.send({ type: 'LOGOUT' });
    await settle(actor);
    expect(finished).toBe(true);
    expect(cancelled).toBe(false);
  });
});

describe('a redirect whose Location carries a user and password', () => {
  const hostile = () => `http://mallory:SECRETPW@${new URL(elsewhere.url).host}/api/token`;

  it('is quoted by no error, snapshot or inspection event: /token, a journey call, /logout', async () => {
    const seen: unknown[] = [];
    const actor = createActor(
      createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey, timeout: 2_000 }),
      // What an inspector reads of each event: the event sent, or the snapshot with its context.
      {
        inspect: (event) =>
          seen.push('snapshot' in event ? event.snapshot : 'event' in event ? event.event : event.type),
      },
    );
    actors.push(actor);
    actor.start();
    const errors: unknown[] = [];
    const record = (snapshot: ReturnType<AuthActor['getSnapshot']>) => {
      errors.push(snapshot.context.error);
      seen.push(JSON.stringify(snapshot));
    };

    server.inject(redirect(302, hostile()));
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: new Secret('alice-password') });
    record(await settle(actor));
    actor.send({ type: 'RETRY' });
    expect((await settle(actor)).value).toEqual({ succeeded: 'active' });
    server.injectLogout(redirect(308, hostile()));
    actor.send({ type: 'LOGOUT' });
    record(await settle(actor));
    server.injectAt('secretQuestion', redirect(307, hostile()));
    actor.send({ type: 'FORGOT_PASSWORD', username: 'alice' });
    record(await settle(actor));

    expect(errors.filter(Boolean)).toEqual([
      expect.objectContaining({ kind: 'http', status: 302 }),
      expect.objectContaining({ kind: 'http', status: 307 }),
    ]);
    const printed = inspect([errors, seen], { depth: 6 });
    expect(printed).not.toContain('SECRETPW');
    expect(printed).not.toContain('mallory');
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('the /token deadline holds for any body', () => {
  /** A fetch whose answer body never sends a byte, and whose cancel() never settles. */
  const stuckBody =
    (prefix: Uint8Array | undefined): typeof fetch =>
    async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            if (prefix) controller.enqueue(prefix);
          },
          pull: () => new Promise<void>(() => {}),
          cancel: () => new Promise<void>(() => {}),
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );

  it('ends in error kind timeout even when the body stream ignores the abort and cancel() never settles', async () => {
    const actor = start({ timeout: 300, fetch: stuckBody(new TextEncoder().encode('{"State":')) });
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    const snapshot = await settle(actor);
    expect(snapshot.value).toBe('error');
    expect(snapshot.context.error?.kind).toBe('timeout');
  });

  it('refuses an oversized body at once even when cancel() never settles', async () => {
    const actor = start({ timeout: 60_000, fetch: stuckBody(new Uint8Array(70 * 1024).fill(0x20)) });
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    const snapshot = await settle(actor);
    expect(snapshot.context.error?.kind).toBe('protocol');
  });
});

describe('createEtnaClient keeps the token under the API root', () => {
  it('refuses a redirect to a path outside the API root before sending anything there', async () => {
    const { actor } = await loggedIn();
    server.injectApi(redirect(302, '/elsewhere/info'));
    const client = createEtnaClient(actor);
    const error = await client.get('v1.0/users/@me/info').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EtnaClientError);
    expect(error).toMatchObject({ code: 'foreignUrl' });
    expect(server.requests.map((request) => request.path)).toEqual([
      '/api/token',
      '/api/v1.0/users/@me/info',
    ]);
    expect(actor.getSnapshot().value).toEqual({ succeeded: 'active' });
  });

  it('refuses a redirect to another host, so a 401 there cannot end the session', async () => {
    const { actor } = await loggedIn();
    server.injectApi(redirect(307, `${elsewhere.url}x`));
    const client = createEtnaClient(actor);
    const error = await client.get('v1.0/users/@me/info').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'foreignUrl' });
    expect(elsewhere.requests).toHaveLength(0);
    expect(actor.getSnapshot().value).toEqual({ succeeded: 'active' });
  });

  it('follows a redirect that stays under the API root, with the token, as a GET after a 303', async () => {
    const { actor, token } = await loggedIn();
    server.injectApi(redirect(303, '../users/@me/info'));
    const client = createEtnaClient(actor);
    const info = await client.post('v1.0/old/info', { json: { a: 1 } }).json();
    expect(info).toEqual({ Id: 1, Login: 'alice' });
    const [, moved, followed] = server.requests;
    expect([moved?.method, moved?.path]).toEqual(['POST', '/api/v1.0/old/info']);
    expect([followed?.method, followed?.path]).toEqual(['GET', '/api/v1.0/users/@me/info']);
    expect(followed?.header('authorization')).toBe(`Bearer ${token}`);
    expect(server.requests).toHaveLength(3);
  });

  it('stops after 20 redirects under the root', async () => {
    const { actor } = await loggedIn();
    for (let hop = 0; hop < 25; hop++) server.injectApi(redirect(302, 'users/@me/info'));
    const client = createEtnaClient(actor);
    const error = await client.get('v1.0/users/@me/info').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'redirect' });
    expect(server.requests).toHaveLength(21);
  });

  it.each(['https://evil.example/x', 'http://127.0.0.1:1/x', 'javascript:alert(1)'])(
    'refuses the absolute URL string %s like a URL object, sending nothing',
    async (url) => {
      const { actor } = await loggedIn();
      const sent: string[] = [];
      const client = createEtnaClient(actor, {
        fetch: async (input, init) => {
          sent.push(new Request(input, init).url);
          return globalThis.fetch(input, init);
        },
      });
      const error = await client.get(url).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'foreignUrl' });
      expect(sent).toEqual([]);
    },
  );
});

describe('no token is sent past its end', () => {
  it('a client bound to a stopped actor refuses once sessionExpiresAt has passed', async () => {
    const { actor } = await loggedIn({ sessionLifetime: 60_000 });
    const client = createEtnaClient(actor);
    await client.get('v1.0/users/@me/info');
    const expiresAt = actor.getSnapshot().context.sessionExpiresAt ?? 0;
    actor.stop();
    const sent = server.requests.length;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(expiresAt + 1);
    const error = await client.get('v1.0/users/@me/info').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'notLoggedIn' });
    expect(server.requests).toHaveLength(sent);
  });

  it('a running actor whose timer has not fired yet (after a sleep) ends the session at the next call', async () => {
    const { actor } = await loggedIn({ sessionLifetime: 60_000 });
    const client = createEtnaClient(actor);
    const expiresAt = actor.getSnapshot().context.sessionExpiresAt ?? 0;
    const sent = server.requests.length;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(expiresAt);
    const error = await client.get('v1.0/users/@me/info').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'notLoggedIn' });
    expect(server.requests).toHaveLength(sent);
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context.reason).toBe('expired');
  });
});

describe('a storage that fails', () => {
  it('a storage whose writes reject leaves no unhandled rejection, and the session still works', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const base = memoryStorage();
      const storage: EtnaSessionStorage = {
        getItem: (key) => base.getItem(key),
        setItem: (() => Promise.reject(new Error('quota'))) as unknown as EtnaSessionStorage['setItem'],
        removeItem: (() =>
          Promise.reject(new Error('blocked'))) as unknown as EtnaSessionStorage['removeItem'],
      };
      const { actor } = await loggedIn({ persist: storage });
      actor.send({ type: 'LOGOUT' });
      await settle(actor);
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(actor.getSnapshot().context.reason).toBe('loggedOut');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('a restored snapshot never sends a request by itself', () => {
  it('restoring a snapshot taken while the PIN was in flight does not resend it; RETRY does', async () => {
    const machine = createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey, timeout: 2_000 });
    const first = createActor(machine).start();
    actors.push(first);
    first.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' });
    await waitFor(first, (s) => s.matches({ expecting: 'securityPin' }));
    server.inject({ kind: 'hang' });
    first.send({ type: 'SUBMIT_PIN', pin: '1234' });
    await server.waitForRequests(2);
    const persisted = first.getPersistedSnapshot();
    first.stop();

    const restored = createActor(machine, { snapshot: persisted });
    actors.push(restored);
    restored.start();
    const snapshot = await settle(restored);
    expect(snapshot.value).toBe('error');
    expect(snapshot.context.error?.kind).toBe('network');
    expect(snapshot.context.error?.message).toMatch(/restored/);
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(server.requests).toHaveLength(2);

    restored.send({ type: 'RETRY' });
    await server.waitForRequests(3);
    expect(server.requests[2]?.header('pincode')).toBe('1234');
  });

  it('restoring a snapshot taken while logging out sends no second POST /logout', async () => {
    const { actor } = await loggedIn();
    server.injectLogout({ kind: 'hang' });
    actor.send({ type: 'LOGOUT' });
    await server.waitForRequests(2);
    const persisted = actor.getPersistedSnapshot();
    actor.stop();
    const restored = createActor(
      createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey, timeout: 2_000 }),
      { snapshot: persisted },
    );
    actors.push(restored);
    restored.start();
    const snapshot = await settle(restored);
    expect(snapshot.value).toBe('idle');
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(server.requests).toHaveLength(2);
  });
});

describe('a Node script that logs in exits by itself', () => {
  const script = fileURLToPath(new URL('../fixtures/login-and-return.ts', import.meta.url));

  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
        env: { ...process.env, ETNA_BASE_URL: server.url, ETNA_APP_KEY: server.appKey },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      // A generous bound for a busy machine; without the fix the process waits for the 24 h session timer.
      const guard = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the script did not exit: ${stderr}`));
      }, 30_000);
      child.once('exit', (code) => {
        clearTimeout(guard);
        resolve({ code, stdout, stderr });
      });
    });
  }

  it('logs in, prints the token and returns: the session timer does not hold the event loop', async () => {
    const { code, stdout } = await run([]);
    expect(code).toBe(0);
    const token = stdout.trim();
    expect(server.sessionOwner(token)).toBe('alice');
  }, 40_000);

  it('in a process that stays alive, the session still expires on time', async () => {
    const { code, stdout } = await run(['--stay', '300']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^expired$/m);
  }, 40_000);
});
