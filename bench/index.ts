// npm run bench: per-login overhead against hand-written ky, concurrency over loopback, the model suite.
import { fork } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { Bench } from 'tinybench';
import { createActor } from 'xstate';
import { createEtnaAuthMachine } from '../src/index.js';
import { getEtnaAuthPaths, startFakeEtnaServer } from '../src/testing/index.js';
import {
  type BenchUser,
  benchUsers,
  FLOW_USERS,
  floorLogin,
  handClient,
  handLogin,
  machineLogin,
} from './flows.js';
import { instantEtnaFetch } from './instant-fetch.js';
import { runModelPath } from './model-runner.js';

const TOKEN_URL = 'https://bench.example/api/token';
const APP_KEY = 'bench-key';
const quick = process.argv.includes('--quick');

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
  // Three rounds of every task in turn, each after a settled heap; the median of the rounds' medians.
  const rounds = quick ? 1 : 3;
  const medians = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const [flow, user] of Object.entries(FLOW_USERS)) {
      const tasks: [string, () => Promise<unknown>][] = [
        [`${flow} machine`, () => machineLogin(machine, user)],
        [`${flow} by hand`, () => handLogin(client, TOKEN_URL, APP_KEY, user)],
        [`${flow} xstate floor`, () => floorLogin(client, TOKEN_URL, APP_KEY, user)],
      ];
      for (const [name, task] of tasks) {
        await settleHeap();
        const bench = new Bench({ time: quick ? 300 : 1_000, warmupTime: quick ? 100 : 200 });
        bench.add(name, task);
        await bench.run();
        const result = bench.getTask(name)?.result;
        if (!result || !('latency' in result)) throw new Error(`no result for ${name}`);
        medians.set(name, [...(medians.get(name) ?? []), result.latency.p50 ?? Number.NaN]);
      }
    }
  }
  const p50 = (name: string) => median(medians.get(name) ?? []);
  const rows = Object.keys(FLOW_USERS).map((flow) => {
    const machineMs = p50(`${flow} machine`);
    const handMs = p50(`${flow} by hand`);
    const floorMs = p50(`${flow} xstate floor`);
    return [
      flow,
      (machineMs * 1000).toFixed(1),
      (handMs * 1000).toFixed(1),
      (machineMs / handMs).toFixed(2),
      (floorMs * 1000).toFixed(1),
      (floorMs / handMs).toFixed(2),
    ];
  });
  console.log(
    `\nOverhead per login (instant in-process fetch; median µs, median of ${rounds} rounds; target ratio ≤ 1.25)\n`,
  );
  table(
    [
      'flow',
      'machine µs',
      'hand-written ky µs',
      'ratio machine / hand',
      'xstate floor µs',
      'ratio floor / hand',
    ],
    rows,
  );
  console.log(
    '\nxstate floor: the same hand-written requests, each run by an invoked promise actor of a minimal XState\n' +
      'machine (one event per step, no etna-auth code): the cost of XState itself.',
  );
}

async function concurrency(heap: { machine: number; hand: number }) {
  const total = quick ? 2_000 : 10_000;
  const inFlight = 1_000;
  const users = benchUsers(300);
  const server = await startServerProcess(users.length);
  const tokenUrl = `${server.url}token`;
  const machine = createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey, timeout: 60_000 });
  const client = handClient();

  async function run(login: (user: BenchUser) => Promise<string>) {
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < total) {
        const user = users[next++ % users.length] as BenchUser;
        await login(user);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    return total / ((performance.now() - started) / 1000);
  }

  const rounds = quick ? 1 : 3;
  const byHand: number[] = [];
  const throughMachine: number[] = [];
  const throughFloor: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await settleHeap();
    byHand.push(await run((user) => handLogin(client, tokenUrl, server.appKey, user)));
    await settleHeap();
    throughMachine.push(await run((user) => machineLogin(machine, user)));
    await settleHeap();
    throughFloor.push(await run((user) => floorLogin(client, tokenUrl, server.appKey, user)));
  }
  await server.close();
  const machineRate = median(throughMachine);
  const handRate = median(byHand);
  const floorRate = median(throughFloor);
  console.log(
    `\nConcurrency over loopback, fake server in its own process (${total} logins, a third each single / PIN / code + PIN, ${inFlight} in flight, median of ${rounds}; target ratio ≥ 0.9)\n`,
  );
  table(
    ['', 'logins/s', 'heap per in-flight login'],
    [
      ['machine', machineRate.toFixed(0), `${(heap.machine / 1024).toFixed(1)} KiB`],
      ['hand-written ky', handRate.toFixed(0), `${(heap.hand / 1024).toFixed(1)} KiB`],
      ['ratio machine / hand', (machineRate / handRate).toFixed(2), (heap.machine / heap.hand).toFixed(2)],
      ['xstate floor', floorRate.toFixed(0), ''],
      ['ratio floor / hand', (floorRate / handRate).toFixed(2), ''],
    ],
  );
}

/** Heap growth per pending login: 1 000 requests held open by a fetch that never answers. */
async function heapPerInFlight() {
  const gc = (globalThis as { gc?: () => void }).gc;
  const count = 1_000;
  const hanging: typeof fetch = (input) =>
    new Promise((_, reject) => {
      if (input instanceof Request)
        input.signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
  const measure = async (start: () => () => void) => {
    await settleHeap();
    const before = process.memoryUsage().heapUsed;
    const stops = Array.from({ length: count }, start);
    await settleHeap();
    const after = process.memoryUsage().heapUsed;
    for (const stop of stops) stop();
    return (after - before) / count;
  };
  const machine = createEtnaAuthMachine({
    baseUrl: 'https://bench.example/api/',
    appKey: APP_KEY,
    fetch: hanging,
  });
  const user = FLOW_USERS.single;
  const machineBytes = await measure(() => {
    const actor = createActor(machine).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: user.username, password: user.password });
    return () => actor.stop();
  });
  const client = handClient(hanging);
  const handBytes = await measure(() => {
    const controller = new AbortController();
    handLogin(client.extend({ signal: controller.signal }), TOKEN_URL, APP_KEY, user).catch(() => {});
    return () => controller.abort();
  });
  if (!gc) console.log('(run with node --expose-gc for steadier heap figures)');
  return { machine: machineBytes, hand: handBytes };
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
// Heap first, on a fresh heap; then the timings. `--only concurrency` (or another part) runs one part.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const heap = await heapPerInFlight();
if (!only || only === 'overhead') await overheadPerLogin();
if (!only || only === 'concurrency') await concurrency(heap);
if (!only || only === 'model') await modelSuite();
