import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Secret } from '../../../src/contract/secret.js';
import type { TokenAnswer, TokenRequest } from '../../../src/contract/token-request.js';
import { apiRootOf, resolveOptions, tokenUrlOf } from '../../../src/options.js';
import { EtnaAuthError } from '../../../src/services/errors/etna-auth-error.js';
import { HttpStatusError } from '../../../src/services/errors/http-status-error.js';
import { NetworkError } from '../../../src/services/errors/network-error.js';
import { ProtocolError } from '../../../src/services/errors/protocol-error.js';
import { RateLimitedError } from '../../../src/services/errors/rate-limited-error.js';
import { TimeoutError } from '../../../src/services/errors/timeout-error.js';
import { MAX_BODY_BYTES } from '../../../src/services/read-body.js';
import { createRequestToken } from '../../../src/services/request-token.js';
import type { ServiceConfig } from '../../../src/services/service-config.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../../src/testing/fake/index.js';

const PASSWORD_CANARY = 'pw-canary-Zr8';
const PIN_CANARY = 'pin-canary-44';
const INTERIM_CANARY = 'interim-canary+/=';

let server: FakeEtnaServer;
const rawServers: Server[] = [];

beforeEach(async () => {
  server = await startFakeEtnaServer({
    users: [
      { username: 'alice', password: 'alice-password' },
      { username: 'bob', password: 'bob-password', pin: '1234' },
      { username: 'carol', password: 'carol-password', verificationCode: '123456' },
      { username: 'canary', password: PASSWORD_CANARY },
    ],
  });
});

afterEach(async () => {
  vi.useRealTimers();
  await server.close();
  await Promise.all(
    rawServers.splice(0).map(
      (raw) =>
        new Promise<void>((resolve) => {
          raw.closeAllConnections();
          raw.close(() => resolve());
        }),
    ),
  );
});

function configFor(baseUrl: string, overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    tokenUrl: tokenUrlOf(baseUrl),
    apiRoot: apiRootOf(tokenUrlOf(baseUrl)),
    appKey: server.appKey,
    timeout: 5000,
    fetch: undefined,
    ...overrides,
  };
}

const requestToken = (overrides: Partial<ServiceConfig> = {}) =>
  createRequestToken(configFor(server.url, overrides));

const first = (username: string, password: string): TokenRequest => ({
  username,
  password: new Secret(password),
});

const canaryRequest: TokenRequest = {
  username: 'canary',
  password: new Secret(PASSWORD_CANARY),
  continuation: {
    step: 'securityPin',
    interimToken: new Secret(INTERIM_CANARY),
    answer: new Secret(PIN_CANARY),
  },
};

/** The rejection of `promise`, which must be an EtnaAuthError. */
async function rejectionOf(promise: Promise<TokenAnswer>): Promise<EtnaAuthError> {
  try {
    const answer = await promise;
    throw new Error(`expected a rejection, got ${JSON.stringify(answer)}`);
  } catch (error) {
    if (!(error instanceof EtnaAuthError)) throw error;
    return error;
  }
}

/** Fails if any printable form of `error` quotes a secret of `canaryRequest`. */
function expectNoSecretIn(error: EtnaAuthError) {
  const printed = [String(error), error.stack ?? '', JSON.stringify(error), error.message].join('\n');
  for (const canary of [PASSWORD_CANARY, PIN_CANARY, INTERIM_CANARY]) expect(printed).not.toContain(canary);
  expect(error.cause).toBeUndefined();
}

