import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { ERROR_KINDS } from '../../src/contract/auth-error.js';
import { createEtnaAuthMachine, selectToken } from '../../src/index.js';
import {
  type FakeEtnaServer,
  type FakeFault,
  startFakeEtnaServer,
  stateValueName,
} from '../../src/testing/index.js';

/** At least 10 000 generated answers per run: most through an injected fetch, some over real HTTP. */
const FETCH_RUNS = 10_000;
const HTTP_RUNS = 300;
/** Redirect answers over real HTTP: each run is one to three loopback requests. */
const REDIRECT_RUNS = 150;
const LOGOUT_REDIRECT_RUNS = 40;
const TIMEOUT_MS = 40;
const MAX_STEPS = 3;

const SETTLED = [
  'idle',
  'succeeded.active',
  'failed',
  'error',
  'expecting.securityPin',
  'expecting.verificationCode',
];
/** Kinds an `error` state can carry: every kind but `input`, which never leaves the state. */
const KINDS = ERROR_KINDS.filter((kind) => kind !== 'input');

type Body = { readonly bytes: Uint8Array; readonly label: string };
/** One generated server answer: what the fetch resolves with, or how it misbehaves. */
interface Answer {
  readonly behaviour: 'answer' | 'hang' | 'drop' | 'stallBody';
  readonly status: number;
  readonly contentType: string | undefined;
  readonly retryAfter: string | undefined;
  readonly body: Body;
}

const encoder = new TextEncoder();
const text = (value: string, label: string): Body => ({ bytes: encoder.encode(value), label });
const json = (value: unknown, label: string): Body => text(JSON.stringify(value), label);

const casing = (name: string) =>
  fc.constantFrom(name, name.toLowerCase(), name.toUpperCase(), `${name[0]?.toLowerCase()}${name.slice(1)}`);
const tokenValue = fc.oneof(
  fc.constantFrom('T0k+en/with==', 'tok\r\nen', '', ' padded ', 'é-latin1', '€-not-latin1'),
  fc.base64String({ minLength: 1, maxLength: 60 }),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.constant(null),
  fc.string({ minLength: 5000, maxLength: 6000 }),
);
const stateValue = fc.oneof(
  fc.constantFrom('Succeeded', 'Expecting', 'Failed', 'succeeded', 'EXPECTING', 'failed', 'Unknown', ''),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);
const stepValue = fc.oneof(
  fc.constantFrom(
    'SecutityPin',
    'SecurityPin',
    'securitypin',
    'VerificationCode',
    'BaseAuthentication',
    'ChangePassword',
  ),
  fc.string({ maxLength: 20 }),
  fc.constant(undefined),
);
const reasonValue = fc.oneof(
  fc.constantFrom('Invalid pin', 'Invalid credentials', 'Corrupted ticket', 'Expecting confirmation code'),
  fc.string({ maxLength: 400 }),
  fc.constant(undefined),
  fc.integer(),
);

/** ETNA-shaped bodies and their near misses: wrong case, missing, extra or mistyped fields. */
const etnaBody: fc.Arbitrary<Body> = fc
  .record({
    stateKey: casing('State'),
    state: stateValue,
    tokenKey: casing('Token'),
    token: fc.option(tokenValue, { nil: undefined }),
    step: stepValue,
    reason: reasonValue,
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  })
  .map(({ stateKey, state, tokenKey, token, step, reason, extra }) =>
    json({ ...extra, [stateKey]: state, [tokenKey]: token, Step: step, Reason: reason }, 'etna-shaped JSON'),
  );

const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 6, arbitrary: etnaBody },
  {
    weight: 1,
    arbitrary: fc.constant(json({ error: 'Application key is not defined or does not exist' }, 'app key')),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => json(value, 'any JSON')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((value) => text(value, 'any text')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      text('<html><body>502 Bad Gateway</body></html>', 'HTML'),
      text('', 'empty'),
      text('{"State":"Succ', 'truncated JSON'),
      { bytes: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), label: 'invalid UTF-8' },
      text(`{"State":"Failed","Reason":"${'x'.repeat(70_000)}"}`, 'huge'),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ bytes, label: 'random bytes' })),
  },
);

