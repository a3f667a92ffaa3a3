import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_APP_KEY, type FakeEtnaUser } from '../../../src/testing/demo-users.js';
import {
  type FakeEtnaServer,
  type FakeEtnaServerOptions,
  type FakeFault,
  type RecordedRequest,
  startFakeEtnaServer,
} from '../../../src/testing/fake/index.js';

interface TokenBody {
  State?: string;
  Step?: string;
  Reason?: string;
  Token?: string;
  PersonalPhrase?: null;
  error?: string;
}

interface TokenReply {
  status: number;
  body: TokenBody;
  headers: Headers;
}

let server: FakeEtnaServer;
const extraServers: FakeEtnaServer[] = [];

beforeEach(async () => {
  server = await startFakeEtnaServer();
});

afterEach(async () => {
  await Promise.all([server.close(), ...extraServers.splice(0).map((extra) => extra.close())]);
});

/** A server with options of its own, closed after the test. */
async function startExtra(options: FakeEtnaServerOptions): Promise<FakeEtnaServer> {
  const extra = await startFakeEtnaServer(options);
  extraServers.push(extra);
  return extra;
}

function tokenFetch(headers: Record<string, string>, target = server, init: RequestInit = {}) {
  return fetch(`${target.url}token`, {
    method: 'POST',
    headers: { 'Et-App-Key': target.appKey, Accept: 'application/json', ...headers },
    ...init,
  });
}

async function postToken(headers: Record<string, string>, target = server): Promise<TokenReply> {
  const response = await tokenFetch(headers, target);
  return { status: response.status, body: (await response.json()) as TokenBody, headers: response.headers };
}

const credentials = (username: string) => ({ Username: username, Password: `${username}-password` });

const bearer = (reply: TokenReply) => `Bearer ${reply.body.Token ?? 'missing-token'}`;

