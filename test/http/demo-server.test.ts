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
  body?: string,
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
    outgoing.end(body);
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

describe('the demo server: the rest of the login journey, and the mailbox', () => {
  const appKey = () => ({ 'Et-App-Key': demo.etna.appKey });
  const json = (body: unknown) =>
    [{ ...appKey(), 'Content-Type': 'application/json' }, JSON.stringify(body)] as const;
  const mailbox = async (user: string) => {
    const answer = await send(demo.url, 'GET', `/demo/mailbox?user=${encodeURIComponent(user)}`);
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body) as { kind: string; code: string; at: number }[];
  };

  it('forwards the secret-question GET with its query, and the reset journey with its bodies', async () => {
    const question = await send(
      demo.url,
      'GET',
      '/api/v1.0/users/password/secret-question?username=grace',
      appKey(),
    );
    expect(question.status).toBe(200);
    expect(JSON.parse(question.body)).toMatchObject({
      Model: 'What was the name of your first pet?',
      IsSucceed: true,
    });

    const before = (await mailbox('grace')).length;
    const request = await send(
      demo.url,
      'POST',
      '/api/v1.0/users/password/reset',
      ...json({ User: 'grace', SecretQuestionAnswer: 'Rex' }),
    );
    expect(JSON.parse(request.body)).toMatchObject({ IsSucceed: true });
    const mails = await mailbox('grace');
    expect(mails).toHaveLength(before + 1);
    const mail = mails.at(-1);
    expect(mail).toEqual({
      kind: 'passwordReset',
      code: expect.stringMatching(/^\d{6}$/),
      at: expect.any(Number),
    });
    expect(demo.etna.lastMail('grace', 'passwordReset')).toMatchObject({ code: mail?.code, at: mail?.at });

    const traded = await send(
      demo.url,
      'POST',
      '/api/v1.0/users/identifiers/reset/code',
      ...json({ Code: mail?.code, Identifier: 'ResetPassword' }),
    );
    const token = JSON.parse(traded.body).Model as string;
    expect(token).toEqual(expect.any(String));
    const changed = await send(
      demo.url,
      'PUT',
      '/api/v1.0/users/passwords/reset/',
      ...json({ Token: token, Password: 'grace-demo-1', PasswordConfirmation: 'grace-demo-1' }),
    );
    expect(JSON.parse(changed.body)).toMatchObject({ IsSucceed: true, Errors: [] });
    const login = await send(demo.url, 'POST', '/api/token', {
      ...appKey(),
      Username: 'grace',
      Password: 'grace-demo-1',
    });
    expect(login.status).toBe(200);
    expect(forwarded().map((sent) => `${sent.method} ${sent.path} → ${sent.outcome}`)).toEqual([
      'GET /api/v1.0/users/password/secret-question → 200',
      'POST /api/v1.0/users/password/reset → 200',
      'POST /api/v1.0/users/identifiers/reset/code → 200',
      'PUT /api/v1.0/users/passwords/reset/ → 200',
      'POST /api/token → 200',
    ]);
  });

  it('forwards the PIN set-up: security images and pincode/change with the bearer token', async () => {
    const login = await send(demo.url, 'POST', '/api/token', {
      ...appKey(),
      Username: 'frank',
      Password: 'frank-password',
    });
    expect(login.status).toBe(202);
    const { Token, ConfirmationToken } = JSON.parse(login.body);
    const bearer = { Authorization: `Bearer ${Token}` };
    const images = await send(demo.url, 'GET', '/api/v1.0/assets/security-images', {
      ...appKey(),
      ...bearer,
    });
    expect(JSON.parse(images.body).Model).toHaveLength(6);
    const [headers, body] = json({
      Token: ConfirmationToken,
      Pin: 3141,
      ImageName: 'apple.png',
      PersonalPhrase: 'Demo phrase',
    });
    const change = await send(
      demo.url,
      'POST',
      '/api/v1.0/users/pincode/change',
      { ...headers, ...bearer },
      body,
    );
    expect(JSON.parse(change.body)).toEqual({ Model: null, Errors: [], ErrorsCode: [], IsSucceed: true });
    const next = await send(demo.url, 'POST', '/api/token', {
      ...appKey(),
      Username: 'frank',
      Password: 'frank-password',
    });
    expect(JSON.parse(next.body)).toMatchObject({ Step: 'SecutityPin', PersonalPhrase: 'Demo phrase' });
  });

  it('shows the mailbox of one user, newest last, and nothing of the others', async () => {
    await send(demo.url, 'POST', '/api/token', { ...appKey(), Username: 'ivy', Password: 'ivy-password' });
    await send(demo.url, 'POST', '/api/token', { ...appKey(), Username: 'ivy', Password: 'ivy-password' });
    const mails = await mailbox('ivy');
    expect(mails.length).toBeGreaterThanOrEqual(2);
    expect(mails.every((mail) => mail.kind === 'verificationCode' && /^\d{6}$/.test(mail.code))).toBe(true);
    expect(mails.at(-1)?.code).toBe(demo.etna.lastMail('ivy')?.code);
    expect(mails.map((mail) => mail.at)).toEqual([...mails.map((mail) => mail.at)].sort((a, b) => a - b));
    expect(await mailbox('nobody-here')).toEqual([]);
    expect((await send(demo.url, 'GET', '/demo/mailbox')).status).toBe(400);
    expect((await send(demo.url, 'POST', '/demo/mailbox?user=ivy')).status).toBe(405);
    expect(forwarded().filter((sent) => sent.path.includes('mailbox'))).toEqual([]);
  });

  it("plays the page's X-Demo-Fault on a journey route, and forwards no near-miss of a journey path", async () => {
    const faulted = await send(demo.url, 'GET', '/api/v1.0/users/password/secret-question?username=grace', {
      ...appKey(),
      'X-Demo-Fault': 'serverError',
    });
    expect(faulted.status).toBe(500);
    const next = await send(
      demo.url,
      'GET',
      '/api/v1.0/users/password/secret-question?username=grace',
      appKey(),
    );
    expect(next.status).toBe(200);
    const noSlash = await send(demo.url, 'PUT', '/api/v1.0/users/passwords/reset', ...json({ Token: 'x' }));
    expect(noSlash.status).toBe(404);
    expect(forwarded().map((sent) => `${sent.method} ${sent.path} → ${sent.outcome}`)).toEqual([
      'GET /api/v1.0/users/password/secret-question → 500',
      'GET /api/v1.0/users/password/secret-question → 200',
    ]);
  });
});

