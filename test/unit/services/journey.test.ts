// createJourneyServices, the calls beside /token, against a plain node:http server of the test's own.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JourneyAnswer, JourneyCall } from '../../../src/contract/journey.js';
import { Secret } from '../../../src/contract/secret.js';
import { EtnaAuthError } from '../../../src/services/errors/etna-auth-error.js';
import { RateLimitedError } from '../../../src/services/errors/rate-limited-error.js';
import {
  createJourneyServices,
  type JourneyServices,
  MAX_IMAGES_BODY_BYTES,
} from '../../../src/services/journey/index.js';
import { MAX_BODY_BYTES } from '../../../src/services/read-body.js';
import type { ServiceConfig } from '../../../src/services/service-config.js';

const APP_KEY = 'app-key-1';
const TOKEN = 'session-canary-Q7x+/=';
const CONFIRMATION_TOKEN = 'confirm-canary-9Lp';
const PIN = '4817';
const PASSWORD = 'pw-canary-Zr8';
const CONFIRMATION = 'pw-confirm-canary-M2';
const RESET_TOKEN = 'reset-canary-T0k';
const CODE = 'code-canary-551';
const ANSWER = 'answer-canary-Fido';
const CANARIES = [TOKEN, CONFIRMATION_TOKEN, PIN, PASSWORD, CONFIRMATION, RESET_TOKEN, CODE, ANSWER];

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(24, 1),
]).toString('base64');

// --- the test's server --------------------------------------------------------------------------------------