/** Well-formed ETNA answers with the status that goes with them, so flows get past the first step. */
const validAnswer: fc.Arbitrary<Answer> = fc
  .record({
    kind: fc.constantFrom('succeeded', 'pin', 'code', 'failed'),
    token: fc.base64String({ minLength: 4, maxLength: 44 }),
    contentType: fc.constantFrom('application/json', 'text/json'),
  })
  .map(({ kind, token, contentType }) => {
    const shapes = {
      succeeded: [200, { State: 'Succeeded', Token: token, PersonalPhrase: null }],
      pin: [202, { State: 'Expecting', Step: 'SecutityPin', Reason: 'Invalid pin', Token: token }],
      code: [
        202,
        { State: 'Expecting', Step: 'VerificationCode', Reason: 'Expecting confirmation code', Token: token },
      ],
      failed: [401, { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' }],
    } as const;
    const [status, value] = shapes[kind as keyof typeof shapes];
    return {
      behaviour: 'answer',
      status,
      contentType,
      retryAfter: undefined,
      body: json(value, `valid ${kind}`),
    };
  });

const anyAnswer: fc.Arbitrary<Answer> = fc.record({
  behaviour: fc.oneof(
    { weight: 40, arbitrary: fc.constant('answer' as const) },
    { weight: 1, arbitrary: fc.constantFrom('hang' as const, 'drop' as const, 'stallBody' as const) },
  ),
  status: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(200, 202, 401, 403) },
    { weight: 1, arbitrary: fc.constantFrom(204, 400, 404, 429, 500, 502, 503) },
    { weight: 1, arbitrary: fc.constantFrom(301, 302, 303, 307, 308) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
  ),
  contentType: fc.constantFrom(
    'application/json',
    'text/json',
    'application/json; charset=utf-8',
    'text/html',
    undefined,
  ),
  retryAfter: fc.constantFrom(undefined, '3', '0', '-1', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT'),
  body,
});

const answer: fc.Arbitrary<Answer> = fc.oneof(
  { weight: 1, arbitrary: validAnswer },
  { weight: 2, arbitrary: anyAnswer },
);

/** A flow: the answers to successive requests (credentials, then whatever each answer asks for). */
const flow = fc.array(answer, { minLength: 1, maxLength: MAX_STEPS + 2 });

/** The token value as the server put it in the body, read independently of the library's parser. */
function sentToken(bytes: Uint8Array): unknown {
  try {
    const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    const key =
      Object.keys(parsed).find((name) => name === 'Token') ??
      Object.keys(parsed).find((name) => name.toLowerCase() === 'token');
    return key === undefined ? undefined : parsed[key];
  } catch {
    return undefined;
  }
}

function responseOf(item: Answer): Response {
  const headers = new Headers();
  if (item.contentType) headers.set('content-type', item.contentType);
  if (item.retryAfter) headers.set('retry-after', item.retryAfter);
  const nullBody = item.status === 204 || item.status === 205 || item.status === 304;
  if (item.behaviour === 'stallBody') {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(item.body.bytes.slice(0, 3));
      },
    });
    return new Response(nullBody ? null : stream, { status: item.status, headers });
  }
  return new Response(nullBody ? null : (item.body.bytes as unknown as BodyInit), {
    status: item.status,
    headers,
  });
}

/** The `redirect` mode of every request the scripted fetch was handed. */
const redirectModes = new Set<RequestRedirect>();

/** A fetch that plays the generated answers in order, honouring the abort signal like a real one. */
function scriptedFetch(answers: readonly Answer[], served: Answer[]): typeof fetch {
  return async (input, init) => {
    // As fetch does: the init's signal, when given, replaces the request's.
    const request = new Request(input, init);
    redirectModes.add(request.redirect);
    const item = answers[served.length];
    if (!item) throw new TypeError('fetch failed');
    served.push(item);
    if (item.behaviour === 'drop') throw new TypeError('fetch failed');
    if (item.behaviour === 'hang') {
      return new Promise<Response>((_, reject) => {
        request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
      });
    }
    return responseOf(item);
  };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});