/** A plain HTTP server of the test's own, answering every request with `handler`. */
async function startRawServer(handler: (res: ServerResponse) => void): Promise<string> {
  const raw = createServer((_, res) => handler(res));
  rawServers.push(raw);
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(raw.address() as AddressInfo).port}/api/`;
}

/** A server that writes `chunks` one by one, each after the previous has been flushed. */
function chunkedServer(status: number, chunks: readonly string[]): Promise<string> {
  return startRawServer(async (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    for (const chunk of chunks) {
      res.write(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.end();
  });
}

const plainRequest = first('u', 'p');
/** The service as the composition builds it from options (`resolveOptions`), app key `k` by default. */
const service = (baseUrl: string, appKey = 'k') => createRequestToken(resolveOptions({ baseUrl, appKey }));

describe('createRequestToken: what goes on the wire', () => {
  it('sends the base headers and Content-Length 0, and no Authorization or PinCode, on a first request', async () => {
    const answer = await requestToken()(first('alice', 'alice-password'));

    expect(answer.state).toBe('succeeded');
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/token');
    expect(request?.header('Et-App-Key')).toBe(server.appKey);
    expect(request?.header('Accept')).toBe('application/json');
    expect(request?.header('Username')).toBe('alice');
    expect(request?.header('Password')).toBe('alice-password');
    expect(request?.header('Content-Length')).toBe('0');
    expect(request?.header('Authorization')).toBeUndefined();
    expect(request?.header('PinCode')).toBeUndefined();
    expect(request?.header('VerificationCode')).toBeUndefined();
  });

  it('sends the base headers, the interim token as a bearer and PinCode on a PIN continuation', async () => {
    const send = requestToken();
    const step = await send(first('bob', 'bob-password'));
    if (step.state !== 'expecting' || !step.interimToken)
      throw new Error(`expected a PIN step, got ${step.state}`);
    expect(step.next).toBe('securityPin');
    const interim = step.interimToken.reveal();

    const answer = await send({
      username: 'bob',
      password: new Secret('bob-password'),
      continuation: { step: 'securityPin', interimToken: step.interimToken, answer: new Secret('1234') },
    });

    expect(answer.state).toBe('succeeded');
    expect(server.requests).toHaveLength(2);
    const request = server.requests[1];
    expect(request?.header('Et-App-Key')).toBe(server.appKey);
    expect(request?.header('Accept')).toBe('application/json');
    expect(request?.header('Username')).toBe('bob');
    expect(request?.header('Password')).toBe('bob-password');
    expect(request?.header('Authorization')).toBe(`Bearer ${interim}`);
    expect(request?.header('PinCode')).toBe('1234');
    expect(request?.header('VerificationCode')).toBeUndefined();
  });

  it('sends VerificationCode, not PinCode, on a verification-code continuation', async () => {
    const send = requestToken();
    const step = await send(first('carol', 'carol-password'));
    if (step.state !== 'expecting' || !step.interimToken)
      throw new Error(`expected a code step, got ${step.state}`);
    expect(step.next).toBe('verificationCode');

    const answer = await send({
      username: 'carol',
      password: new Secret('carol-password'),
      continuation: {
        step: 'verificationCode',
        interimToken: step.interimToken,
        answer: new Secret('123456'),
      },
    });

    expect(answer.state).toBe('succeeded');
    const request = server.requests[1];
    expect(request?.header('Authorization')).toBe(`Bearer ${step.interimToken.reveal()}`);
    expect(request?.header('VerificationCode')).toBe('123456');
    expect(request?.header('PinCode')).toBeUndefined();
  });

  it('resolves a 401 Failed as a failed answer', async () => {
    const answer = await requestToken()(first('alice', 'wrong'));

    expect(answer).toEqual({
      state: 'failed',
      code: 'rejected',
      step: 'BaseAuthentication',
      reason: 'Invalid credentials',
    });
  });

  it('rejects a wrong app key with the AppKeyError of the 403', async () => {
    const error = await rejectionOf(requestToken({ appKey: 'wrong-key' })(first('alice', 'alice-password')));

    expect(error.kind).toBe('appKey');
    expect(error.status).toBe(403);
    expect(server.requests[0]?.header('Et-App-Key')).toBe('wrong-key');
  });
});

describe('createRequestToken: one request per call, never a silent retry', () => {
  it('sends exactly one request for a 500 and rejects with an HttpStatusError', async () => {
    server.inject({ kind: 'serverError' });

    const error = await rejectionOf(requestToken()(canaryRequest));

    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.kind).toBe('http');
    expect(error.status).toBe(500);
    expect(server.requests).toHaveLength(1);
    expectNoSecretIn(error);
  });

  it('sends exactly one request for a 429 and rejects with its Retry-After', async () => {
    server.inject({ kind: 'rateLimited', retryAfter: '3' });

    const error = await rejectionOf(requestToken()(canaryRequest));

    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.kind).toBe('rateLimited');
    expect(error.status).toBe(429);
    expect((error as RateLimitedError).retryAfterMs).toBe(3000);
    expect(server.requests).toHaveLength(1);
    expectNoSecretIn(error);
  });

  it('sends exactly one request for a dropped connection and rejects with a NetworkError', async () => {
    server.inject({ kind: 'drop' });

    const error = await rejectionOf(requestToken()(canaryRequest));

    expect(error).toBeInstanceOf(NetworkError);
    expect(error.kind).toBe('network');
    expect(error.message).toBe('the server could not be reached');
    expect(error.status).toBeUndefined();
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.outcome).toBe('drop');
    expectNoSecretIn(error);
  });

  it('rejects a truncated JSON body at 200 with a ProtocolError after one request', async () => {
    server.inject({ kind: 'malformedJson' });

    const error = await rejectionOf(requestToken()(canaryRequest));

    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.status).toBe(200);
    expect(server.requests).toHaveLength(1);
    expectNoSecretIn(error);
  });
});

describe('createRequestToken: abort and timeout', () => {
  it('aborts the HTTP request when the passed signal aborts, and rejects with a NetworkError', async () => {
    server.inject({ kind: 'hang' });
    const controller = new AbortController();

    const pending = rejectionOf(requestToken()(canaryRequest, controller.signal));
    await server.waitForRequests(1);
    controller.abort();
    const error = await pending;
    const ended = await server.waitForEnd(0);

    expect(error).toBeInstanceOf(NetworkError);
    expect(error.kind).toBe('network');
    expect(error.message).toBe('the request was aborted');
    expect(ended.aborted).toBe(true);
    expect(ended.outcome).toBe('hang');
    expect(server.requests).toHaveLength(1);
    expectNoSecretIn(error);
  });

  it('sends nothing when the passed signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();

    const error = await rejectionOf(requestToken()(canaryRequest, controller.signal));

    expect(error.kind).toBe('network');
    expect(error.message).toBe('the request was aborted');
    expect(server.requests).toHaveLength(0);
  });

  it('times out a body that never finishes with a TimeoutError', async () => {
    const url = await startRawServer((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"State":"Succeeded","To');
    });
    const send = createRequestToken(configFor(url, { timeout: 200 }));

    const error = await rejectionOf(send(canaryRequest));

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.kind).toBe('timeout');
    expect(error.name).toBe('TimeoutError');
    expect(error.message).toBe('no answer within 200 ms');
    expectNoSecretIn(error);
  });

  it('times out a server that never answers with a TimeoutError and aborts the request', async () => {
    server.inject({ kind: 'hang' });

    const error = await rejectionOf(requestToken({ timeout: 200 })(canaryRequest));
    const ended = await server.waitForEnd(0);

    expect(error.kind).toBe('timeout');
    expect(ended.aborted).toBe(true);
  });
});

describe('createRequestToken: bodies and connections that are not usable', () => {
  it('rejects a body larger than 64 KiB with a ProtocolError', async () => {
    server.inject({
      kind: 'respond',
      status: 200,
      body: { State: 'Succeeded', Token: 'tok', Pad: 'x'.repeat(70_000) },
    });

    const error = await rejectionOf(requestToken()(canaryRequest));

    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.kind).toBe('protocol');
    expect(error.status).toBe(200);
    expect(error.message).toBe('the answer body is larger than 65536 bytes');
    expectNoSecretIn(error);
  });

  it('accepts a valid answer padded to just under 64 KiB', async () => {
    const pad = 'x'.repeat(65_000);
    server.inject({ kind: 'respond', status: 200, body: { State: 'Succeeded', Token: 'tok', Pad: pad } });

    const answer = await requestToken()(canaryRequest);

    expect(answer.state === 'succeeded' && answer.token.reveal()).toBe('tok');
  });

  it('rejects a body with invalid UTF-8 bytes with a ProtocolError', async () => {
    const url = await startRawServer((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        Buffer.concat([
          Buffer.from('{"State":"Succeeded","Token":"t'),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('"}'),
        ]),
      );
    });

    const error = await rejectionOf(createRequestToken(configFor(url))(canaryRequest));

    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.status).toBe(200);
    expect(error.message).toBe('the answer body is not valid UTF-8');
    expectNoSecretIn(error);
  });

  it('rejects a refused connection with a NetworkError that quotes no header', async () => {
    const url = await startRawServer(() => {});
    const raw = rawServers.pop() as Server;
    await new Promise<void>((resolve) => raw.close(() => resolve()));

    const error = await rejectionOf(createRequestToken(configFor(url))(canaryRequest));

    expect(error).toBeInstanceOf(NetworkError);
    expect(error.kind).toBe('network');
    expect(error.message).toBe('the server could not be reached');
    expectNoSecretIn(error);
  });
});

describe('answer bodies', () => {
  it('joins a body that arrives in many chunks, in order', async () => {
    const body = JSON.stringify({
      State: 'Succeeded',
      Token: 'chunked+token/==',
      Padding: 'x'.repeat(40_000),
    });
    const chunks = body.match(/[\s\S]{1,997}/g) ?? [];
    expect(chunks.length).toBeGreaterThan(30);
    const answer = await service(await chunkedServer(200, chunks))(plainRequest);
    expect(answer.state === 'succeeded' && answer.token.reveal()).toBe('chunked+token/==');
  });

  it(`accepts a body of exactly ${MAX_BODY_BYTES} bytes and refuses one byte more`, async () => {
    const padded = (size: number) => {
      const start = '{"State":"Succeeded","Token":"t","Pad":"';
      return `${start}${'x'.repeat(size - start.length - 2)}"}`;
    };
    expect(padded(MAX_BODY_BYTES)).toHaveLength(MAX_BODY_BYTES);
    const exact = await service(await chunkedServer(200, [padded(MAX_BODY_BYTES)]))(plainRequest);
    expect(exact.state).toBe('succeeded');
    await expect(
      service(await chunkedServer(200, [padded(MAX_BODY_BYTES + 1)]))(plainRequest),
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
    await expect(requestToken(plainRequest)).rejects.toMatchObject({ kind: 'protocol', status: 204 });
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

describe('an oversized body is refused as soon as it passes the cap, not at the deadline', () => {
  /** Sends 70 KiB, then never ends the body: only an early cap can answer before the timeout. */
  function oversizedThenStalled(declareLength: boolean): Promise<string> {
    return startRawServer((res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(declareLength ? { 'content-length': String(200 * 1024) } : {}),
      });
      res.write(`{"State":"Succeeded","Token":"t","Pad":"${'x'.repeat(70 * 1024)}`);
    });
  }

  it.each([
    ['with a Content-Length', true],
    ['chunked', false],
  ])('%s', async (_name, declareLength) => {
    const requestToken = createRequestToken(
      resolveOptions({ baseUrl: await oversizedThenStalled(declareLength), appKey: 'k', timeout: 5_000 }),
    );
    const started = performance.now();
    const error = await requestToken(plainRequest).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProtocolError);
    // Well before the 5 s deadline: the cap, not the timeout, ended it.
    expect(performance.now() - started).toBeLessThan(4_000);
    for (const raw of rawServers) raw.closeAllConnections();
  });
});
