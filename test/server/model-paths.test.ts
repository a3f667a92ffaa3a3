import { randomUUID } from 'node:crypto';
// Every path generated from the machine's graph, run through the browser adapter over real HTTP: the chart runs
// in the backend (in this process, on XState's simulated clock), the fake ETNA server answers over loopback, and
// the adapter's snapshot must show what the model expects after each step. Another tab's login or logout is
// another process of the backend storing (or ending) this browser's session in the shared store.
import { HTTPError } from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import {
  createEtnaRemoteActor,
  createEtnaRemoteClient,
  type EtnaRemoteActor,
  type EtnaRemoteSnapshot,
} from '../../src/remote/index.js';
import { type EtnaBffStore, memorySessionStore, redisSessionStore } from '../../src/server/index.js';
import { BrowserRecords, keysOf, newBrowserId } from '../../src/server/session-records.js';
import {
  expectationOf,
  type FakeEtnaServer,
  type FakeFault,
  getEtnaAuthPaths,
  injectServerAnswer,
  MODEL_OTHER_TAB_EVENTS,
  MODEL_OTHER_USER,
  MODEL_SESSION_SETTINGS,
  MODEL_SESSION_TOKEN,
  MODEL_SESSION_WARNING_MS,
  MODEL_USER,
  type ModelExpectation,
  type ModelOtherTab,
  startFakeEtnaServer,
} from '../../src/testing/index.js';
import type { ModelSnapshot } from '../../src/testing/model/expectation.js';
import { startBackend, type TestBackend } from './backend.js';
import { type TestBrowser, testBrowser } from './browser-fetch.js';
import { untilSnapshot } from './waits.js';

const paths = getEtnaAuthPaths({ maxSteps: 2 });
const DAY = 86_400_000;

/** XState's simulated clock, noting when each pending timer fires (as test/model/model-paths.test.ts does). */
function trackedClock() {
  const simulated = new SimulatedClock();
  const pending = new Map<unknown, number>();
  return {
    setTimeout(fn: () => void, timeout: number) {
      const id: unknown = simulated.setTimeout(() => {
        pending.delete(id);
        fn();
      }, timeout);
      pending.set(id, simulated.now() + timeout);
      return id;
    },
    clearTimeout(id: unknown) {
      pending.delete(id);
      simulated.clearTimeout(id as ReturnType<typeof simulated.setTimeout>);
    },
    increment: (ms: number) => simulated.increment(ms),
    untilLastTimer(): number {
      if (pending.size === 0) throw new Error('no timer is set');
      return Math.max(...pending.values()) - simulated.now();
    },
  };
}

/** What the model expects, read from the adapter's snapshot: the page holds no token, the backend does. */
function expectationOfRemote(snapshot: EtnaRemoteSnapshot): ModelExpectation {
  return {
    ...expectationOf(snapshot as unknown as ModelSnapshot),
    hasToken: snapshot.matches('succeeded'),
  };
}

const reaches = (actor: EtnaRemoteActor, expected: ModelExpectation, where: string) =>
  untilSnapshot(
    actor,
    (snapshot) => JSON.stringify(expectationOfRemote(snapshot)) === JSON.stringify(expected),
    `${where}: expected ${JSON.stringify(expected)}`,
    10_000,
  );

/** A promise and what settles it. */
function openedLater(): { open: () => void; opened: Promise<void> } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** `etna`'s injections, each answer held until `opened` settles (then played as scripted). */
function heldUntil(etna: FakeEtnaServer, opened: Promise<void>) {
  const held = (faults: FakeFault[]) =>
    faults.map((fault): FakeFault => ({ kind: 'hold', until: () => opened.then(() => fault) }));
  return {
    inject: (...faults: FakeFault[]) => etna.inject(...held(faults)),
    injectLogout: (...faults: FakeFault[]) => etna.injectLogout(...held(faults)),
    injectAt: (route: Parameters<FakeEtnaServer['injectAt']>[0], ...faults: FakeFault[]) =>
      etna.injectAt(route, ...held(faults)),
  };
}