/** Drives one login through `answers`, answering every prompt, and checks the contract at the end. */
async function runFlow(machine: ReturnType<typeof createEtnaAuthMachine>, served: Answer[]) {
  const actor = createActor(machine).start();
  try {
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'fuzz', password: 'fuzz-password' });
    for (let round = 0; round <= MAX_STEPS + 2; round++) {
      const snapshot = await waitFor(actor, (current) => !current.hasTag('busy'), {
        timeout: TIMEOUT_MS * 20,
      });
      if (snapshot.matches({ expecting: 'securityPin' })) actor.send({ type: 'SUBMIT_PIN', pin: '1234' });
      else if (snapshot.matches({ expecting: 'verificationCode' }))
        actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: '1' });
      else break;
    }
    const final = await waitFor(actor, (current) => !current.hasTag('busy'), { timeout: TIMEOUT_MS * 20 });
    const value = stateValueName(final.value);
    expect(SETTLED).toContain(value);
    const token = selectToken(final);
    if (final.matches('succeeded')) {
      const last = served.at(-1);
      expect(last && last.status >= 200 && last.status < 300).toBe(true);
      expect(typeof token === 'string' && token.length > 0).toBe(true);
      expect(token).toBe(last && sentToken(last.body.bytes));
    } else {
      expect(token).toBeUndefined();
    }
    if (final.matches('error')) expect(KINDS).toContain(final.context.error?.kind);
    // A 3xx, whatever its body, is never read as an answer: it ends the login as an HTTP error.
    // (Over HTTP, `served` holds undefined for requests past the script, which the protocol answered.)
    const redirect = served.find(
      (item: Answer | undefined) => item?.behaviour === 'answer' && item.status >= 300 && item.status < 400,
    );
    if (redirect) {
      expect(served.at(-1)).toBe(redirect);
      expect(final.value).toBe('error');
      expect(final.context.error).toMatchObject({ kind: 'http', status: redirect.status });
    }
    if (final.matches('failed')) expect(typeof final.context.failure?.reason).toBe('string');
    return value;
  } finally {
    actor.stop();
  }
}

describe('generated /token answers through the real actor and service', () => {
  it(`settle every login in a documented state, and succeed only with a token the server sent (${FETCH_RUNS} flows, injected fetch)`, async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(flow, async (answers) => {
        const served: Answer[] = [];
        const machine = createEtnaAuthMachine({
          baseUrl: 'https://fuzz.example/api/',
          appKey: 'fuzz-key',
          timeout: TIMEOUT_MS,
          maxSteps: MAX_STEPS,
          fetch: scriptedFetch(answers, served),
        });
        const value = await runFlow(machine, served);
        seen.set(value, (seen.get(value) ?? 0) + 1);
      }),
      { numRuns: FETCH_RUNS },
    );
    console.log(
      `fuzz (injected fetch): ${FETCH_RUNS} flows; final states ${JSON.stringify(Object.fromEntries(seen))}`,
    );
    expect(unhandled).toEqual([]);
    // Every request asked fetch not to follow a redirect (a scripted fetch could not follow one anyway).
    expect([...redirectModes]).toEqual(['manual']);
    // The generator reaches every kind of ending, so the property is not vacuous.
    for (const state of ['succeeded.active', 'failed', 'error'])
      expect(seen.get(state) ?? 0).toBeGreaterThan(50);
  }, 180_000);

  describe('over real HTTP through the fake ETNA server', () => {
    const fault = (item: Answer): FakeFault => {
      if (item.behaviour === 'hang' || item.behaviour === 'stallBody') return { kind: 'hang' };
      if (item.behaviour === 'drop') return { kind: 'drop' };
      const headers: Record<string, string> = {};
      if (item.contentType) headers['content-type'] = item.contentType;
      if (item.retryAfter) headers['retry-after'] = item.retryAfter;
      return {
        kind: 'respond',
        status: item.status,
        headers,
        body: Buffer.from(item.body.bytes).toString('latin1'),
      };
    };

    it(`settle every login the same way (${HTTP_RUNS} flows)`, async () => {
      const seen = new Map<string, number>();
      const textual = (item: Answer) =>
        item.body.bytes.every((byte) => byte < 0x80) &&
        item.status >= 200 &&
        ![204, 205, 304].includes(item.status);
      await fc.assert(
        fc.asyncProperty(
          fc.array(answer.filter(textual), { minLength: 1, maxLength: MAX_STEPS + 2 }),
          async (answers) => {
            // A server of its own per flow: a request that the client gave up on (its deadline passes on a busy
            // machine) may still reach a shared server later and take the next flow's first answer.
            const server = await startFakeEtnaServer();
            try {
              const served: Answer[] = [];
              server.inject(...answers.map(fault));
              const machine = createEtnaAuthMachine({
                baseUrl: server.url,
                appKey: server.appKey,
                timeout: TIMEOUT_MS * 5,
                maxSteps: MAX_STEPS,
                fetch: async (input, init) => {
                  served.push(answers[served.length] as Answer);
                  return fetch(input, init);
                },
              });
              const value = await runFlow(machine, served);
              seen.set(value, (seen.get(value) ?? 0) + 1);
            } finally {
              await server.close();
            }
          },
        ),
        { numRuns: HTTP_RUNS },
      );
      console.log(
        `fuzz (real HTTP): ${HTTP_RUNS} flows; final states ${JSON.stringify(Object.fromEntries(seen))}`,
      );
      expect(unhandled).toEqual([]);
    }, 180_000);
  });
});

