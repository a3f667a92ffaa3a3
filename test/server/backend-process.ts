// Starts test/server/fixtures/backend-process.ts as a child process, and keeps everything it prints.
import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PAGE_ORIGIN } from './browser-fetch.js';
import { exited } from './waits.js';

export interface BackendProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed on stdout and stderr. */
  readonly output: string[];
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./fixtures/backend-process.ts', import.meta.url));

export async function startBackendProcess(
  env: {
    ETNA_URL: string;
    ETNA_APP_KEY: string;
    REDIS_URL: string;
    QUIET?: string;
    COMMAND_TIMEOUT?: string;
  },
  execArgv: string[] = [],
): Promise<BackendProcess> {
  const child = fork(SCRIPT, [], {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, ...env, PAGE_ORIGIN },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      output.push(line);
      if (line.startsWith('{"url"')) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) =>
      reject(new Error(`the backend process exited (${code}): ${output.join('\n')}`)),
    );
  });
  return {
    url,
    child,
    output,
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