describe('the demo server: demo users as the README lists them', () => {
  const erinChangesHerPassword = async (target: DemoServer) => {
    const login = await send(target.url, 'POST', '/api/token', {
      Username: 'erin',
      Password: 'erin-password',
      'Et-App-Key': target.etna.appKey,
    });
    const { ConfirmationToken } = JSON.parse(login.body) as { ConfirmationToken: string };
    const changed = await send(
      target.url,
      'PUT',
      '/api/v1.0/users/passwords/reset/',
      { 'Et-App-Key': target.etna.appKey, 'Content-Type': 'application/json' },
      JSON.stringify({
        Token: ConfirmationToken,
        Password: 'erin-new-1',
        PasswordConfirmation: 'erin-new-1',
      }),
    );
    expect(JSON.parse(changed.body)).toMatchObject({ IsSucceed: true });
  };
  const reasonFor = async (target: DemoServer, username: string, password: string) => {
    const answer = await send(target.url, 'POST', '/api/token', {
      Username: username,
      Password: password,
      'Et-App-Key': target.etna.appKey,
    });
    return (JSON.parse(answer.body) as { Reason?: string; State: string }).Reason ?? answer.status;
  };

  it('begins each start with the table it lists, whatever a visitor changed in another', async () => {
    await erinChangesHerPassword(demo);
    expect(await reasonFor(demo, 'erin', 'erin-password')).toBe('Invalid credentials');
    const next = await startDemoServer();
    try {
      expect(await reasonFor(next, 'erin', 'erin-password')).toBe(
        'Your Password has expired and must be changed',
      );
    } finally {
      await next.close();
      // This one is the shared server's: put it back for the tests after.
      demo.etna.resetUsers();
    }
  });

  it('puts the users back on POST /demo/reset-users, and on nothing else', async () => {
    await erinChangesHerPassword(demo);
    expect(await reasonFor(demo, 'erin', 'erin-new-1')).toBe(200);
    expect((await send(demo.url, 'GET', '/demo/reset-users')).status).toBe(404);
    expect(await reasonFor(demo, 'erin', 'erin-new-1')).toBe(200);
    const reset = await send(demo.url, 'POST', '/demo/reset-users');
    expect(reset.status).toBe(204);
    expect(await reasonFor(demo, 'erin', 'erin-new-1')).toBe('Invalid credentials');
    expect(await reasonFor(demo, 'erin', 'erin-password')).toBe(
      'Your Password has expired and must be changed',
    );
    expect(demo.etna.users.find((user) => user.username === 'erin')).toMatchObject({
      password: 'erin-password',
      passwordExpired: true,
    });
  });
});