interface Seen {
  readonly method: string;
  readonly path: string;
  /** The raw query, `?` included, or `''`. */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

type Handler = (seen: Seen, res: ServerResponse) => void;

interface TestServer {
  /** `http://127.0.0.1:<port>/api/`, with its trailing slash. */
  readonly apiRoot: string;
  readonly requests: Seen[];
  handle(handler: Handler): void;
  /** Resolves once `count` requests have arrived, bodies read. */
  waitForRequests(count: number): Promise<void>;
  /** Resolves once the answer to request `index` is closed (sent, or its connection gone). */
  closed(index: number): Promise<void>;
  close(): Promise<void>;
}

const servers: TestServer[] = [];

async function startServer(): Promise<TestServer> {
  let handler: Handler = (_, res) => answer(res, 200, { Model: null, Errors: [], IsSucceed: true });
  const requests: Seen[] = [];
  const closes: Promise<void>[] = [];
  const waiters = new Set<() => void>();
  const raw = createServer((req, res) => {
    const closed = new Promise<void>((resolve) => res.on('close', () => resolve()));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const seen: Seen = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.search,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      closes.push(closed);
      for (const waiter of [...waiters]) waiter();
      handler(seen, res);
    });
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  const server: TestServer = {
    apiRoot: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/api/`,
    requests,
    handle: (next) => {
      handler = next;
    },
    waitForRequests: (count) =>
      new Promise((resolve) => {
        const check = () => {
          if (requests.length < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    closed: async (index) => {
      await server.waitForRequests(index + 1);
      await closes[index];
    },
    close: () =>
      new Promise((resolve) => {
        raw.closeAllConnections();
        raw.close(() => resolve());
      }),
  };
  servers.push(server);
  return server;
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((each) => each.close()));
});

const configFor = (apiRoot: string, overrides: Partial<ServiceConfig> = {}): ServiceConfig => ({
  tokenUrl: `${apiRoot}token`,
  apiRoot,
  appKey: APP_KEY,
  timeout: 5000,
  fetch: undefined,
  ...overrides,
});

const servicesFor = (overrides: Partial<ServiceConfig> = {}) =>
  createJourneyServices(configFor(server.apiRoot, overrides));

/** The rejection of `promise`, which must be an EtnaAuthError that quotes no secret anywhere. */
async function rejectionOf(promise: Promise<unknown>): Promise<EtnaAuthError> {
  let error: unknown;
  try {
    const resolved = await promise;
    error = new Error(`expected a rejection, got ${JSON.stringify(resolved)}`);
  } catch (caught) {
    if (!(caught instanceof EtnaAuthError)) throw caught;
    const printed = [String(caught), caught.stack ?? '', JSON.stringify(caught), caught.message].join('\n');
    for (const canary of CANARIES) expect(printed).not.toContain(canary);
    expect(caught.cause).toBeUndefined();
    return caught;
  }
  throw error;
}

// --- the calls ------------------------------------------------------------------------------------------------

interface CallCase {
  readonly call: JourneyCall;
  readonly send: (services: JourneyServices, signal?: AbortSignal) => Promise<JourneyAnswer<unknown>>;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** The Authorization header expected, or undefined when there must be none. */
  readonly authorization: string | undefined;
  /** The JSON body expected, or undefined for a GET without a body. */
  readonly body: unknown;
  /** The Model a successful answer carries, and the model the service resolves with. */
  readonly model: unknown;
  readonly expectModel: (model: unknown) => void;
  /** The secrets of the request: scrubbed from every text shown. */
  readonly secrets: readonly string[];
}

const CASES: readonly CallCase[] = [
  {
    call: 'securityImages',
    send: (services, signal) => services.securityImages({ token: new Secret(TOKEN) }, signal),
    method: 'GET',
    path: '/api/v1.0/assets/security-images',
    query: '',
    authorization: `Bearer ${TOKEN}`,
    body: undefined,
    model: [{ FileName: 'apple.png', Content: PNG }],
    expectModel: (model) =>
      expect(model).toEqual([{ fileName: 'apple.png', dataUrl: `data:image/png;base64,${PNG}` }]),
    secrets: [TOKEN],
  },
  {
    call: 'pinChange',
    send: (services, signal) =>
      services.pinChange(
        {
          token: new Secret(TOKEN),
          confirmationToken: new Secret(CONFIRMATION_TOKEN),
          pin: new Secret(PIN),
          imageName: 'apple.png',
          personalPhrase: 'Blue horse',
        },
        signal,
      ),
    method: 'POST',
    path: '/api/v1.0/users/pincode/change',
    query: '',
    authorization: `Bearer ${TOKEN}`,
    body: { Token: CONFIRMATION_TOKEN, Pin: 4817, ImageName: 'apple.png', PersonalPhrase: 'Blue horse' },
    model: null,
    expectModel: (model) => expect(model).toBeNull(),
    secrets: [TOKEN, CONFIRMATION_TOKEN, PIN],
  },
  {
    call: 'passwordChange',
    send: (services, signal) =>
      services.passwordChange(
        {
          token: new Secret(RESET_TOKEN),
          password: new Secret(PASSWORD),
          confirmation: new Secret(CONFIRMATION),
        },
        signal,
      ),
    method: 'PUT',
    path: '/api/v1.0/users/passwords/reset/',
    query: '',
    authorization: undefined,
    body: { Token: RESET_TOKEN, Password: PASSWORD, PasswordConfirmation: CONFIRMATION },
    model: null,
    expectModel: (model) => expect(model).toBeNull(),
    secrets: [RESET_TOKEN, PASSWORD, CONFIRMATION],
  },
  {
    call: 'secretQuestion',
    send: (services, signal) => services.secretQuestion({ username: 'alïce &=/?#+' }, signal),
    method: 'GET',
    path: '/api/v1.0/users/password/secret-question',
    query: '?username=al%C3%AFce%20%26%3D%2F%3F%23%2B',
    authorization: undefined,
    body: undefined,
    model: 'Your first pet?',
    expectModel: (model) => expect(model).toBe('Your first pet?'),
    secrets: [],
  },
  {
    call: 'resetRequest',
    send: (services, signal) =>
      services.resetRequest({ username: 'alice', answer: new Secret(ANSWER) }, signal),
    method: 'POST',
    path: '/api/v1.0/users/password/reset',
    query: '',
    authorization: undefined,
    body: { User: 'alice', SecretQuestionAnswer: ANSWER },
    model: null,
    expectModel: (model) => expect(model).toBeNull(),
    secrets: [ANSWER],
  },
  {
    call: 'resetCode',
    send: (services, signal) => services.resetCode({ code: new Secret(CODE) }, signal),
    method: 'POST',
    path: '/api/v1.0/users/password/reset/code',
    query: '',
    authorization: undefined,
    body: { Code: CODE },
    model: RESET_TOKEN,
    expectModel: (model) => {
      expect(Secret.is(model)).toBe(true);
      expect((model as Secret).reveal()).toBe(RESET_TOKEN);
      expect(JSON.stringify(model)).toBe('"[redacted]"');
    },
    secrets: [CODE],
  },
];

const each = describe.each(CASES.map((item) => [item.call, item] as const));

each('%s: what goes on the wire', (_call, item) => {
  it('sends one request: its method, path, query, headers and JSON body exactly', async () => {
    server.handle((_, res) => answer(res, 200, { Model: item.model, Errors: [], IsSucceed: true }));
    const answered = await item.send(servicesFor());
    expect(answered.ok).toBe(true);
    expect(server.requests).toHaveLength(1);
    const [seen] = server.requests;
    expect(seen?.method).toBe(item.method);
    expect(seen?.path).toBe(item.path);
    expect(seen?.query).toBe(item.query);
    expect(seen?.headers.accept).toBe('application/json');
    expect(seen?.headers['et-app-key']).toBe(APP_KEY);
    expect(seen?.headers.authorization).toBe(item.authorization);
    if (item.body === undefined) {
      expect(seen?.body).toBe('');
      expect(seen?.headers['content-type']).toBeUndefined();
    } else {
      expect(seen?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(seen?.body ?? '')).toStrictEqual(item.body);
    }
    // Nothing of the request travels in a header but the bearer token.
    const headerText = JSON.stringify({ ...seen?.headers, authorization: undefined });
    for (const secret of item.secrets) expect(headerText).not.toContain(secret);
  });
});

each('%s: the envelope', (_call, item) => {
  it('resolves a success with its validated model', async () => {
    server.handle((_, res) => answer(res, 200, { Model: item.model, Errors: [], IsSucceed: true }));
    const answered = await item.send(servicesFor());
    if (!answered.ok) throw new Error(`expected a success, got ${JSON.stringify(answered)}`);
    item.expectModel(answered.model);
  });

  it('counts IsSucceed false with empty Errors as a success for the reset request only, field names in any case', async () => {
    server.handle((_, res) => answer(res, 200, { model: item.model, errors: [], isSucceed: false }));
    if (item.call !== 'resetRequest') {
      await expect(rejectionOf(item.send(servicesFor()))).resolves.toMatchObject({
        kind: 'protocol',
        status: 200,
      });
      return;
    }
    const answered = await item.send(servicesFor());
    if (!answered.ok) throw new Error(`expected a success, got ${JSON.stringify(answered)}`);
    item.expectModel(answered.model);
  });

  it.each([200, 400, 409])(
    'resolves Errors as a refusal at HTTP %i, the secrets of the request scrubbed',
    async (status) => {
      const echo = `Rejected: ${item.secrets.join(' and ')} for alice`;
      server.handle((_, res) =>
        answer(res, status, {
          Model: null,
          Errors: [echo, 'Second\u0000 error\n'],
          ErrorsCode: ['E42', item.secrets[0] ?? 'E43'],
          IsSucceed: false,
        }),
      );
      const answered = await item.send(servicesFor());
      const scrubbed = item.secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), echo);
      expect(answered).toEqual({
        ok: false,
        errors: [scrubbed, 'Second error'],
        codes: ['E42', item.secrets.length > 0 ? '[redacted]' : 'E43'],
      });
      for (const canary of CANARIES) expect(JSON.stringify(answered)).not.toContain(canary);
      expect(server.requests).toHaveLength(1);
    },
  );

  it('rejects a 429 as rateLimited with its Retry-After, after one request', async () => {
    server.handle((_, res) => answer(res, 429, { Errors: ['slow down'] }, { 'retry-after': '7' }));
    const error = await rejectionOf(item.send(servicesFor()));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ kind: 'rateLimited', status: 429, retryAfterMs: 7000 });
    expect(error.message).toBe('too many requests; retry after 7 s');
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a 500 HTML page as http', async () => {
    server.handle((_, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html><body>Server Error</body></html>');
    });
    const error = await rejectionOf(item.send(servicesFor()));
    expect(error).toMatchObject({ kind: 'http', status: 500 });
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a 403 with an OAuth error as appKey', async () => {
    server.handle((_, res) => answer(res, 403, { error: 'invalid_client' }));
    const error = await rejectionOf(item.send(servicesFor({ appKey: 'wrong-key' })));
    expect(error).toMatchObject({ kind: 'appKey', status: 403 });
    expect(server.requests[0]?.headers['et-app-key']).toBe('wrong-key');
  });

  it('rejects a 401 without Errors, such as "Authorization has been denied", as http', async () => {
    server.handle((_, res) =>
      answer(res, 401, { Message: 'Authorization has been denied for this request.' }),
    );
    await expect(rejectionOf(item.send(servicesFor()))).resolves.toMatchObject({ kind: 'http', status: 401 });
  });

  it('rejects malformed JSON at 200 as protocol, and a non-JSON 404 as http', async () => {
    server.handle((_, res) => answer(res, 200, '{"Model": {"Errors": ['));
    await expect(rejectionOf(item.send(servicesFor()))).resolves.toMatchObject({
      kind: 'protocol',
      status: 200,
    });
    server.handle((_, res) => answer(res, 404, 'Not Found'));
    await expect(rejectionOf(item.send(servicesFor()))).resolves.toMatchObject({ kind: 'http', status: 404 });
  });

  it.each([301, 302, 307, 308])(
    'rejects a %i to another server as http, and nothing reaches it',
    async (status) => {
      const other = await startServer();
      server.handle((seen, res) => {
        res.writeHead(status, {
          location: `${other.apiRoot}${seen.path.slice('/api/'.length)}${seen.query}`,
        });
        res.end();
      });
      const error = await rejectionOf(item.send(servicesFor()));
      expect(error).toMatchObject({ kind: 'http', status });
      expect(error.message).toContain('redirect');
      expect(server.requests).toHaveLength(1);
      expect(other.requests).toHaveLength(0);
    },
  );

  it('rejects a server that never answers as timeout, within the configured timeout', async () => {
    server.handle(() => {});
    const started = performance.now();
    const error = await rejectionOf(item.send(servicesFor({ timeout: 300 })));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ kind: 'timeout', message: 'no answer within 300 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2300);
    await server.closed(0);
  });

  it('sends nothing for a signal already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejectionOf(item.send(servicesFor(), controller.signal));
    expect(error).toMatchObject({ kind: 'network', message: 'the request was aborted' });
    expect(server.requests).toHaveLength(0);
  });

  it('rejects as network when the signal aborts mid-flight, and ends the request', async () => {
    server.handle(() => {});
    const controller = new AbortController();
    const pending = rejectionOf(item.send(servicesFor(), controller.signal));
    await server.waitForRequests(1);
    controller.abort();
    const error = await pending;
    expect(error).toMatchObject({ kind: 'network', message: 'the request was aborted' });
    await server.closed(0);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a refused connection as network', async () => {
    const gone = await startServer();
    await gone.close();
    const error = await rejectionOf(item.send(createJourneyServices(configFor(gone.apiRoot))));
    expect(error).toMatchObject({ kind: 'network', message: 'the server could not be reached' });
  });
});

// --- what counts as a success -------------------------------------------------------------------------------

describe('what counts as a success', () => {
  const pinChange = () => CASES.find((item) => item.call === 'pinChange')?.send(servicesFor());
  const resetRequest = () => servicesFor().resetRequest({ username: 'alice', answer: new Secret(ANSWER) });
  /** How a call took `body` at HTTP 200: 'success', the refusal's texts, or the rejection's kind. */
  async function outcomeOf(body: unknown, call: () => Promise<JourneyAnswer<unknown>> | undefined) {
    server.handle((_, res) => answer(res, 200, body));
    try {
      const answered = await call();
      return answered?.ok ? 'success' : answered?.errors;
    } catch (error) {
      return (error as EtnaAuthError).kind;
    }
  }

  // [the envelope, the PIN set-up's outcome, the reset request's outcome (ETNA's quirk: no Errors is success)]
  it.each([
    [{ IsSucceed: true, Errors: [] }, 'success', 'success'],
    [{ IsSucceed: true }, 'success', 'success'],
    [{ IsSucceed: true, Errors: null }, 'success', 'success'],
    [{ IsSucceed: false, Errors: [] }, 'protocol', 'success'],
    [{ IsSucceed: false }, 'protocol', 'success'],
    [{ IsSucceed: false, Errors: null }, 'protocol', 'success'],
    [{ IsSucceed: false, Errors: { Pin: ['Invalid PIN'] } }, ['Invalid PIN'], ['Invalid PIN']],
    [
      { isSucceed: false, errors: { Pin: 'Invalid PIN', '': ['', 'Too short'] } },
      ['Invalid PIN', 'Too short'],
      ['Invalid PIN', 'Too short'],
    ],
    [{ IsSucceed: false, Errors: {} }, 'protocol', 'protocol'],
    [{ IsSucceed: false, Errors: { Pin: [] } }, 'protocol', 'protocol'],
    [{ IsSucceed: false, Errors: { Pin: { Errors: [{ ErrorMessage: 'x' }] } } }, 'protocol', 'protocol'],
    [{ IsSucceed: false, Errors: 0 }, 'protocol', 'protocol'],
    [{ IsSucceed: false, Errors: '' }, 'protocol', 'protocol'],
    [{ IsSucceed: false, Errors: ['', ' \u0007'] }, 'protocol', 'protocol'],
    [{ IsSucceed: false, Errors: false }, 'protocol', 'protocol'],
    [{ IsSucceed: 'false', Errors: [] }, 'protocol', 'protocol'],
    [{ IsSucceed: 'true', Errors: [] }, 'protocol', 'protocol'],
    [{ IsSucceed: 0 }, 'protocol', 'protocol'],
    [{ IsSucceed: 1, Errors: [] }, 'protocol', 'protocol'],
    [{ IsSucceed: null, Errors: [] }, 'protocol', 'protocol'],
    [{ Errors: [] }, 'protocol', 'protocol'],
    [{ Model: null }, 'protocol', 'protocol'],
    [{ IsSucceed: 'false', Errors: { Pin: ['Invalid PIN'] } }, ['Invalid PIN'], ['Invalid PIN']],
    [{ IsSucceed: true, Errors: ['Invalid PIN'] }, ['Invalid PIN'], ['Invalid PIN']],
    [{ IsSucceed: true, Errors: {} }, 'protocol', 'protocol'],
  ])('takes %j as %j from the PIN set-up and %j from the reset request', async (body, pin, reset) => {
    expect(await outcomeOf(body, pinChange)).toEqual(pin);
    expect(await outcomeOf(body, resetRequest)).toEqual(reset);
  });

  it('flattens model-state Errors to at most 10 texts, each made safe to show', async () => {
    const errors = Object.fromEntries(
      Array.from({ length: 30 }, (_, index) => [`Field${index}`, [`e${index}\u001b[2J ${PIN}`, `f${index}`]]),
    );
    const refusal = await outcomeOf(
      { IsSucceed: false, Errors: errors, ErrorsCode: { Pin: ['ErrorPin'] } },
      pinChange,
    );
    expect(refusal).toEqual([
      'e0[2J [redacted]',
      'f0',
      'e1[2J [redacted]',
      'f1',
      'e2[2J [redacted]',
      'f2',
      'e3[2J [redacted]',
      'f3',
      'e4[2J [redacted]',
      'f4',
    ]);
  });

  it('counts an answer as a success only when it says so in a shape it knows (property)', async () => {
    const name = (field: string) =>
      fc.constantFrom(field, field.toLowerCase(), `${field[0]?.toLowerCase()}${field.slice(1)}`);
    const isSucceed = fc.oneof(
      fc.boolean(),
      fc.constantFrom('true', 'false', 0, 1, null, [], {}),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const errors = fc.oneof(
      fc.constantFrom([], null, {}, '', 0),
      fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)), { maxLength: 3 }),
      fc.dictionary(
        fc.string({ maxLength: 4 }),
        fc.oneof(
          fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
          fc.string({ maxLength: 8 }),
          fc.integer(),
        ),
        { maxKeys: 3 },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({ succeeded: name('IsSucceed'), errors: name('Errors') }),
        fc.option(isSucceed, { nil: undefined }),
        fc.option(errors, { nil: undefined }),
        fc.boolean(),
        async (names, said, listed, reset) => {
          const body: Record<string, unknown> = { Model: null };
          if (said !== undefined) body[names.succeeded] = said;
          if (listed !== undefined) body[names.errors] = listed;
          const outcome = await outcomeOf(body, reset ? resetRequest : pinChange);
          const noErrors =
            listed === undefined || listed === null || (Array.isArray(listed) && listed.length === 0);
          if (outcome === 'success') {
            expect(noErrors).toBe(true);
            expect(said === true || (reset && said === false)).toBe(true);
          } else if (Array.isArray(outcome)) {
            expect(outcome.length).toBeGreaterThan(0);
            for (const text of outcome) expect(text).toMatch(/^\S(.{0,198}\S)?…?$/su);
          } else {
            expect(outcome).toBe('protocol');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

// --- the envelope's text ------------------------------------------------------------------------------------

describe('the text of a refusal', () => {
  const refuse = (body: unknown) => server.handle((_, res) => answer(res, 400, body));
  const resetRequest = () => servicesFor().resetRequest({ username: 'alice', answer: new Secret(ANSWER) });

  it('keeps strings only, at most 10, each without control characters and cut to 200 characters', async () => {
    refuse({
      Errors: [42, null, 'a'.repeat(250), ...Array.from({ length: 12 }, (_, index) => `e${index}\u0007`)],
      ErrorsCode: [7, 'C\u001b[31m1', ...Array.from({ length: 12 }, (_, index) => `c${index}`)],
    });
    const answered = await resetRequest();
    if (answered.ok) throw new Error('expected a refusal');
    expect(answered.errors).toEqual([`${'a'.repeat(200)}…`, ...Array.from({ length: 9 }, (_, i) => `e${i}`)]);
    expect(answered.codes).toEqual(['C[31m1', ...Array.from({ length: 9 }, (_, i) => `c${i}`)]);
  });

  it('scrubs a secret split by a control character, and leaves values shorter than 3 alone', async () => {
    const split = `${ANSWER.slice(0, 5)}\u0000${ANSWER.slice(5)}`;
    refuse({ Errors: [`bad answer ${split}`, 'PIN 12 refused'] });
    const answered = await servicesFor().resetRequest({ username: 'alice', answer: new Secret(ANSWER) });
    expect(answered).toEqual({ ok: false, errors: ['bad answer [redacted]', 'PIN 12 refused'], codes: [] });
    refuse({ Errors: ['PIN 12 refused'] });
    const short = await servicesFor().resetRequest({ username: 'alice', answer: new Secret('12') });
    expect(short).toEqual({ ok: false, errors: ['PIN 12 refused'], codes: [] });
  });

  it('takes one Errors string as a list of one', async () => {
    refuse({ Errors: 'Unknown user', ErrorsCode: 'U1' });
    await expect(resetRequest()).resolves.toEqual({ ok: false, errors: ['Unknown user'], codes: ['U1'] });
  });

  it('refuses Errors without any string as protocol at 2xx and http otherwise', async () => {
    server.handle((_, res) => answer(res, 200, { Errors: [1, 2], IsSucceed: false }));
    await expect(rejectionOf(resetRequest())).resolves.toMatchObject({ kind: 'protocol', status: 200 });
    refuse({ Errors: [{}] });
    await expect(rejectionOf(resetRequest())).resolves.toMatchObject({ kind: 'http', status: 400 });
  });

  it('scrubs the reset token of a resetCode answer from its own Errors', async () => {
    server.handle((_, res) =>
      answer(res, 200, { Model: RESET_TOKEN, Errors: [`token ${RESET_TOKEN} expired`] }),
    );
    const answered = await servicesFor().resetCode({ code: new Secret(CODE) });
    expect(answered).toEqual({ ok: false, errors: ['token [redacted] expired'], codes: [] });
  });

  it('rejects a 429 of /token as too many login attempts still', () => {
    expect(new RateLimitedError(2000).message).toBe('too many login attempts; retry after 2 s');
  });
});

// --- each call's model --------------------------------------------------------------------------------------

describe("each call's model", () => {
  const succeedWith = (model: unknown) =>
    server.handle((_, res) => answer(res, 200, { Model: model, Errors: [], IsSucceed: true }));

  it('securityImages: leaves unusable images out, and refuses a list with none usable or no list', async () => {
    const svg = Buffer.from('<svg onload="alert(1)"/>').toString('base64');
    succeedWith([
      { FileName: 'evil.svg', Content: svg },
      { FileName: 'remote.png', Content: 'https://cdn.example/remote.png' },
      { FileName: 'apple.png', Content: PNG },
    ]);
    const token = new Secret(TOKEN);
    await expect(servicesFor().securityImages({ token })).resolves.toEqual({
      ok: true,
      model: [{ fileName: 'apple.png', dataUrl: `data:image/png;base64,${PNG}` }],
    });
    for (const model of [[], [{ FileName: 'evil.svg', Content: svg }], null, 'apple.png', { apple: PNG }]) {
      succeedWith(model);
      const error = await rejectionOf(servicesFor().securityImages({ token }));
      expect(error.kind, JSON.stringify(model)).toBe('protocol');
    }
  });

  it(`securityImages: reads a body far beyond ${MAX_BODY_BYTES} bytes, and refuses one beyond ${MAX_IMAGES_BODY_BYTES}`, async () => {
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(400 * 1024, 7)]).toString(
      'base64',
    );
    const list = Array.from({ length: 12 }, (_, index) => ({ FileName: `photo-${index}.jpg`, Content: big }));
    expect(JSON.stringify({ Model: list }).length).toBeGreaterThan(6 * 1024 * 1024);
    succeedWith(list);
    const answered = await servicesFor().securityImages({ token: new Secret(TOKEN) });
    expect(answered.ok && answered.model).toHaveLength(12);

    const tooMany = Array.from({ length: 16 }, (_, index) => ({
      FileName: `photo-${index}.jpg`,
      Content: big,
    }));
    expect(JSON.stringify({ Model: tooMany }).length).toBeGreaterThan(MAX_IMAGES_BODY_BYTES);
    succeedWith(tooMany);
    const error = await rejectionOf(servicesFor().securityImages({ token: new Secret(TOKEN) }));
    expect(error).toMatchObject({
      kind: 'protocol',
      message: `the answer body is larger than ${MAX_IMAGES_BODY_BYTES} bytes`,
    });
  });

  it(`keeps the ${MAX_BODY_BYTES}-byte cap for the other calls`, async () => {
    succeedWith(`${'x'.repeat(MAX_BODY_BYTES)}?`);
    const error = await rejectionOf(servicesFor().secretQuestion({ username: 'alice' }));
    expect(error).toMatchObject({
      kind: 'protocol',
      message: `the answer body is larger than ${MAX_BODY_BYTES} bytes`,
    });
  });

  it("secretQuestion: '' for none, printable text cut to 200 characters, protocol for what is not text", async () => {
    const ask = () => servicesFor().secretQuestion({ username: 'alice' });
    for (const model of [null, undefined]) {
      succeedWith(model);
      await expect(ask()).resolves.toEqual({ ok: true, model: '' });
    }
    succeedWith('  Your\u0000 first\u202e pet?\r\n');
    await expect(ask()).resolves.toEqual({ ok: true, model: 'Your first pet?' });
    succeedWith('q'.repeat(500));
    await expect(ask()).resolves.toEqual({ ok: true, model: `${'q'.repeat(200)}…` });
    for (const model of [42, ['Your first pet?'], { Question: 'x' }]) {
      succeedWith(model);
      await expect(rejectionOf(ask()), JSON.stringify(model)).resolves.toMatchObject({ kind: 'protocol' });
    }
  });

  it('resetRequest: leaves SecretQuestionAnswer out when there is no answer', async () => {
    await servicesFor().resetRequest({ username: 'alice', answer: undefined });
    expect(JSON.parse(server.requests[0]?.body ?? '')).toStrictEqual({ User: 'alice' });
  });

  it('resetCode: refuses a reset token that is not a usable header value as protocol', async () => {
    for (const model of [null, 42, '', 'a\r\nb', ' padded ', 'ü-ok-but-€', 't'.repeat(4097)]) {
      succeedWith(model);
      const error = await rejectionOf(servicesFor().resetCode({ code: new Secret(CODE) }));
      expect(error.kind, JSON.stringify(model)).toBe('protocol');
    }
    succeedWith('t'.repeat(4096));
    const answered = await servicesFor().resetCode({ code: new Secret(CODE) });
    expect(answered.ok && answered.model.reveal()).toBe('t'.repeat(4096));
  });

  it('pinChange: sends the PIN as a JSON number, and refuses one that is not digits without a leading zero, sending nothing', async () => {
    const change = (pin: string) =>
      servicesFor().pinChange({
        token: new Secret(TOKEN),
        confirmationToken: new Secret(CONFIRMATION_TOKEN),
        pin: new Secret(pin),
        imageName: 'apple.png',
        personalPhrase: 'Blue horse',
      });
    await change('4817');
    expect(server.requests[0]?.body).toContain('"Pin":4817,');
    for (const pin of ['0481', '', '12a4', '-12', '1e3', '4817 ', '1234567890123456']) {
      const error = await rejectionOf(change(pin));
      expect(error.kind, pin).toBe('input');
    }
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a bearer token no header can carry as input, sending nothing', async () => {
    const error = await rejectionOf(servicesFor().securityImages({ token: new Secret('tok\r\nX-Evil: 1') }));
    expect(error.kind).toBe('input');
    expect(server.requests).toHaveLength(0);
  });
});

describe('a replacement fetch', () => {
  it('is handed redirect manual and the deadline signal, and a 3xx it returns is refused', async () => {
    const inits: RequestInit[] = [];
    const services = createJourneyServices(
      configFor('https://etna.example/api/', {
        fetch: async (_input, init) => {
          inits.push(init ?? {});
          return new Response(null, { status: 302, headers: { location: 'https://evil.example/' } });
        },
      }),
    );
    const error = await rejectionOf(services.resetCode({ code: new Secret(CODE) }));
    expect(error).toMatchObject({ kind: 'http', status: 302 });
    expect(inits).toHaveLength(1);
    expect(inits[0]?.redirect).toBe('manual');
    expect(inits[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('is not called at all for a signal already aborted, even one that would ignore it', async () => {
    let calls = 0;
    const services = createJourneyServices(
      configFor('https://etna.example/api/', {
        fetch: async () => {
          calls++;
          return new Response('{"Model": null}', { status: 200 });
        },
      }),
    );
    const controller = new AbortController();
    controller.abort();
    for (const item of CASES) {
      const error = await rejectionOf(item.send(services, controller.signal));
      expect(error, item.call).toMatchObject({ kind: 'network', message: 'the request was aborted' });
    }
    expect(calls).toBe(0);
  });

  it('is not waited for past the timeout when it ignores the signal', async () => {
    const services = createJourneyServices(
      configFor('https://etna.example/api/', { timeout: 200, fetch: () => new Promise(() => {}) }),
    );
    const error = await rejectionOf(services.secretQuestion({ username: 'alice' }));
    expect(error.kind).toBe('timeout');
  });
});
