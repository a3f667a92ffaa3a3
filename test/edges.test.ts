// Edges the mutation run found untested: chunked bodies, size boundaries, leftover timers, status and key edges.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { Secret } from '../src/contract/secret.js';
import { createEtnaAuthMachine } from '../src/index.js';
import { etnaAuthMachine } from '../src/machine/etna-auth-machine.js';
import { resolveOptions, tokenUrlOf } from '../src/options.js';
import { ProtocolError } from '../src/services/errors/protocol-error.js';
import { parseTokenResponse } from '../src/services/parse-token-response.js';
import { MAX_BODY_BYTES } from '../src/services/read-body.js';
import { createRequestToken } from '../src/services/request-token.js';
import { startFakeEtnaServer } from '../src/testing/index.js';

const servers: Server[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server that writes `chunks` one by one, each after the previous has been flushed. */
async function chunkedServer(status: number, chunks: readonly string[]): Promise<string> {
  const server = createServer(async (_, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    for (const chunk of chunks) {
      res.write(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
}

const request = { username: 'u', password: new Secret('p') };
const service = (baseUrl: string, appKey = 'k') => createRequestToken(resolveOptions({ baseUrl, appKey }));

describe('answer bodies', () => {
  it('joins a body that arrives in many chunks, in order', async () => {
    const body = JSON.stringify({
      State: 'Succeeded',
      Token: 'chunked+token/==',
      Padding: 'x'.repeat(40_000),
    });
    const chunks = body.match(/[\s\S]{1,997}/g) ?? [];
    expect(chunks.length).toBeGreaterThan(30);
    const answer = await service(await chunkedServer(200, chunks))(request);
    expect(answer.state === 'succeeded' && answer.token.reveal()).toBe('chunked+token/==');
  });

  it(`accepts a body of exactly ${MAX_BODY_BYTES} bytes and refuses one byte more`, async () => {
    const padded = (size: number) => {
      const start = '{"State":"Succeeded","Token":"t","Pad":"';
      return `${start}${'x'.repeat(size - start.length - 2)}"}`;
    };
    expect(padded(MAX_BODY_BYTES)).toHaveLength(MAX_BODY_BYTES);
    const exact = await service(await chunkedServer(200, [padded(MAX_BODY_BYTES)]))(request);
    expect(exact.state).toBe('succeeded');
    await expect(
      service(await chunkedServer(200, [padded(MAX_BODY_BYTES + 1)]))(request),
    ).rejects.toBeInstanceOf(ProtocolError);
  });
});

describe('an answer without a body', () => {
  it('reads a 204 with no body as a protocol error, not a network error', async () => {
    const requestToken = createRequestToken(
      resolveOptions({
        baseUrl: 'https://h.example/api/',
        appKey: 'k',
        fetch: async () => new Response(null, { status: 204 }),
      }),
    );
    await expect(requestToken(request)).rejects.toMatchObject({ kind: 'protocol', status: 204 });
  });
});

describe('no timer or listener is left behind', () => {
  it('clears its deadline once the answer is in', async () => {
    const server = await startFakeEtnaServer();
    try {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const signal = new AbortController().signal;
      const remove = vi.spyOn(signal, 'removeEventListener');
      const answer = await service(server.url, server.appKey)(
        { username: 'alice', password: new Secret('alice-password') },
        signal,
      );
      expect(answer.state).toBe('succeeded');
      expect(vi.getTimerCount()).toBe(0);
      expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
    } finally {
      vi.useRealTimers();
      await server.close();
    }
  });
});

describe('status and body edges', () => {
  it('refuses Succeeded with HTTP 300: only 2xx carries a session', () => {
    expect(() => parseTokenResponse(300, null, '{"State":"Succeeded","Token":"t"}', [])).toThrow(
      ProtocolError,
    );
    expect(parseTokenResponse(299, null, '{"State":"Succeeded","Token":"t"}', []).state).toBe('succeeded');
  });

  it('reads a 401 JSON body without State or error as an HTTP error, not a bad app key', () => {
    expect(() => parseTokenResponse(401, null, '{"message":"Unauthorized"}', [])).toThrow(
      expect.objectContaining({ kind: 'http', status: 401 }),
    );
  });

  it('does not take a field named "undefined" for a missing Token', () => {
    expect(() => parseTokenResponse(200, null, '{"State":"Succeeded","undefined":"t"}', [])).toThrow(
      ProtocolError,
    );
  });

  it('redacts echoed secrets of three characters or more, and leaves shorter ones (too common to tell)', () => {
    const answer = parseTokenResponse(401, null, '{"State":"Failed","Step":"s","Reason":"pin 123 or 12"}', [
      '123',
      '12',
    ]);
    expect(answer).toEqual({ state: 'failed', code: 'rejected', step: 's', reason: 'pin [redacted] or 12' });
  });
});

describe('configuration edges', () => {
  it.each([
    ['http://notlocalhost/api/', false],
    ['http://localhost.example/api/', false],
    ['http://127.0.0.10:8080/api/', true],
    ['http://127.1.2.3/api/', true],
  ])('treats %s as loopback: %s', (baseUrl, loopback) => {
    if (loopback) expect(tokenUrlOf(baseUrl)).toMatch(/\/api\/token$/);
    else expect(() => tokenUrlOf(baseUrl)).toThrow(/only for loopback/);
  });

  it('trims blanks around the base URL and keeps a path that only starts with "token"', () => {
    expect(tokenUrlOf('  https://h.example/api  ')).toBe('https://h.example/api/token');
    expect(tokenUrlOf('https://h.example/token-service/api')).toBe(
      'https://h.example/token-service/api/token',
    );
  });

  it('accepts a timeout and maxSteps of 1', () => {
    expect(
      resolveOptions({ baseUrl: 'https://h.example', appKey: 'k', timeout: 1, maxSteps: 1 }),
    ).toMatchObject({
      timeout: 1,
      maxSteps: 1,
    });
  });
});

describe('what CANCEL and RETRY leave in context', () => {
  const answers: Record<string, () => Response> = {
    pin: () =>
      Response.json(
        { State: 'Expecting', Step: 'SecutityPin', Reason: 'Invalid pin', Token: 'i' },
        { status: 202 },
      ),
    code: () =>
      Response.json(
        { State: 'Expecting', Step: 'VerificationCode', Reason: 'Expecting code', Token: 'i' },
        { status: 202 },
      ),
    failed: () =>
      Response.json(
        { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' },
        { status: 401 },
      ),
    error: () => new Response('<html>', { status: 500 }),
  };

  it.each([
    ['pin', 'CANCEL'],
    ['code', 'CANCEL'],
    ['failed', 'RETRY'],
    ['error', 'CANCEL'],
  ] as const)('after a %s answer, %s returns to idle keeping only the username', async (answer, event) => {
    const machine = createEtnaAuthMachine({
      baseUrl: 'https://h.example/api/',
      appKey: 'k',
      fetch: async () => answers[answer]?.() ?? new Response(null, { status: 500 }),
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'ada', password: 'pw' });
    const before = await waitFor(actor, (s) => !s.hasTag('busy'));
    expect(before.context.step ?? before.context.error).toBeDefined();
    actor.send({ type: event });
    const { value, context } = actor.getSnapshot();
    expect(value).toBe('idle');
    expect(context).toMatchObject({
      username: 'ada',
      step: undefined,
      reason: undefined,
      failure: undefined,
      error: undefined,
    });
    expect(context.request).toBeUndefined();
    expect(context.interimToken).toBeUndefined();
    actor.stop();
  });

  it('names the machine etnaAuth, starting in idle: the inspector and the diagram show that name', () => {
    expect(etnaAuthMachine.id).toBe('etnaAuth');
    expect(createActor(etnaAuthMachine).getSnapshot().value).toBe('idle');
  });
});

describe('an oversized body is refused as soon as it passes the cap, not at the deadline', () => {
  /** Sends 70 KiB, then never ends the body: only an early cap can answer before the timeout. */
  async function oversizedThenStalled(declareLength: boolean): Promise<string> {
    const server = createServer((_, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(declareLength ? { 'content-length': String(200 * 1024) } : {}),
      });
      res.write(`{"State":"Succeeded","Token":"t","Pad":"${'x'.repeat(70 * 1024)}`);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  }

  it.each([
    ['with a Content-Length', true],
    ['chunked', false],
  ])('%s', async (_name, declareLength) => {
    const requestToken = createRequestToken(
      resolveOptions({ baseUrl: await oversizedThenStalled(declareLength), appKey: 'k', timeout: 5_000 }),
    );
    const started = performance.now();
    const error = await requestToken(request).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProtocolError);
    // Well before the 5 s deadline: the cap, not the timeout, ended it.
    expect(performance.now() - started).toBeLessThan(4_000);
    for (const server of servers) server.closeAllConnections();
  });
});

describe('Retry-After in the older HTTP-date forms', () => {
  it('reads RFC 850 and asctime dates', async () => {
    const { retryAfterMs } = await import('../src/services/retry-after.js');
    const now = Date.parse('Sun, 06 Nov 1994 08:49:00 GMT');
    expect(retryAfterMs('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(37_000);
    expect(retryAfterMs('Sun Nov  6 08:49:37 1994', now)).toBe(37_000);
  });
});

describe('CANCEL while a request is in flight', () => {
  it('forgets the request and its secrets, keeping only the username', async () => {
    const machine = createEtnaAuthMachine({
      baseUrl: 'https://h.example/api/',
      appKey: 'k',
      fetch: (input, init) =>
        new Promise((_, reject) => {
          const { signal } = new Request(input, init);
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'ada', password: 'pw' });
    expect(actor.getSnapshot().context.request).toBeDefined();
    actor.send({ type: 'CANCEL' });
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context).toMatchObject({ username: 'ada', request: undefined, stepCount: 0 });
    actor.stop();
  });
});
