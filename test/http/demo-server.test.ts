// The demo server (`npm start`) over real HTTP: it forwards the fake ETNA server's own routes under /api/ and
// nothing else, so it is no open proxy for the Password and Et-App-Key headers a request carries.
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';

interface Answer {
  readonly status: number | undefined;
  readonly body: string;
}

/** One request with `path` sent verbatim as the request target (fetch would normalise it). */
function send(
  base: string,
  method: string,
  path: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, method, path, headers, agent: false }, (answer) => {
      let body = '';
      answer.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      answer.on('end', () => resolve({ status: answer.statusCode, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

let demo: DemoServer;
/** Another loopback server, where a request must never land. */
let bystander: Server;
let bystanderPort: number;
const reachedBystander: IncomingHttpHeaders[] = [];
/** What the fake ETNA server received since the test began (its log is the whole run's). */
let forwarded: () => readonly { method: string; path: string; outcome: unknown }[];

beforeAll(async () => {
  bystander = createServer((req, res) => {
    reachedBystander.push(req.headers);
    res.end('stolen');
  });
  await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
  const address = bystander.address();
  bystanderPort = typeof address === 'object' && address ? address.port : 0;
  demo = await startDemoServer();
}, 60_000);

beforeEach(() => {
  const before = demo.etna.requests.length;
  forwarded = () => demo.etna.requests.slice(before);
});

afterEach(() => {
  demo.etna.clearFaults();
  reachedBystander.length = 0;
});

afterAll(async () => {
  bystander.closeAllConnections();
  await Promise.all([demo?.close(), new Promise((resolve) => bystander.close(resolve))]);
});

const secrets = () => ({ Username: 'alice', Password: 'alice-password', 'Et-App-Key': demo.etna.appKey });

describe('the demo server: only the fake ETNA server, only its routes', () => {
  it('answers 404 to POST /api/http://other-host/steal, and sends nothing to the other host', async () => {
    const answer = await send(demo.url, 'POST', `/api/http://127.0.0.1:${bystanderPort}/steal`, secrets());
    expect(answer.status).toBe(404);
    expect(reachedBystander).toEqual([]);
    expect(forwarded()).toEqual([]);
  });

  it.for([
    ['a scheme-relative URL', (): string => `/api///127.0.0.1:${bystanderPort}/steal`],
    ['a backslashed host', (): string => `/api/\\\\127.0.0.1:${bystanderPort}/steal`],
    ['an upper-case scheme', (): string => `/api/HTTP://127.0.0.1:${bystanderPort}/steal`],
    ['a `..` traversal', (): string => '/api/../steal'],
    ['a `..` traversal past a route', (): string => '/api/token/../../steal'],
    ['a percent-encoded traversal', (): string => '/api/%2e%2e/%2e%2e/steal'],
    ['a percent-encoded traversal, upper case', (): string => '/api/%2E%2E/token'],
    ['a route with a trailing slash', (): string => '/api/token/'],
    ['an unknown route', (): string => '/api/v1.0/accounts'],
  ] as const)('answers 404 to %s, before forwarding anything', async ([, path]) => {
    const answer = await send(demo.url, 'POST', path(), secrets());
    expect(answer.status).toBe(404);
    expect(reachedBystander).toEqual([]);
    expect(forwarded()).toEqual([]);
  });

  it('answers 404 to a known route with another method, before forwarding it', async () => {
    const answer = await send(demo.url, 'GET', '/api/token', secrets());
    expect(answer.status).toBe(404);
    expect(forwarded()).toEqual([]);
  });

  it('does not forward an absolute-form request target either', async () => {
    const answer = await send(demo.url, 'POST', `http://127.0.0.1:${bystanderPort}/api/token`, secrets());
    expect(answer.status).not.toBe(200);
    expect(reachedBystander).toEqual([]);
    expect(forwarded()).toEqual([]);
  });

  it('still forwards POST /api/token, GET /api/v1.0/users/@me/info and POST /api/logout', async () => {
    const login = await send(demo.url, 'POST', '/api/token', secrets());
    expect(login.status).toBe(200);
    const { State, Token } = JSON.parse(login.body);
    expect(State).toBe('Succeeded');
    const session = { Authorization: `Bearer ${Token}`, 'Et-App-Key': demo.etna.appKey };

    const info = await send(demo.url, 'GET', '/api/v1.0/users/@me/info?fields=Login', session);
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ Login: 'alice' });

    const logout = await send(demo.url, 'POST', '/api/logout', session);
    expect(logout.status).toBe(200);
    expect(demo.etna.isSessionActive(Token)).toBe(false);
    expect(forwarded().map((sent) => `${sent.method} ${sent.path} → ${sent.outcome}`)).toEqual([
      'POST /api/token → 200',
      'GET /api/v1.0/users/@me/info → 200',
      'POST /api/logout → 200',
    ]);
    expect(reachedBystander).toEqual([]);
  });

  it("still plays the page's X-Demo-Fault on the route it goes to", async () => {
    const answer = await send(demo.url, 'POST', '/api/token', {
      ...secrets(),
      'X-Demo-Fault': 'serverError',
    });
    expect(answer.status).toBe(500);
    expect(demo.etna.requests.at(-1)?.headers['x-demo-fault']).toBeUndefined();
  });
});
