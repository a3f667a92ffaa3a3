// Runs `etna-auth` (src/cli, through tsx) as a child process and talks to it as a person or a script would:
// answers on stdin when a prompt shows on stderr, Ctrl-C as SIGINT, the token read from stdout.
import { type ChildProcess, spawn } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;
export const CLI = new URL('../../src/cli/etna-auth.ts', import.meta.url).pathname;

/** How long to wait for the CLI to show something before failing with what it did show. */
const PATIENCE_MS = 15_000;

export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /**
   * Resolves with the offset just past the first `text` on stderr at or after `from`, once it is there;
   * rejects, quoting stderr, if the CLI exits or stays silent too long.
   */
  waitForStderr(text: string, from?: number): Promise<number>;
  /** Writes one line to stdin. */
  answer(line: string): void;
  /** Closes stdin: the input has ended. */
  endInput(): void;
  /** Ctrl-C. */
  interrupt(): void;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /**
   * Resolves with the exit code once the CLI has exited; if it is still running after `ms`, kills it (so no
   * test leaves it behind) and rejects, quoting stderr.
   */
  exitWithin(ms?: number): Promise<number | null>;
}

/** Starts the CLI with `args`; the environment is cleared of ETNA_* unless `env` sets them. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('ETNA_')),
  );
  // node --import tsx, not the tsx binary: one process, so SIGINT reaches the CLI itself.
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let ended = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    notify();
  });
  // A CLI that exits early must not make a later write fail the test with EPIPE.
  child.stdin?.on('error', () => {});
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      ended = true;
      notify();
      resolve(code);
    });
  });

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStderr(text, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const at = stderr.indexOf(text, from);
          if (at >= 0) return done(() => resolve(at + text.length));
          if (ended)
            return done(() =>
              reject(new Error(`the CLI exited before showing "${text}"; stderr:\n${stderr}`)),
            );
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`the CLI did not show "${text}"; stderr:\n${stderr}`))),
          PATIENCE_MS,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    answer: (line) => {
      child.stdin?.write(`${line}\n`);
    },
    endInput: () => {
      child.stdin?.end();
    },
    interrupt: () => {
      child.kill('SIGINT');
    },
    exited,
    exitWithin(ms = PATIENCE_MS) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the CLI was still running after ${ms} ms; stderr:\n${stderr}`));
        }, ms);
      });
      return Promise.race([exited, late]).finally(() => clearTimeout(timer));
    },
  };
}

/** Runs the CLI to the end with every line of `input` piped at once, as `printf … | etna-auth login` does. */
export async function runCli(
  args: readonly string[],
  input: readonly string[] = [],
  env?: Record<string, string>,
) {
  const cli = startCli(args, env);
  for (const line of input) cli.answer(line);
  cli.endInput();
  const code = await cli.exitWithin();
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** `script` gives the CLI a terminal (a pseudo-terminal), as a person running it has. */
export const SCRIPT = '/usr/bin/script';

export interface TerminalProcess {
  readonly child: ChildProcess;
  /** Everything the terminal showed: stderr and stdout, and the echo of what was typed. */
  screen(): string;
  /**
   * Resolves with the offset just past the first `text` on the screen at or after `from`, once it is there;
   * rejects, quoting the screen, if the CLI exits or stays silent too long.
   */
  waitFor(text: string, from?: number): Promise<number>;
  /** Keys as a terminal sends them: Enter is a carriage return, Ctrl-C the byte 0x03. */
  type(keys: string): void;
  readonly exited: Promise<number | null>;
}

/** Starts the CLI with `args` on a pseudo-terminal (through `script`), with the environment cleared of ETNA_*. */
export function onTerminal(args: readonly string[]): TerminalProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('ETNA_')),
  );
  const command = [process.execPath, '--import', 'tsx', CLI, ...args].join(' ');
  const child = spawn(SCRIPT, ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd: ROOT,
    env: inherited,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let screen = '';
  let ended = false;
  const listeners = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    screen += chunk;
    for (const listener of listeners) listener();
  });
  child.stdin?.on('error', () => {});
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      ended = true;
      for (const listener of listeners) listener();
      resolve(code);
    }),
  );
  return {
    child,
    screen: () => screen,
    waitFor: (text, from = 0) =>
      new Promise((resolve, reject) => {
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        const check = () => {
          const at = screen.indexOf(text, from);
          if (at >= 0) return done(() => resolve(at + text.length));
          if (ended)
            done(() => reject(new Error(`the CLI exited before showing "${text}"; screen:\n${screen}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`the CLI did not show "${text}"; screen:\n${screen}`))),
          PATIENCE_MS,
        );
        listeners.add(check);
        check();
      }),
    type: (keys) => {
      child.stdin?.write(keys);
    },
    exited,
  };
}
