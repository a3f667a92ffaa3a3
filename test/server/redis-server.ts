// A real redis-server for the tests (Debian's), on 127.0.0.1 and a free port, without persistence unless a test
// asks to keep its data across a restart (`SHUTDOWN SAVE` writes it to the test's own directory).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { exited } from './waits.js';

/** The test's own client. */
export type TestRedisClient = ReturnType<typeof newClient>;

function newClient(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: () => 100 } });
  client.on('error', () => {});
  return client;
}

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** A client for the test's own look at the keyspace. */
  readonly client: TestRedisClient;
  /** Pauses the server (SIGSTOP): connections stay, nothing answers. */
  pause(): void;
  resume(): void;
  /** Stops it after writing its data (`SHUTDOWN SAVE`) and starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    child.once('error', reject);
  });
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'etna-auth-redis-'));
  const port = await freePort();
  let child = await launch(port, dir);
  const url = `redis://127.0.0.1:${port}`;
  const client = newClient(url);
  await client.connect();
  return {
    url,
    port,
    client,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async restart() {
      await client.sendCommand(['SHUTDOWN', 'SAVE']).catch(() => {});
      await exited(child);
      child = await launch(port, dir);
    },
    async stop() {
      child.kill('SIGCONT');
      await client.close().catch(() => client.destroy());
      child.kill('SIGTERM');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