/** Resolves once the fake server has had `count` requests; rejects after 10 s, naming the step. */
async function requestsReach(etna: FakeEtnaServer, count: number, where: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${where}: ETNA had ${etna.requests.length} requests, not ${count}`)),
      10_000,
    );
  });
  try {
    await Promise.race([etna.waitForRequests(count), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A redis-server started by .ci/run for the suite, on loopback: the paths then keep their sessions in it. */
const SHARED_REDIS = process.env.ETNA_AUTH_TEST_REDIS_URL;

describe(`every generated path, through the browser adapter and the backend over loopback (sessions in ${SHARED_REDIS ? 'Redis' : 'memory'})`, () => {
  let etna: FakeEtnaServer;
  let store: EtnaBffStore;
  let backend: TestBackend;
  let browser: TestBrowser;
  let clock: ReturnType<typeof trackedClock>;
  let actor: EtnaRemoteActor | undefined;
  beforeEach(async () => {
    etna = await startFakeEtnaServer();
    // The Redis that .ci/run starts (several processes' store), when there is one; else one process's memory.
    store = SHARED_REDIS
      ? redisSessionStore({ url: SHARED_REDIS, keyPrefix: `model-${randomUUID()}:` })
      : memorySessionStore();
    clock = trackedClock();
    backend = await startBackend(etna, {
      store,
      clock,
      // The model's sessions last the platform's day.
      absoluteTimeout: DAY,
      // The timeout outcome waits this long; shorter, a busy machine's slow answer would time out too.
      etna: {
        baseUrl: etna.url,
        appKey: etna.appKey,
        timeout: 1_500,
        maxSteps: 2,
        ...MODEL_SESSION_SETTINGS,
      },
    });
    browser = testBrowser();
  });
  afterEach(async () => {
    actor?.stop();
    await backend.close();
    await store.close();
    await etna.close();
  });

  /** Another process of the backend stores (or ends) the session of this browser, as its other tab's login does. */
  async function otherProcess(action: ModelOtherTab) {
    const id = browser.cookies.get('__Host-etna-auth') as string;
    const records = new BrowserRecords(store);
    const keys = keysOf(id);
    const { expiresAt } = MODEL_OTHER_TAB_EVENTS.login as unknown as { expiresAt: number };
    const who = action === 'otherUser' ? MODEL_OTHER_USER : { ...MODEL_USER, token: MODEL_SESSION_TOKEN };
    await records.write(
      keys,
      action === 'logout'
        ? { t: 'ended' }
        : { t: 'session', token: who.token, expiresAt, username: who.username, loggedInAt: Date.now() },
      60_000,
    );
    await records.announce('another-process', keys.hash);
  }

  // The backend, not the browser, reads the stored session: a storage that answers later is not the browser's.
  it('leaves only the paths of a storage read later in the browser', () => {
    expect(paths.filter((path) => path.start === 'restoring').length).toBeGreaterThan(0);
  });

  it.each(
    paths.filter((path) => path.start !== 'restoring').map((path) => [path.description, path] as const),
  )('%s', { timeout: 60_000 }, async (_description, path) => {
    if (path.start === 'restored') {
      // The session a reload finds: stored under this browser's cookie.
      const id = newBrowserId();
      browser.cookies.set('__Host-etna-auth', id);
      const session = {
        token: MODEL_SESSION_TOKEN,
        expiresAt: Date.now() + 3_600_000,
        username: MODEL_USER.username,
        loggedInAt: Date.now(),
      };
      await new BrowserRecords(store).write(keysOf(id), { t: 'session', ...session }, 3_600_000);
    }
    actor = createEtnaRemoteActor({ url: backend.url, fetch: browser.fetch }).start();
    const remote = actor;
    const api = createEtnaRemoteClient(remote);
    await remote.ready;
    await reaches(remote, path.initial, 'the start');
    for (const [index, step] of path.steps.entries()) {
      const where = `step ${index + 1} of ${path.description}`;
      let gate: { open: () => void; opened: Promise<void> } | undefined;
      if (step.kind === 'user') {
        const sent = etna.requests.length;
        // A step that lands in a busy state: ETNA answers once the page has seen that state. Answered at once, the
        // backend can pass through it (a logout's 200) before its view reaches a busy machine's page.
        gate = step.expected.busy ? openedLater() : undefined;
        injectServerAnswer(gate ? heldUntil(etna, gate.opened) : etna, step);
        remote.send(step.event);
        if (step.serverAnswer) await requestsReach(etna, sent + 1, where);
      } else if (step.kind === 'server') {
        // The state that follows the answer (and, when busy, the request it starts) shows below.
      } else if (step.kind === 'wait' && step.until === 'warning') {
        const left = clock.untilLastTimer() - MODEL_SESSION_WARNING_MS;
        expect(left, where).toBeGreaterThan(3_000_000);
        clock.increment(left - 200);
        const early = (await (await browser.fetch(`${backend.url}login`)).json()) as { tags: string[] };
        expect(early.tags, `${where}: not early`).not.toContain('endingSoon');
        clock.increment(400);
      } else if (step.kind === 'wait') {
        const { context } = remote.getSnapshot();
        const at = step.until === 'retry' ? context.retryAvailableAt : context.resendAvailableAt;
        if (at === undefined) throw new Error(`${where}: nothing to wait for`);
        clock.increment(at - Date.now() - 200);
        const early = (await (await browser.fetch(`${backend.url}login`)).json()) as {
          can: Record<string, boolean>;
        };
        // A 429's wait holds RETRY back in `error`, and the login again in the warning.
        const held =
          step.until === 'resend'
            ? 'RESEND_CODE'
            : remote.getSnapshot().hasTag('endingSoon')
              ? 'SUBMIT_CREDENTIALS'
              : 'RETRY';
        expect(early.can[held], `${where}: not early`).toBe(false);
        clock.increment(400);
      } else if (step.kind === 'otherTab') {
        await otherProcess(step.action);
      } else if (step.kind === 'apiCall') {
        etna.injectApi({ kind: 'respond', status: 200, body: { Id: 1 } });
        expect(await api.get('v1.0/users/@me/info').json(), where).toEqual({ Id: 1 });
        expect(etna.requests.at(-1)?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
      } else if (step.end === 'expired') {
        const left = clock.untilLastTimer();
        expect(left, where).toBeGreaterThan(2_000);
        clock.increment(left + 1_000);
      } else {
        const error = await api.get('v1.0/users/@me/info').catch((caught: unknown) => caught);
        expect(error, where).toBeInstanceOf(HTTPError);
        expect((error as HTTPError).response.status, where).toBe(401);
        expect(etna.requests.at(-1)?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
      }
      const snapshot = await reaches(remote, step.expected, where).finally(() => gate?.open());
      if (snapshot.context.error) expect(snapshot.context.error.message.length, where).toBeGreaterThan(0);
    }
    // The page never held a token, an interim token or the app key.
    const page = browser.seen.join('\n');
    for (const secret of [MODEL_SESSION_TOKEN, etna.appKey, MODEL_USER.password, MODEL_USER.pin]) {
      expect(page).not.toContain(secret);
    }
  });
});
