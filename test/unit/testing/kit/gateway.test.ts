// The kit's gateway in front of a path's fake server: it holds the login's requests until released, lets the API's
// through, answers CORS preflights itself and closes every connection after its answer.
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../../../src/testing/index.js';
import { type Gateway, isLoginRequest, startGateway } from '../../../../src/testing/kit/gateway.js';

let server: FakeEtnaServer;
let gateway: Gateway;
beforeEach(async () => {
  server = await startFakeEtnaServer();
  gateway = await startGateway(server);
});
afterEach(async () => {
  await gateway.close();
  await server.close();
});

/** A request to the gateway: its status and headers, or `aborted` when the caller gives up after `abortAfterMs`. */
function send(method: string, path: string, headers: Record<string, string> = {}, abortAfterMs?: number) {
  return new Promise<{ status: number; headers: Record<string, unknown> } | 'aborted'>((resolve, reject) => {
    const sent = request(new URL(path, gateway.url), { method, headers }, (answer) => {
      answer.resume();
      answer.once('end', () => resolve({ status: answer.statusCode ?? 0, headers: answer.headers }));
    });
    sent.once('error', (error) =>
      sent.destroyed && abortAfterMs !== undefined ? resolve('aborted') : reject(error),
    );
    if (abortAfterMs !== undefined) setTimeout(() => sent.destroy(), abortAfterMs);
    sent.end();
  });
}

describe('the gateway of a path', () => {
  it('holds a request of the login until the kit releases it, then passes its answer on, closing the connection', async () => {
    const answer = send('POST', 'token', {
      'et-app-key': server.appKey,
      username: 'alice',
      password: 'alice-password',
    });
    const held = await gateway.nextHeld(2_000);
    expect(`${held.method} ${held.route}`).toBe('POST token');
    expect(server.requests).toHaveLength(0);
    held.release();
    expect(await answer).toMatchObject({
      status: 200,
      headers: { connection: 'close', 'access-control-allow-origin': '*' },
    });
    expect(server.requests.map((recorded) => recorded.path)).toEqual(['/api/token']);
  });

  it('lets the API through, answers preflights itself, and names what it holds in the query', async () => {
    expect(await send('GET', 'v1.0/users/@me/info', { 'et-app-key': server.appKey })).toMatchObject({
      status: 401,
    });
    const preflight = await send('OPTIONS', 'token', {
      'access-control-request-headers': 'username, password',
    });
    expect(preflight).toMatchObject({
      status: 204,
      headers: { 'access-control-allow-headers': 'username, password' },
    });
    expect(server.requests.map((recorded) => recorded.method)).toEqual(['GET']);
    // Held to the end of the test: the gateway's close hangs it up, which is no failure of this test.
    const question = send('GET', 'v1.0/users/password/secret-question?username=alice').catch(() => 'hung up');
    const held = await gateway.nextHeld(2_000);
    expect(held.query.get('username')).toBe('alice');
    expect(gateway.waiting).toBe(0);
    await gateway.close();
    expect(await question).toBe('hung up');
  });

  it('sends nothing on for a request its caller gave up while it was held', async () => {
    const answer = send('POST', 'logout', {}, 50);
    const held = await gateway.nextHeld(2_000);
    expect(await answer).toBe('aborted');
    await expect.poll(() => held.abandoned).toBe(true);
    held.release();
    expect(server.requests).toHaveLength(0);
  });

  it('says when no request came', async () => {
    await expect(gateway.nextHeld(30)).rejects.toThrow(
      'no request of the login reached the server within 30 ms',
    );
  });

  it('tells the login apart from the API by route, as the fake server records them', () => {
    expect(isLoginRequest('POST', '/api/token', server.url)).toBe(true);
    expect(isLoginRequest('PUT', '/api/v1.0/users/passwords/reset/', server.url)).toBe(true);
    expect(isLoginRequest('GET', '/api/v1.0/users/@me/info', server.url)).toBe(false);
    expect(isLoginRequest('GET', '/api/token', server.url)).toBe(false);
  });
});
