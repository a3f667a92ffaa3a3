// The backend-for-frontend under load: 1 000 logins in flight at once through two backend processes on one
// redis-server, against the fake ETNA server in its own process, each login driven by the browser adapter over
// loopback (its events posted, its views streamed). Bounded: one round, 1 000 logins, two minutes at most.
import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createEtnaRemoteActor, type EtnaRemoteActor } from '../src/remote/index.js';
import { startBackendProcess } from '../test/server/backend-process.js';
import { startRedis } from '../test/server/redis-server.js';
import { type BenchUser, benchUsers } from './flows.js';

const LOGINS = Number(process.env.BFF_BENCH_LOGINS ?? 1_000);
const DEADLINE_MS = Number(process.env.BFF_BENCH_DEADLINE_MS ?? 120_000);

/** A browser's cookie jar for one login, and the page's Origin on what changes state. */
function browserFetch(): typeof globalThis.fetch {
  let cookie: string | undefined;
  return async (input, init) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    if (cookie) headers.set('cookie', cookie);
    if (request.method !== 'GET') headers.set('origin', 'https://app.test');
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body,
      signal: request.signal,
    });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    return response;
  };
}

function until(actor: EtnaRemoteActor, predicate: (actor: EtnaRemoteActor) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('over the deadline')), DEADLINE_MS);
    const check = () => {
      // A refusal the adapter shows (the backend answered 503, say) ends this login as failed.
      const { error } = actor.getSnapshot().context;
      if (error?.kind === 'http' || error?.kind === 'network') {
        clearTimeout(timer);
        subscription.unsubscribe();
        reject(new Error(error.message));
        return;
      }
      if (!predicate(actor)) return;
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve();
    };
    const subscription = actor.subscribe(check);
    check();
  });
}

const at = (actor: EtnaRemoteActor, state: string | object) => (a: EtnaRemoteActor) =>
  a === actor && !actor.getSnapshot().hasTag('sending') && actor.getSnapshot().matches(state as string);

/** One login through `url`, from the first view to the session; resolves with its milliseconds. */
async function login(url: string, user: BenchUser, holdAtPin?: Promise<void>): Promise<number> {
  const started = performance.now();
  const actor = createEtnaRemoteActor({ url, fetch: browserFetch() }).start();
  try {
    await until(actor, () => !actor.getSnapshot().hasTag('connecting'));
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: user.username, password: user.password });
    if (user.verificationCode) {
      await until(actor, at(actor, { expecting: 'verificationCode' }));
      actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: user.verificationCode });
    }
    if (user.pin) {
      await until(actor, at(actor, { expecting: 'securityPin' }));
      await holdAtPin;
      actor.send({ type: 'SUBMIT_PIN', pin: user.pin });
    }
    await until(actor, at(actor, 'succeeded'));
    return performance.now() - started;
  } finally {
    actor.stop();
  }
}

