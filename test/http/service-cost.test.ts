// What the /token and /logout services cost per request, as structure rather than time (docs/performance.md):
// one fetch call, one timer, one listener on the caller's signal, all let go at the end, and
// the guarantees the cheaper deadline must keep when fetch or its body ignores the abort.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Secret } from '../../src/contract/secret.js';
import type { TokenRequest } from '../../src/contract/token-request.js';
import { createLogout } from '../../src/services/logout.js';
import { createRequestToken } from '../../src/services/request-token.js';
import type { ServiceConfig } from '../../src/services/service-config.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A request's headers as a plain object, names lower-cased. */
function headersOf(headers: Headers): Record<string, string> {
  const plain: Record<string, string> = {};
  headers.forEach((value, name) => {
    plain[name] = value;
  });
  return plain;
}

const TOKEN_URL = 'https://cost.example/api/token';

const config = (fetch: typeof globalThis.fetch, timeout = 5_000): ServiceConfig => ({
  tokenUrl: TOKEN_URL,
  apiRoot: 'https://cost.example/api/',
  appKey: 'cost-key',
  timeout,
  fetch,
});

const request: TokenRequest = { username: 'alice', password: new Secret('alice-password') };

const answer = (status = 200, body: unknown = { State: 'Succeeded', Token: 'session-token' }) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** An answer whose body sends `prefix`, then nothing; its stream ignores the abort and cancel() never settles. */
const stuckAnswer = (onCancel: () => void, onStuck: () => void = () => {}) =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"State":'));
      },
      pull: () => {
        onStuck();
        return new Promise<void>(() => {});
      },
      cancel: () => {
        onCancel();
        return new Promise<void>(() => {});
      },
    }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );

/** A fetch that never answers and ignores its signal. */
const deafFetch: typeof fetch = () => new Promise<Response>(() => {});

describe('the /token service, per request', () => {
  it('calls fetch once: a POST of its headers to the URL, redirect manual, with its own signal', async () => {
    const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => answer());
    const answered = await createRequestToken(config(fetch))(request);

    expect(answered.state).toBe('succeeded');
    expect(fetch).toHaveBeenCalledTimes(1);
    const [input, init] = fetch.mock.calls[0] ?? [];
    const sent = new Request(input as RequestInfo, init);
    expect(sent.url).toBe(TOKEN_URL);
    expect(sent.method).toBe('POST');
    expect(sent.redirect).toBe('manual');
    expect(init?.redirect).toBe('manual');
    expect(headersOf(sent.headers)).toMatchObject({
      accept: 'application/json',
      'et-app-key': 'cost-key',
      username: 'alice',
      password: 'alice-password',
    });
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    expect(init?.signal?.aborted).toBe(false);
  });

  it('starts one timer and one listener on the caller’s signal, and lets go of both once answered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const caller = new AbortController().signal;
    const add = vi.spyOn(caller, 'addEventListener');
    const remove = vi.spyOn(caller, 'removeEventListener');
    let timersDuringRequest = -1;
    const fetch: typeof globalThis.fetch = async () => {
      timersDuringRequest = vi.getTimerCount();
      return answer();
    };

    await createRequestToken(config(fetch))(request, caller);

    expect(timersDuringRequest).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(add).toHaveBeenCalledTimes(1);
    expect(remove).toHaveBeenCalledWith('abort', add.mock.calls[0]?.[1]);
  });

  it('lets go of its timer and listener after a timeout and after the caller aborts, too', async () => {
    for (const ending of ['timeout', 'abort'] as const) {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const controller = new AbortController();
      const remove = vi.spyOn(controller.signal, 'removeEventListener');
      const pending = createRequestToken(config(deafFetch, 1_000))(request, controller.signal).catch(
        (caught: unknown) => caught,
      );
      if (ending === 'abort') controller.abort();
      else await vi.advanceTimersByTimeAsync(1_000);

      expect(await pending, ending).toMatchObject({ kind: ending === 'abort' ? 'network' : 'timeout' });
      expect(vi.getTimerCount(), ending).toBe(0);
      expect(remove, ending).toHaveBeenCalledWith('abort', expect.any(Function));
      vi.useRealTimers();
    }
  });

  it('calls no fetch at all for a signal already aborted, even one that would ignore the signal', async () => {
    const fetch = vi.fn(deafFetch);
    const controller = new AbortController();
    controller.abort();

    const error = await createRequestToken(config(fetch))(request, controller.signal).catch(
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({ kind: 'network', message: 'the request was aborted' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('settles at once when the caller aborts during a body that ignores the abort, without awaiting cancel()', async () => {
    let cancelled = false;
    let stuck = false;
    const controller = new AbortController();
    const fetch: typeof globalThis.fetch = async () =>
      stuckAnswer(
        () => {
          cancelled = true;
        },
        () => {
          stuck = true;
        },
      );
    const pending = createRequestToken(config(fetch, 60_000))(request, controller.signal).catch(
      (caught: unknown) => caught,
    );
    // Abort once the reader waits on the stuck body, not after a guessed delay.
    await vi.waitFor(() => expect(stuck).toBe(true));
    controller.abort();

    expect(await pending).toMatchObject({ kind: 'network', message: 'the request was aborted' });
    expect(cancelled).toBe(true);
  });

  it('times out a fetch that ignores the abort, and aborts the signal it was given', async () => {
    let given: AbortSignal | undefined;
    const fetch: typeof globalThis.fetch = (_input, init) => {
      given = init?.signal ?? undefined;
      return deafFetch(TOKEN_URL);
    };

    const error = await createRequestToken(config(fetch, 100))(request).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ kind: 'timeout', message: 'no answer within 100 ms' });
    expect(given?.aborted).toBe(true);
  });
});

describe('the /logout service, per request', () => {
  it('calls fetch once, redirect manual, and times out a body that ignores the abort', async () => {
    const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => stuckAnswer(() => {}));

    const error = await createLogout(config(fetch, 100))(new Secret('tok')).catch(
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({ kind: 'timeout' });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [input, init] = fetch.mock.calls[0] ?? [];
    const sent = new Request(input as RequestInfo, init);
    expect(sent.url).toBe('https://cost.example/api/logout');
    expect(sent.method).toBe('POST');
    expect(init?.redirect).toBe('manual');
    expect(headersOf(sent.headers)).toMatchObject({
      accept: 'application/json',
      'et-app-key': 'cost-key',
      authorization: 'Bearer tok',
    });
  });

  it('sends nothing for a signal already aborted', async () => {
    const fetch = vi.fn(deafFetch);
    const controller = new AbortController();
    controller.abort();

    await expect(createLogout(config(fetch))(new Secret('tok'), controller.signal)).rejects.toMatchObject({
      kind: 'network',
    });
    expect(fetch).not.toHaveBeenCalled();
  });
});