describe('protocol', () => {
  it('issues a session token to a single-factor user at once', async () => {
    const reply = await postToken(credentials('alice'));

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.body).toEqual({ State: 'Succeeded', Token: expect.any(String), PersonalPhrase: null });
    const token = reply.body.Token ?? '';
    expect(token).toMatch(/^[A-Za-z0-9+/]+=+$/);
    expect(server.sessionOwner(token)).toBe('alice');
    expect(server.sessionOwner('not-a-token')).toBeUndefined();
  });

  it('asks for the PIN with an interim token and accepts it back as a bearer without credentials', async () => {
    const first = await postToken(credentials('bob'));
    expect(first.status).toBe(202);
    expect(first.body).toEqual({
      State: 'Expecting',
      Step: 'SecutityPin',
      Reason: 'Expecting pin code',
      Token: expect.any(String),
      PersonalPhrase: 'Blue heron at dawn',
      Image: expect.stringMatching(/^iVBORw0KGgo/),
    });
    const interim = first.body.Token ?? '';
    expect(server.sessionOwner(interim)).toBeUndefined();

    const second = await postToken({ Authorization: bearer(first), PinCode: '1234' });
    expect(second.status).toBe(200);
    expect(second.body.State).toBe('Succeeded');
    expect(second.body.Token).not.toBe(interim);
    expect(server.sessionOwner(second.body.Token ?? '')).toBe('bob');
    expect(server.requests[1]?.header('Authorization')).toBe(`Bearer ${interim}`);
  });

  it('completes two-factor login with the verification code and repeated credentials', async () => {
    const first = await postToken(credentials('carol'));
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      State: 'Expecting',
      Step: 'VerificationCode',
      Reason: 'Expecting confirmation code',
    });

    const second = await postToken({
      ...credentials('carol'),
      Authorization: bearer(first),
      VerificationCode: '123456',
    });
    expect(second.status).toBe(200);
    expect(server.sessionOwner(second.body.Token ?? '')).toBe('carol');
  });

  it('answers 401 Invalid verification code for a wrong code', async () => {
    const first = await postToken(credentials('carol'));
    const second = await postToken({
      ...credentials('carol'),
      Authorization: bearer(first),
      VerificationCode: '000000',
    });
    expect(second.status).toBe(401);
    expect(second.body).toEqual({
      State: 'Failed',
      Step: 'VerificationCode',
      Reason: 'Invalid verification code',
    });
  });

  it('asks dave for the code first and then the PIN, each with a fresh interim token', async () => {
    const first = await postToken(credentials('dave'));
    expect(first.body.Step).toBe('VerificationCode');

    const second = await postToken({
      ...credentials('dave'),
      Authorization: bearer(first),
      VerificationCode: '654321',
    });
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({
      State: 'Expecting',
      Step: 'SecutityPin',
      Reason: 'Expecting pin code',
    });
    expect(second.body.Token).not.toBe(first.body.Token);

    const third = await postToken({ ...credentials('dave'), Authorization: bearer(second), PinCode: '4321' });
    expect(third.status).toBe(200);
    expect(server.sessionOwner(third.body.Token ?? '')).toBe('dave');
  });

  it('follows a user-defined step order', async () => {
    const users: FakeEtnaUser[] = [
      {
        username: 'pat',
        password: 'pw',
        pin: '11',
        verificationCode: '22',
        stepOrder: ['securityPin', 'verificationCode'],
      },
    ];
    const custom = await startExtra({ users });
    const first = await postToken({ Username: 'pat', Password: 'pw' }, custom);
    expect(first.body.Step).toBe('SecutityPin');
    const second = await postToken({ Authorization: bearer(first), PinCode: '11' }, custom);
    expect(second.body.Step).toBe('VerificationCode');
    const third = await postToken({ Authorization: bearer(second), VerificationCode: '22' }, custom);
    expect(third.status).toBe(200);
  });

  it('answers 401 Invalid credentials for a wrong password or an unknown user', async () => {
    const expected = { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' };
    const wrongPassword = await postToken({ Username: 'alice', Password: 'nope' });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toEqual(expected);
    const unknownUser = await postToken({ Username: 'mallory', Password: 'alice-password' });
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.body).toEqual(expected);
  });

  it('answers 403 for a wrong or missing app key, before looking at credentials', async () => {
    const wrong = await postToken({ ...credentials('alice'), 'Et-App-Key': 'wrong-key' });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ error: 'Application key is not defined or does not exist' });

    const response = await fetch(`${server.url}token`, { method: 'POST', headers: credentials('alice') });
    expect(response.status).toBe(403);
    expect(server.appKey).toBe(DEMO_APP_KEY);
  });

  it('answers 401 for a wrong app key when badAppKeyStatus is 401', async () => {
    const custom = await startExtra({ badAppKeyStatus: 401, appKey: 'other-key' });
    const wrong = await postToken({ ...credentials('alice'), 'Et-App-Key': DEMO_APP_KEY }, custom);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'Application key is not defined or does not exist' });
    const right = await postToken(credentials('alice'), custom);
    expect(right.status).toBe(200);
  });

  it('answers Corrupted ticket for an unknown, reused or foreign interim token', async () => {
    const corrupted = { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Corrupted ticket' };
    const unknown = await postToken({
      ...credentials('bob'),
      Authorization: 'Bearer bogus',
      PinCode: '1234',
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(corrupted);

    const first = await postToken(credentials('bob'));
    const used = await postToken({ Authorization: bearer(first), PinCode: '1234' });
    expect(used.status).toBe(200);
    const reused = await postToken({ Authorization: bearer(first), PinCode: '1234' });
    expect(reused.status).toBe(401);
    expect(reused.body).toEqual(corrupted);

    const again = await postToken(credentials('bob'));
    const foreign = await postToken({
      ...credentials('alice'),
      Authorization: bearer(again),
      PinCode: '1234',
    });
    expect(foreign.status).toBe(401);
    expect(foreign.body).toEqual(corrupted);
  });

  it('repeats the pending step with a fresh token when its answer header is missing', async () => {
    const first = await postToken(credentials('bob'));
    const second = await postToken({ Authorization: bearer(first) });
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ Step: 'SecutityPin', Reason: 'Expecting pin code' });
    expect(second.body.Token).not.toBe(first.body.Token);
  });

  it('accepts the right PIN after two wrong ones, each answered 202 Invalid pin', async () => {
    let previous = await postToken(credentials('bob'));
    for (const attempt of [1, 2]) {
      const wrong = await postToken({ Authorization: bearer(previous), PinCode: '0000' });
      expect(wrong.status, `attempt ${attempt}`).toBe(202);
      expect(wrong.body).toMatchObject({ State: 'Expecting', Step: 'SecutityPin', Reason: 'Invalid pin' });
      expect(wrong.body.Token).not.toBe(previous.body.Token);
      previous = wrong;
    }
    const right = await postToken({ Authorization: bearer(previous), PinCode: '1234' });
    expect(right.status).toBe(200);
    expect(server.sessionOwner(right.body.Token ?? '')).toBe('bob');
  });

  it('ends the attempt with 401 Invalid pin at the maxPinAttempts-th wrong PIN', async () => {
    const custom = await startExtra({ maxPinAttempts: 2 });
    const first = await postToken(credentials('bob'), custom);
    const wrong = await postToken({ Authorization: bearer(first), PinCode: '0000' }, custom);
    expect(wrong.status).toBe(202);
    const last = await postToken({ Authorization: bearer(wrong), PinCode: '0000' }, custom);
    expect(last.status).toBe(401);
    expect(last.body).toEqual({ State: 'Failed', Step: 'SecutityPin', Reason: 'Invalid pin' });
  });

  it('ends the attempt at the third wrong PIN by default', async () => {
    let previous = await postToken(credentials('bob'));
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      previous = await postToken({ Authorization: bearer(previous), PinCode: '0000' });
      statuses.push(previous.status);
    }
    expect(statuses).toEqual([202, 202, 401]);
  });

  it('names the PIN step SecurityPin when pinStepName says so', async () => {
    const custom = await startExtra({ pinStepName: 'SecurityPin' });
    const first = await postToken(credentials('bob'), custom);
    expect(first.body.Step).toBe('SecurityPin');
    const notInit = await postToken(credentials('frank'), custom);
    expect(notInit.body.Step).toBe('SecurityPin');
  });

  it('answers 202 password expired with a confirmation token for erin', async () => {
    const reply = await postToken(credentials('erin'));
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({
      State: 'Expecting',
      Step: 'BaseAuthentication',
      Reason: 'Your Password has expired and must be changed',
      ConfirmationToken: expect.stringMatching(/^[A-Za-z0-9+/]+=+$/),
    });
  });

  it('answers 202 PIN code is not init with the set-up tokens for frank', async () => {
    const reply = await postToken(credentials('frank'));
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({
      State: 'Expecting',
      Step: 'SecutityPin',
      Reason: 'PIN code is not init',
      Token: expect.any(String),
      ConfirmationToken: expect.any(String),
    });
  });

  it('answers 400 when /token carries a body', async () => {
    const response = await tokenFetch(credentials('alice'), server, { body: 'username=alice' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Body not allowed' });
  });

  it('answers 404 outside the base path and 405 for other methods on /token, logging both', async () => {
    const notFound = await fetch(new URL('/elsewhere', server.url), { method: 'POST' });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ error: 'Not found' });
    const wrongMethod = await fetch(`${server.url}token`);
    expect(wrongMethod.status).toBe(405);
    expect(server.requests.map(({ method, path, outcome }) => ({ method, path, outcome }))).toEqual([
      { method: 'POST', path: '/elsewhere', outcome: 404 },
      { method: 'GET', path: '/api/token', outcome: 405 },
    ]);
  });

  it('answers CORS preflights and adds allow-origin when cors is true', async () => {
    const custom = await startExtra({ cors: true });
    const preflight = await fetch(`${custom.url}token`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'Et-App-Key, Username, Password, Authorization, PinCode, VerificationCode, Accept, Content-Type',
    );
    const login = await postToken(credentials('alice'), custom);
    expect(login.headers.get('access-control-allow-origin')).toBe('*');
    expect(custom.requests.map((request) => request.outcome)).toEqual([204, 200]);

    const noCors = await fetch(`${server.url}token`, { method: 'OPTIONS' });
    expect(noCors.status).toBe(405);
    expect(noCors.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('resolves waitForRequests once the count has arrived', async () => {
    const arrived = server.waitForRequests(2);
    await postToken(credentials('alice'));
    await postToken(credentials('alice'));
    await arrived;
    await server.waitForRequests(1);
    expect(server.requests).toHaveLength(2);
  });
});

describe('faults', () => {
  it('delays the answer by at least ms and then answers by the protocol', async () => {
    server.inject({ kind: 'delay', ms: 150 });
    const started = performance.now();
    const reply = await postToken(credentials('alice'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(reply.status).toBe(200);
    expect(server.sessionOwner(reply.body.Token ?? '')).toBe('alice');
  });

  it('hangs until the client aborts, and records the abort', async () => {
    server.inject({ kind: 'hang' });
    const controller = new AbortController();
    const pending = tokenFetch(credentials('alice'), server, { signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    const ended = await server.waitForEnd(0);
    expect(ended.outcome).toBe('hang');
    expect(ended.aborted).toBe(true);
  });

  it('holds a request until released, then plays the fault given, or the protocol for undefined', async () => {
    const releases: ((fault: FakeFault | undefined) => void)[] = [];
    const held: RecordedRequest[] = [];
    const hold: FakeFault = {
      kind: 'hold',
      until: (request) => {
        held.push(request);
        return new Promise((resolve) => releases.push(resolve));
      },
    };
    server.inject(hold, hold);
    let answered = false;
    const first = postToken(credentials('alice')).finally(() => {
      answered = true;
    });
    await server.waitForRequests(1);
    // Held: the request has arrived, and a later request is answered while it still waits for its release.
    expect(
      (await fetch(`${server.url}v1.0/users/@me/info`, { headers: { 'Et-App-Key': server.appKey } })).status,
    ).toBe(401);
    expect(answered).toBe(false);
    expect(held.map((request) => request.path)).toEqual(['/api/token']);
    expect(server.requests[0]?.outcome).toBe(0);
    releases[0]?.({ kind: 'respond', status: 401, body: { State: 'Failed', Reason: 'released' } });
    expect(await first).toMatchObject({ status: 401, body: { Reason: 'released' } });

    const second = postToken(credentials('alice'));
    // The held one, the user info call, and this one.
    await server.waitForRequests(3);
    releases[1]?.(undefined);
    const reply = await second;
    expect(reply.status).toBe(200);
    expect(server.sessionOwner(reply.body.Token ?? '')).toBe('alice');
  });

  it('records a held request the client aborts as aborted, and answers nothing when it is released late', async () => {
    let release: (fault: FakeFault | undefined) => void = () => {};
    server.inject({ kind: 'hold', until: () => new Promise((resolve) => (release = resolve)) });
    const controller = new AbortController();
    const pending = tokenFetch(credentials('alice'), server, { signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    const ended = await server.waitForEnd(0);
    expect(ended.aborted).toBe(true);
    release({ kind: 'respond', status: 200, body: { State: 'Succeeded', Token: 'late' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended.outcome).toBe(0);
  });

  it('answers 500 with an HTML body for serverError', async () => {
    server.inject({ kind: 'serverError' });
    const response = await tokenFetch(credentials('alice'));
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toMatch(/^<html>.*<\/html>$/);
  });

  it('answers 429 with Retry-After for rateLimited, then the protocol once the queue is empty', async () => {
    server.inject({ kind: 'rateLimited' }, { kind: 'rateLimited', retryAfter: '30' });
    const first = await tokenFetch(credentials('alice'));
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(first.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await first.text()).toBe('Too Many Requests');
    const second = await tokenFetch(credentials('alice'));
    expect(second.headers.get('retry-after')).toBe('30');
    const third = await tokenFetch(credentials('alice'));
    expect(third.status).toBe(200);
  });

  it('sends truncated JSON for malformedJson', async () => {
    server.inject({ kind: 'malformedJson' }, { kind: 'malformedJson', status: 202 });
    const first = await tokenFetch(credentials('alice'));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    await expect(first.json()).rejects.toThrow(SyntaxError);
    const second = await tokenFetch(credentials('alice'));
    expect(second.status).toBe(202);
    expect(await second.text()).toBe('{"State":"Succ');
  });

  it('drops the connection so fetch rejects', async () => {
    server.inject({ kind: 'drop' });
    await expect(tokenFetch(credentials('alice'))).rejects.toThrow(TypeError);
    const ended = await server.waitForEnd(0);
    expect(ended.outcome).toBe('drop');
    expect(ended.aborted).toBe(false);
  });

  it('sends an object body as JSON and a string body verbatim for respond', async () => {
    server.inject(
      { kind: 'respond', status: 202, body: { State: 'Expecting', Step: 'Image', Reason: 'Pick a picture' } },
      {
        kind: 'respond',
        status: 200,
        body: 'plain words',
        headers: { 'Content-Type': 'text/json', 'X-Extra': '1' },
      },
    );
    const first = await tokenFetch(credentials('alice'));
    expect(first.status).toBe(202);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await first.json()).toEqual({ State: 'Expecting', Step: 'Image', Reason: 'Pick a picture' });
    const second = await tokenFetch(credentials('alice'));
    expect(second.headers.get('content-type')).toBe('text/json');
    expect(second.headers.get('x-extra')).toBe('1');
    expect(await second.text()).toBe('plain words');
  });

  it('closes while a request hangs, ending it without calling it a client abort', async () => {
    server.inject({ kind: 'hang' });
    const pending = tokenFetch(credentials('alice')).then(
      () => 'answered',
      () => 'rejected',
    );
    await server.waitForRequests(1);
    await server.close();
    expect(await pending).toBe('rejected');
    const ended = await server.waitForEnd(0);
    expect(ended.outcome).toBe('hang');
    expect(ended.aborted).toBe(false);
  });
});

describe('request log', () => {
  it('redacts secret headers in JSON and inspect while header() returns the real values', async () => {
    const users: FakeEtnaUser[] = [
      {
        username: 'canary',
        password: 'CANARY-PASSWORD-xyz',
        verificationCode: 'CANARY-CODE-xyz',
        pin: 'CANARY-PIN-xyz',
      },
    ];
    const custom = await startExtra({ users });
    const login = { Username: 'canary', Password: 'CANARY-PASSWORD-xyz' };
    const first = await postToken(login, custom);
    const second = await postToken(
      { ...login, Authorization: bearer(first), VerificationCode: 'CANARY-CODE-xyz' },
      custom,
    );
    const third = await postToken({ Authorization: bearer(second), PinCode: 'CANARY-PIN-xyz' }, custom);
    expect(third.status).toBe(200);

    const tokens = [first, second, third].map((reply) => reply.body.Token ?? 'missing');
    for (const printed of [
      JSON.stringify(custom.requests),
      inspect(custom.requests, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    ]) {
      expect(printed).not.toContain('CANARY');
      for (const token of tokens) expect(printed).not.toContain(token);
      expect(printed).toContain('[redacted]');
      expect(printed).toContain('canary');
    }

    const [, secondRequest, thirdRequest] = custom.requests;
    expect(secondRequest?.headers).toMatchObject({
      username: 'canary',
      password: '[redacted]',
      authorization: '[redacted]',
      verificationcode: '[redacted]',
      'et-app-key': DEMO_APP_KEY,
    });
    expect(thirdRequest?.headers.pincode).toBe('[redacted]');
    expect(secondRequest?.header('Password')).toBe('CANARY-PASSWORD-xyz');
    expect(secondRequest?.header('VERIFICATIONCODE')).toBe('CANARY-CODE-xyz');
    expect(secondRequest?.header('authorization')).toBe(`Bearer ${tokens[0]}`);
    expect(thirdRequest?.header('PinCode')).toBe('CANARY-PIN-xyz');
    expect(thirdRequest?.header('Username')).toBeUndefined();
  });
});

describe('after the login: the protected API, logout and revocation', () => {
  const info = (authorization: string | undefined, appKey = server.appKey) =>
    fetch(`${server.url}v1.0/users/@me/info`, {
      headers: { 'Et-App-Key': appKey, ...(authorization ? { Authorization: authorization } : {}) },
    });
  const logout = (authorization: string | undefined) =>
    fetch(`${server.url}logout`, {
      method: 'POST',
      headers: { 'Et-App-Key': server.appKey, ...(authorization ? { Authorization: authorization } : {}) },
    });

  it('answers the user info route only with a live session token and the app key', async () => {
    const alice = await postToken(credentials('alice'));
    const ok = await info(bearer(alice));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ Id: 1, Login: 'alice' });

    expect((await info(undefined)).status).toBe(401);
    expect((await info('Bearer not-a-session')).status).toBe(401);
    expect((await info(bearer(alice), 'wrong-key')).status).toBe(403);
    const unknownRoute = await fetch(`${server.url}v1.0/nowhere`, {
      headers: { 'Et-App-Key': server.appKey, Authorization: bearer(alice) },
    });
    expect(unknownRoute.status).toBe(404);
  });

  it('refuses interim tokens on the API: only a 200 answer issues a session', async () => {
    const bob = await postToken(credentials('bob'));
    expect(bob.status).toBe(202);
    expect((await info(bearer(bob))).status).toBe(401);
  });

  it('ends a session on POST /logout, and answers 401 to a token it does not know', async () => {
    const alice = await postToken(credentials('alice'));
    const token = alice.body.Token ?? '';
    expect(server.isSessionActive(token)).toBe(true);
    const first = await logout(bearer(alice));
    expect(first.status).toBe(200);
    expect(server.isSessionActive(token)).toBe(false);
    expect(server.sessionOwner(token)).toBe('alice');
    expect((await info(bearer(alice))).status).toBe(401);
    expect((await logout(bearer(alice))).status).toBe(401);
    expect(server.requests.map((request) => request.headers.authorization)).toContain('[redacted]');
  });

  it('plays injected faults on /logout without touching the /token queue', async () => {
    server.injectLogout({ kind: 'serverError' });
    const alice = await postToken(credentials('alice'));
    expect(alice.status).toBe(200);
    const failed = await logout(bearer(alice));
    expect(failed.status).toBe(500);
    expect(server.isSessionActive(alice.body.Token ?? '')).toBe(true);
  });

  it('drops queued faults on clearFaults, so the protocol answers again', async () => {
    server.inject({ kind: 'serverError' });
    server.injectLogout({ kind: 'serverError' });
    server.clearFaults();
    const alice = await postToken(credentials('alice'));
    expect(alice.status).toBe(200);
    expect((await logout(bearer(alice))).status).toBe(200);
  });

  it('revokes the sessions of one user, or all', async () => {
    const alice = await postToken(credentials('alice'));
    const carolStart = await postToken(credentials('carol'));
    const carol = await postToken({
      ...credentials('carol'),
      Authorization: bearer(carolStart),
      VerificationCode: '123456',
    });
    expect(carol.status).toBe(200);
    server.revokeSessions('alice');
    expect((await info(bearer(alice))).status).toBe(401);
    expect((await info(bearer(carol))).status).toBe(200);
    server.revokeSessions();
    expect((await info(bearer(carol))).status).toBe(401);
  });
});
