// Starts an example's dev server as a person does, `npm run dev -w examples/<framework>` (on a free port), and
// reads the URL and the demo users it prints. Shared by test/browser/examples.test.ts and scripts/example-screens.ts.
import { type ChildProcess, spawn } from 'node:child_process';

export const EXAMPLES = ['react', 'vue', 'svelte'] as const;
export type Example = (typeof EXAMPLES)[number];

const ROOT = new URL('../..', import.meta.url).pathname;
/** Vite is ready in about a second here; a cold dependency scan on a busy machine takes longer. */
const READY_WITHIN_MS = 60_000;

export interface ExampleDevServer {
  /** The page, as Vite printed it: `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** All it printed so far. */
  output(): string;
  /** Stops Vite (and the fake ETNA server with it); resolves once the process has exited. */
  close(): Promise<void>;
}

/** How the dev server runs. */
export interface ExampleDevServerOptions {
  /** The backend mode (`ETNA_AUTH_BFF=1`): the login runs in etna-auth/server on the dev server. @default false */
  readonly backend?: boolean;
}

export function startExampleDevServer(
  example: Example,
  { backend = false }: ExampleDevServerOptions = {},
): Promise<ExampleDevServer> {
  // A process group of its own (detached), so that npm, the shell and Vite under it stop together.
  const child: ChildProcess = spawn(
    'npm',
    ['run', 'dev', '-w', `examples/${example}`, '--', '--port', '0', '--clearScreen', 'false'],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ETNA_AUTH_BFF: backend ? '1' : '' },
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`npm run dev -w examples/${example} printed no URL in time:\n${output}`));
    }, READY_WITHIN_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
      // The demo users come right after the URL: both printed means the server is ready.
      if (url && /frank\s+frank-password/.test(output)) {
        clearTimeout(timer);
        resolve({ url, output: () => output, close });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run dev -w examples/${example} exited with ${code}:\n${output}`));
    });
  });
}
