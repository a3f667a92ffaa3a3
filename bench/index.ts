// npm run bench: per-login overhead against two XState floors and hand-written ky, concurrency over loopback, the
// model suite, the backend.
import { fork } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { Bench } from 'tinybench';
import { createActor } from 'xstate';
import { createEtnaAuthMachine } from '../src/index.js';
import { getEtnaAuthPaths, startFakeEtnaServer } from '../src/testing/index.js';
import { bffBench } from './bff.js';
import {
  type BenchUser,
  benchUsers,
  carefulPost,
  FLOW_USERS,
  floorLogin,
  handClient,
  handLogin,
  machineLogin,
  plainPost,
} from './flows.js';
import { instantEtnaFetch } from './instant-fetch.js';
import { runModelPath } from './model-runner.js';

const TOKEN_URL = 'https://bench.example/api/token';
const APP_KEY = 'bench-key';
const quick = process.argv.includes('--quick');
const argument = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
/** Rounds of every comparison; the tables give the median. `--rounds 5` for a noisy machine. */
const rounds = Number(argument('--rounds') ?? (quick ? 1 : 3));

function table(header: string[], rows: (string | number)[][]) {
  const lines = [header, header.map(() => '---'), ...rows.map((row) => row.map(String))];
  console.log(lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n'));
}

/**
 * Collections with turns between them, so one run's garbage (Node 20 frees abort signals only through
 * finalizers) is not billed to the next one.
 */
async function settleHeap() {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let round = 0; round < 4; round++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** The fake server in a child process: `{ url, appKey, close() }`. */
async function startServerProcess(users: number) {
  const child = fork(new URL('./fake-server-process.ts', import.meta.url).pathname, [String(users)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const [line] = await createInterface({ input: child.stdout as NodeJS.ReadableStream })
    [Symbol.asyncIterator]()
    .next()
    .then((r) => [r.value as string]);
  const { url, appKey } = JSON.parse(line ?? '{}') as { url: string; appKey: string };
  return {
    url,
    appKey,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}

async function overheadPerLogin() {
  const users = Object.values(FLOW_USERS);
  const fetch = instantEtnaFetch(users);
  const machine = createEtnaAuthMachine({ baseUrl: 'https://bench.example/api/', appKey: APP_KEY, fetch });
  const client = handClient(fetch);
  const plain = plainPost(client);
  const careful = carefulPost(fetch);
  // Rounds of every task in turn, each after a settled heap; the median of the rounds' medians.
  const medians = new Map<string, number[]>();
  const cpuMedians = new Map<string, number[]>();
  const cpuLogins = quick ? 300 : 1_000;
  for (let round = 0; round < rounds; round++) {
    for (const [flow, user] of Object.entries(FLOW_USERS)) {
      const tasks: [string, () => Promise<unknown>][] = [
        [`${flow} machine`, () => machineLogin(machine, user)],
        [`${flow} by hand`, () => handLogin(client, TOKEN_URL, APP_KEY, user)],
        [`${flow} careful floor`, () => floorLogin(careful, TOKEN_URL, APP_KEY, user)],
        [`${flow} plain floor`, () => floorLogin(plain, TOKEN_URL, APP_KEY, user)],
      ];
      for (const [name, task] of tasks) {
        await settleHeap();
        const bench = new Bench({ time: quick ? 300 : 1_000, warmupTime: quick ? 100 : 200 });
        bench.add(name, task);
        await bench.run();
        const result = bench.getTask(name)?.result;
        if (!result || !('latency' in result)) throw new Error(`no result for ${name}`);
        medians.set(name, [...(medians.get(name) ?? []), result.latency.p50 ?? Number.NaN]);
        // CPU time per login over a loop: on a shared machine the wall time also counts the other work's turns.
        await settleHeap();
        const cpuBefore = process.cpuUsage();
        for (let login = 0; login < cpuLogins; login++) await task();
        const cpu = process.cpuUsage(cpuBefore);
        const cpuMs = (cpu.user + cpu.system) / 1000 / cpuLogins;
        cpuMedians.set(name, [...(cpuMedians.get(name) ?? []), cpuMs]);
      }
    }
  }
  const p50 = (name: string) => median(medians.get(name) ?? []);
  const us = (ms: number) => (ms * 1000).toFixed(1);
  const rows = Object.keys(FLOW_USERS).map((flow) => {
    const machineMs = p50(`${flow} machine`);
    const carefulMs = p50(`${flow} careful floor`);
    const plainMs = p50(`${flow} plain floor`);
    const handMs = p50(`${flow} by hand`);
    return [
      flow,
      us(machineMs),
      us(carefulMs),
      us(plainMs),
      us(handMs),
      (machineMs / carefulMs).toFixed(2),
      (machineMs / plainMs).toFixed(2),
    ];
  });
  console.log(
    `\nOverhead per login (instant in-process fetch; median µs, median of ${rounds} rounds; target machine / careful floor ≤ 1.10)\n`,
  );
  table(
    [
      'flow',
      'machine µs',
      'careful floor µs',
      'plain floor µs',
      'hand-written ky µs',
      'machine / careful',
      'machine / plain',
    ],
    rows,
  );
  console.log(
    '\nplain floor: the same hand-written requests (`ky.post(…).json()`), each run by an invoked promise actor of a\n' +
      'minimal XState machine (one event per step, no etna-auth code): the cost of XState itself. careful floor: the\n' +
      'same, each request with a deadline over the body, no redirect followed, a bounded strict-UTF-8 body and its\n' +
      'JSON checked to be an object (bench/flows.ts, carefulPost).',
  );
  const rounded = (name: string) => (medians.get(name) ?? []).map((ms) => Math.round(ms * 1000));
  for (const flow of Object.keys(FLOW_USERS)) {
    console.log(
      `${flow} µs of each round: machine ${rounded(`${flow} machine`).join(' ')}; careful ${rounded(`${flow} careful floor`).join(' ')}; plain ${rounded(`${flow} plain floor`).join(' ')}; hand ${rounded(`${flow} by hand`).join(' ')}`,
    );
  }
  const cpuOf = (name: string) => median(cpuMedians.get(name) ?? []);
  console.log(
    `\nCPU time per login (the same tasks, ${cpuLogins} logins in a loop after each; median of ${rounds} rounds)\n`,
  );
  table(
    ['flow', 'machine µs', 'careful floor µs', 'plain floor µs', 'hand-written ky µs', 'machine / careful'],
    Object.keys(FLOW_USERS).map((flow) => [
      flow,
      us(cpuOf(`${flow} machine`)),
      us(cpuOf(`${flow} careful floor`)),
      us(cpuOf(`${flow} plain floor`)),
      us(cpuOf(`${flow} by hand`)),
      (cpuOf(`${flow} machine`) / cpuOf(`${flow} careful floor`)).toFixed(2),
    ]),
  );
}

type Heap = { machine: number; careful: number; plain: number; hand: number };

async function concurrency(heap: Heap) {
  const total = quick ? 2_000 : 10_000;
  const inFlight = 1_000;
  // Two users per login in flight: the fake server, like ETNA, ends a user's pending code step when the same user
  // starts another login, so a user shared by two logins in flight fails one of them.
  const users = benchUsers(2 * inFlight);

  /**
   * One run against a fresh server process: a server that lives through every run records every request and
   * closes keep-alive sockets under the client after a minute (Node's headersTimeout), failing logins.
   */
  async function run(login: (tokenUrl: string, appKey: string, user: BenchUser) => Promise<string>) {
    const server = await startServerProcess(users.length);
    try {
      const tokenUrl = `${server.url}token`;
      let next = 0;
      let failed = 0;
      let lastFailure = '';
      const started = performance.now();
      const worker = async () => {
        while (next < total) {
          const user = users[next++ % users.length] as BenchUser;
          // A login that fails (loopback under load can reset a socket) is counted and shown, not fatal.
          await login(tokenUrl, server.appKey, user).catch((error: unknown) => {
            failed++;
            lastFailure = String(error);
          });
        }
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
      if (failed > 0) console.log(`(${failed} of ${total} logins failed in one run; last: ${lastFailure})`);
      return (total - failed) / ((performance.now() - started) / 1000);
    } finally {
      await server.close();
    }
  }

  const client = handClient();
  const plain = plainPost(client);
  const careful = carefulPost();
  const machines = new Map<string, ReturnType<typeof createEtnaAuthMachine>>();
  const machineFor = (tokenUrl: string, appKey: string) => {
    let machine = machines.get(tokenUrl);
    if (!machine) {
      machine = createEtnaAuthMachine({ baseUrl: tokenUrl, appKey, timeout: 60_000 });
      machines.set(tokenUrl, machine);
    }
    return machine;
  };
  const kinds = {
    hand: (tokenUrl: string, appKey: string, user: BenchUser) => handLogin(client, tokenUrl, appKey, user),
    machine: (tokenUrl: string, appKey: string, user: BenchUser) =>
      machineLogin(machineFor(tokenUrl, appKey), user),
    careful: (tokenUrl: string, appKey: string, user: BenchUser) =>
      floorLogin(careful, tokenUrl, appKey, user),
    plain: (tokenUrl: string, appKey: string, user: BenchUser) => floorLogin(plain, tokenUrl, appKey, user),
  };
  const rates: Record<keyof typeof kinds, number[]> = { hand: [], machine: [], careful: [], plain: [] };
  const order = Object.keys(kinds) as (keyof typeof kinds)[];
  for (let round = 0; round < rounds; round++) {
    // A different order each round, so no kind always runs first (or last) on a warming machine.
    for (const kind of [...order.slice(round % order.length), ...order.slice(0, round % order.length)]) {
      await settleHeap();
      rates[kind].push(await run(kinds[kind]));
    }
  }
  const rate = (kind: keyof typeof kinds) => median(rates[kind]);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(
    `\nConcurrency over loopback, fake server in its own process (${total} logins, a quarter each single / PIN / code / code + PIN, ${inFlight} in flight, median of ${rounds}; targets machine / careful floor ≥ 0.90 logins/s, ≤ 1.15 heap)\n`,
  );
  table(
    ['', 'logins/s', 'heap per in-flight login'],
    [
      ['machine', rate('machine').toFixed(0), kib(heap.machine)],
      ['careful floor', rate('careful').toFixed(0), kib(heap.careful)],
      ['plain floor', rate('plain').toFixed(0), kib(heap.plain)],
      ['hand-written ky', rate('hand').toFixed(0), kib(heap.hand)],
      [
        'machine / careful',
        (rate('machine') / rate('careful')).toFixed(2),
        (heap.machine / heap.careful).toFixed(2),
      ],
      [
        'machine / plain',
        (rate('machine') / rate('plain')).toFixed(2),
        (heap.machine / heap.plain).toFixed(2),
      ],
    ],
  );
  console.log(`\nlogins/s of each round: ${JSON.stringify(rates)}`);
}

/**
 * Heap growth per pending login: 1 000 first requests held open by a fetch that never answers, after
 * collections. The median of `rounds` measurements of each kind, taken in turn.
 */
async function heapPerInFlight(): Promise<Heap> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const count = 1_000;
  // Never answers; rejects when its request is aborted, and when `release` is called after the measure.
  const pending = new Set<(error: Error) => void>();
  const hanging: typeof fetch = (input, init) =>
    new Promise((_, reject) => {
      pending.add(reject);
      const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
      signal?.addEventListener('abort', () => reject(new Error('aborted')));
    });
  const release = () => {
    for (const reject of pending) reject(new Error('released'));
    pending.clear();
  };
  const measure = async (start: () => () => void) => {
    await settleHeap();
    const before = process.memoryUsage().heapUsed;
    const stops = Array.from({ length: count }, start);
    await settleHeap();
    const after = process.memoryUsage().heapUsed;
    for (const stop of stops) stop();
    release();
    return (after - before) / count;
  };
  const machine = createEtnaAuthMachine({
    baseUrl: 'https://bench.example/api/',
    appKey: APP_KEY,
    fetch: hanging,
  });
  const user = FLOW_USERS.single;
  const client = handClient(hanging);
  const floorKind = (post: ReturnType<typeof plainPost>) => () => {
    let stop = () => {};
    floorLogin(post, TOKEN_URL, APP_KEY, user, (actor) => {
      stop = () => actor.stop();
    }).catch(() => {});
    return () => stop();
  };
  const kinds: Record<keyof Heap, () => () => void> = {
    machine: () => {
      const actor = createActor(machine).start();
      actor.send({ type: 'SUBMIT_CREDENTIALS', username: user.username, password: user.password });
      return () => actor.stop();
    },
    hand: () => {
      const controller = new AbortController();
      handLogin(client.extend({ signal: controller.signal }), TOKEN_URL, APP_KEY, user).catch(() => {});
      return () => controller.abort();
    },
    careful: floorKind(carefulPost(hanging)),
    plain: floorKind(plainPost(client)),
  };
  const bytes: Record<keyof Heap, number[]> = { machine: [], careful: [], plain: [], hand: [] };
  for (let round = 0; round < rounds; round++) {
    for (const kind of Object.keys(kinds) as (keyof Heap)[]) bytes[kind].push(await measure(kinds[kind]));
  }
  if (!gc) console.log('(run with node --expose-gc for steadier heap figures)');
  return {
    machine: median(bytes.machine),
    careful: median(bytes.careful),
    plain: median(bytes.plain),
    hand: median(bytes.hand),
  };
}

async function modelSuite() {
  const generateStart = performance.now();
  const paths = getEtnaAuthPaths({ maxSteps: 2 });
  const generateMs = performance.now() - generateStart;
  const server = await startFakeEtnaServer();
  const runStart = performance.now();
  for (const path of paths) await runModelPath(path, server);
  const runMs = performance.now() - runStart;
  await server.close();
  const steps = paths.reduce((sum, path) => sum + path.steps.length, 0);
  console.log('\nModel-based suite (generated from the machine graph, run over loopback HTTP)\n');
  table(
    ['paths', 'steps', 'generate ms', 'run ms (one timeout path waits 400 ms)'],
    [[paths.length, steps, generateMs.toFixed(1), runMs.toFixed(0)]],
  );
}

console.log(
  `etna-auth bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB${quick ? ' (quick)' : ''}`,
);
// A login that never settles leaves nothing for the event loop to wait on: node would exit quietly, mid-table.
let finished = false;
process.once('beforeExit', () => {
  if (finished) return;
  console.error('bench: a login never settled (the event loop drained before the bench ended)');
  process.exitCode = 1;
});
// Heap first, on a fresh heap; then the timings. `--only concurrency` (or another part) runs one part.
// `--only overhead,concurrency` runs those parts in one run.
const only = argument('--only')?.split(',');
const runs = (part: string) => !only || only.includes(part);
const heap = await heapPerInFlight();
if (runs('overhead')) await overheadPerLogin();
if (runs('concurrency')) await concurrency(heap);
if (only?.includes('heap')) console.log(`\nheap per in-flight login (bytes): ${JSON.stringify(heap)}`);
if (runs('model')) await modelSuite();
if (runs('bff')) await bffBench(table);
finished = true;