/** A loopback server that stands for wherever a `Location` points, and records every connection and request. */
interface Elsewhere {
  readonly host: string;
  readonly port: number;
  /** Every request that reached it, whatever its method or path. */
  readonly requests: { readonly method: string; readonly url: string }[];
  /** Every TCP connection, even one that never became a request (a TLS hello after an `https:` Location). */
  connections(): number;
  close(): Promise<void>;
}

async function startElsewhere(): Promise<Elsewhere> {
  const sockets = new Set<Socket>();
  const requests: Elsewhere['requests'] = [];
  let connections = 0;
  // Answers as a willing ETNA would: a request that got here would log in with this token.
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"State":"Succeeded","Token":"elsewhere-token"}');
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const host = '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    host,
    port: (server.address() as AddressInfo).port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The 3xx a redirect comes with: mostly the five that fetch follows, sometimes any other. */
const redirectStatus = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(301, 302, 303, 307, 308) },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 399 }) },
);

/**
 * Where a redirect points, given both servers: another host, other paths on the same server (its own
 * /token among them), other schemes, relative and protocol-relative forms; or no `Location` at all.
 */
const redirectLocation = (server: FakeEtnaServer, elsewhere: Elsewhere): fc.Arbitrary<string | undefined> => {
  const other = `${elsewhere.host}:${elsewhere.port}`;
  const same = new URL(server.url);
  const path = fc.constantFrom(
    '/',
    '/api/token',
    '/token',
    '/steal?from=etna',
    '/x/../api/token',
    '/%2e%2e/',
  );
  return fc.oneof(
    { weight: 3, arbitrary: path.map((rest) => `http://${other}${rest}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        `http://user:pass@${other}/api/token`,
        `HTTP://${other}/`,
        `http://${other}`,
        `https://${other}/api/token`,
        `//${other}/x`,
        `///${other}/x`,
        `\\\\${other}\\x`,
        `ftp://${other}/x`,
        `ws://${other}/x`,
        `file:///etc/passwd`,
        'data:application/json,{"State":"Succeeded","Token":"data-token"}',
        'javascript:alert(1)',
        'about:blank',
        'http://[::1',
        '',
        ' ',
      ),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        server.url,
        `${server.url}token`,
        `${server.url}token?again=1`,
        `${server.url}logout`,
        `${server.url}v1.0/users/@me/info`,
        `${same.origin}/elsewhere`,
        `http://localhost:${same.port}${same.pathname}token`,
        'token',
        './token',
        '../api/token',
        '?retry=1',
        '#fragment',
        '/',
        '/api/token',
      ),
    },
    // Generated paths and queries, on loopback only: a broken client must not fetch random hosts.
    { weight: 1, arbitrary: fc.webPath().map((rest) => `http://${other}${rest}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
};

/** What a redirect's body says: often a success that would log the user in, if anything read it. */
const redirectBody: fc.Arbitrary<{ readonly text: string; readonly contentType: string | undefined }> =
  fc.record({
    text: fc.oneof(
      fc
        .base64String({ minLength: 4, maxLength: 44 })
        .map((token) => JSON.stringify({ State: 'Succeeded', Token: token, PersonalPhrase: null })),
      fc.constantFrom(
        '{"State":"Succeeded","Token":"redirect-body-token"}',
        '{"State":"Expecting","Step":"SecutityPin","Reason":"Invalid pin","Token":"abcd"}',
        '{"State":"Failed","Step":"BaseAuthentication","Reason":"Invalid credentials"}',
        '<html><body>Moved</body></html>',
        '',
      ),
      fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 80, unit: 'grapheme-ascii' }),
    ),
    contentType: fc.constantFrom('application/json', 'text/html', undefined),
  });

/** One redirect answer, scripted for the fake server. */
const redirectFault = (
  server: FakeEtnaServer,
  elsewhere: Elsewhere,
): fc.Arbitrary<{ readonly status: number; readonly fault: FakeFault }> =>
  fc
    .record({ status: redirectStatus, location: redirectLocation(server, elsewhere), body: redirectBody })
    .map(({ status, location, body }) => {
      const headers: Record<string, string> = {};
      if (location !== undefined) headers.location = location;
      if (body.contentType) headers['content-type'] = body.contentType;
      return { status, fault: { kind: 'respond', status, headers, body: body.text } };
    });

describe('generated redirects over real HTTP', () => {
  let server: FakeEtnaServer;
  let elsewhere: Elsewhere;
  beforeAll(async () => {
    [server, elsewhere] = await Promise.all([startFakeEtnaServer(), startElsewhere()]);
  });
  afterAll(async () => {
    await Promise.all([server.close(), elsewhere.close()]);
  });

  const machineOf = () =>
    createEtnaAuthMachine({
      baseUrl: server.url,
      appKey: server.appKey,
      timeout: 2_000,
      maxSteps: MAX_STEPS,
    });

  /** Nothing ever reached a `Location`: no request and no connection at the other server. */
  const expectNothingElsewhere = () => {
    expect(elsewhere.requests).toEqual([]);
    expect(elsewhere.connections()).toBe(0);
  };

  it(`end a login in error kind 'http' with the 3xx, at any step, and send nothing to the Location (${REDIRECT_RUNS} flows)`, async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        redirectFault(server, elsewhere),
        // How many steps the protocol answers before the redirect: 0 at the password, 1 at the code, 2 at the PIN.
        fc.integer({ min: 0, max: 2 }),
        async ({ status, fault }, at) => {
          server.clearFaults();
          const before = server.requests.length;
          // A delay of 0 is consumed by one request that the protocol then answers as usual.
          server.inject(...Array.from({ length: at }, () => ({ kind: 'delay', ms: 0 }) as const), fault);
          const actor = createActor(machineOf()).start();
          try {
            // dave's login asks for a code, then a PIN: the redirect answers the password, the code or the PIN.
            actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'dave', password: 'dave-password' });
            let final = await waitFor(actor, (current) => !current.hasTag('busy'), { timeout: 5_000 });
            for (let round = 0; round < 2 && final.matches('expecting'); round++) {
              if (final.matches({ expecting: 'verificationCode' }))
                actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: '654321' });
              else actor.send({ type: 'SUBMIT_PIN', pin: '4321' });
              final = await waitFor(actor, (current) => !current.hasTag('busy'), { timeout: 5_000 });
            }
            expect(final.matches('succeeded')).toBe(false);
            expect(final.value).toBe('error');
            expect(final.context.error).toMatchObject({ kind: 'http', status });
            expect(selectToken(final)).toBeUndefined();
            // The fake server saw the steps before the redirect and the redirected request, once each.
            const seen = server.requests.slice(before);
            expect(seen.map((request) => request.path)).toEqual(Array(at + 1).fill('/api/token'));
            expect(seen.at(-1)?.outcome).toBe(status);
            expectNothingElsewhere();
            statuses.add(status);
          } finally {
            actor.stop();
          }
        },
      ),
      { numRuns: REDIRECT_RUNS },
    );
    // Nothing arrives late either, as a fire-and-forget follow would.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expectNothingElsewhere();
    expect(unhandled).toEqual([]);
    // The five statuses fetch follows by default were all tried, and some others.
    for (const status of [301, 302, 303, 307, 308]) expect(statuses).toContain(status);
    expect(statuses.size).toBeGreaterThan(10);
  }, 60_000);

  it(`end a logout in idle without following a redirect with the session token (${LOGOUT_REDIRECT_RUNS} logouts)`, async () => {
    await fc.assert(
      fc.asyncProperty(redirectFault(server, elsewhere), async ({ status, fault }) => {
        server.clearFaults();
        const before = server.requests.length;
        const actor = createActor(machineOf()).start();
        try {
          actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
          const loggedIn = await waitFor(actor, (current) => !current.hasTag('busy'), { timeout: 5_000 });
          expect(loggedIn.value).toEqual({ succeeded: 'active' });
          const token = selectToken(loggedIn) ?? '';
          server.injectLogout(fault);
          actor.send({ type: 'LOGOUT' });
          const final = await waitFor(actor, (current) => !current.hasTag('busy'), { timeout: 5_000 });
          expect(final.value).toBe('idle');
          expect(selectToken(final)).toBeUndefined();
          const seen = server.requests.slice(before);
          expect(seen.map((request) => request.path)).toEqual(['/api/token', '/api/logout']);
          expect(seen[1]?.outcome).toBe(status);
          // Not even a follow to the server's own /logout: the session there is still open.
          expect(server.isSessionActive(token)).toBe(true);
          expectNothingElsewhere();
        } finally {
          actor.stop();
        }
      }),
      { numRuns: LOGOUT_REDIRECT_RUNS },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expectNothingElsewhere();
    expect(unhandled).toEqual([]);
  }, 60_000);
});