async function startFakeServer(users: number) {
  const child = fork(new URL('./fake-server-process.ts', import.meta.url).pathname, [String(users)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const { url, appKey } = JSON.parse((await lines.next()).value as string) as { url: string; appKey: string };
  return {
    url,
    appKey,
    close: () => new Promise<void>((resolve) => child.once('exit', () => resolve()).send('close')),
  };
}

const heapOf = async (url: string) =>
  ((await (await fetch(new URL('/heap', url))).json()) as { heapUsed: number }).heapUsed;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
};

export async function bffBench(
  table: (header: string[], rows: (string | number)[][]) => void,
): Promise<void> {
  const users = benchUsers(LOGINS);
  const [etna, redis] = await Promise.all([startFakeServer(users.length), startRedis()]);
  const env = {
    ETNA_URL: etna.url,
    ETNA_APP_KEY: etna.appKey,
    REDIS_URL: redis.url,
    // Redis's own default deadline: the load makes this process, not Redis, slow to hear the answer.
    COMMAND_TIMEOUT: '2000',
    ...(process.env.BFF_BENCH_LOG ? {} : { QUIET: '1' }),
  };
  const backends = await Promise.all([
    startBackendProcess(env, [
      '--expose-gc',
      ...(process.env.BFF_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
    ]),
    startBackendProcess(env, [
      '--expose-gc',
      ...(process.env.BFF_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
    ]),
  ]);
  const urls = backends.map((backend) => backend.url);
  try {
    // Memory: the PIN users' logins held at the PIN prompt (a login in flight waiting for its user).
    const pinUsers = users.filter((user) => user.pin && !user.verificationCode).slice(0, 300);
    // One login through each process first, so the code it runs is loaded and compiled before the measure.
    await Promise.all(urls.map((url) => login(url, users[0] as BenchUser)));
    const before = await Promise.all(urls.map(heapOf));
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const waiting = pinUsers.length;
    const holding = pinUsers.map((user, index) => login(urls[index % 2] as string, user, held));
    // A login that fails is reported by Promise.all below, not as an unhandled rejection meanwhile.
    for (const login of holding) login.catch(() => {});
    // Wait until every held login has reached its PIN prompt in the backends.
    for (let turn = 0; turn < 600; turn++) {
      const counts = await Promise.all(
        urls.map(
          async (url) => ((await (await fetch(new URL('/logins', url))).json()) as { logins: number }).logins,
        ),
      );
      if (counts.reduce((sum, count) => sum + count, 0) >= waiting) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const after = await Promise.all(urls.map(heapOf));
    release();
    const heldFailures = (await Promise.allSettled(holding)).filter((result) => result.status === 'rejected');
    if (heldFailures.length > 0) console.log(`${heldFailures.length} held logins failed`);
    const perLogin = (after.reduce((s, v) => s + v, 0) - before.reduce((s, v) => s + v, 0)) / pinUsers.length;

    // Throughput and latency: every login started at once, half through each process.
    const started = performance.now();
    const failures = new Map<string, number>();
    const latencies = (
      await Promise.all(
        users.map((user, index) =>
          login(urls[index % 2] as string, user).catch((error: unknown) => {
            const reason = error instanceof Error ? error.message : String(error);
            failures.set(reason, (failures.get(reason) ?? 0) + 1);
            return undefined;
          }),
        ),
      )
    ).filter((ms): ms is number => ms !== undefined);
    const seconds = (performance.now() - started) / 1000;
    if (failures.size > 0) console.log(`failed logins: ${JSON.stringify([...failures])}`);
    console.log(
      `\nBackend-for-frontend: ${LOGINS} logins in flight at once (a quarter each single / PIN / code / code + PIN), two backend processes on one redis-server, the fake server in its own process, each login through the browser adapter over loopback\n`,
    );
    table(
      ['logins/s', 'p50 ms', 'p99 ms', 'heap per login in flight (backend)'],
      [
        [
          (latencies.length / seconds).toFixed(0),
          percentile(latencies, 50).toFixed(0),
          percentile(latencies, 99).toFixed(0),
          `${(perLogin / 1024).toFixed(1)} KiB`,
        ],
      ],
    );
  } finally {
    if (process.env.BFF_BENCH_LOG) for (const backend of backends) console.log(summary(backend.output));
    await Promise.all(backends.map((backend) => backend.stop()));
    await Promise.all([etna.close(), redis.stop()]);
  }
}

function summary(lines: string[]): string {
  const counts = new Map<string, number[]>();
  for (const line of lines) {
    if (!line.startsWith('{"level"')) continue;
    const entry = JSON.parse(line) as { route?: string; status?: number; kind?: string; ms?: number };
    const key = `${entry.route} ${entry.status} ${entry.kind ?? ''}`;
    counts.set(key, [...(counts.get(key) ?? []), entry.ms ?? 0]);
  }
  return [...counts]
    .map(
      ([key, ms]) => `${key}: ${ms.length} × p50 ${ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]} ms`,
    )
    .join('\n');
}
