import { createActor, waitFor } from 'xstate';
import { createEtnaAuthMachine, EtnaConfigurationError, Secret, selectToken } from '../index.js';
import { startDemo } from './demo.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { printable, reportFailure } from './failure.js';
import { configurationProblem, type LoginOptions, usageErrorText } from './options.js';
import { createPrompter, InputEndedError } from './prompter.js';
import { createSpinner } from './spinner.js';

export interface LoginIo {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
  /** Registers the cancel for SIGINT/SIGTERM, told which one came; returns the unregister. */
  readonly onSignal: (listener: (signal: 'SIGINT' | 'SIGTERM') => void) => () => void;
}

/**
 * `etna-auth login`: interprets the login machine in the terminal. The machine decides what comes next;
 * this loop only asks for what the current state needs, shows progress, and maps the final state to an exit code.
 */
export async function login(options: LoginOptions, io: LoginIo): Promise<ExitCode> {
  const { stderr } = io;
  // Every line goes through `printable`: parts of it come from the server or echo what was typed.
  const say = (line: string) => stderr.write(`etna-auth: ${printable(line)}\n`);
  const demo = options.demo ? await startDemo() : undefined;
  let machine: ReturnType<typeof createEtnaAuthMachine>;
  try {
    machine = createEtnaAuthMachine({
      baseUrl: demo?.baseUrl ?? options.baseUrl ?? '',
      appKey: demo?.appKey ?? options.appKey ?? '',
      timeout: options.timeout,
      maxSteps: options.maxSteps,
    });
  } catch (error) {
    await demo?.close();
    if (!(error instanceof EtnaConfigurationError)) throw error;
    const reason = error.message.slice(error.option.length + 2);
    stderr.write(usageErrorText(printable(configurationProblem(error.option, reason, options))));
    return EXIT.usage;
  }
  if (demo) stderr.write(demo.description);

  const actor = createActor(machine).start();
  const prompter = createPrompter(io.stdin, stderr);
  const spinner = createSpinner(stderr, 'Logging in…');
  let cancelled = false;
  // SIGTERM ends with 143, as a process killed by it would; Ctrl-C (SIGINT) with 130.
  let cancelledWith = EXIT.cancelled as ExitCode;
  const cancel = (signal?: 'SIGINT' | 'SIGTERM') => {
    if (signal === 'SIGTERM') cancelledWith = EXIT.terminated;
    if (cancelled) process.exit(cancelledWith); // a second signal does not wait for anything
    cancelled = true;
    actor.send({ type: 'CANCEL' }); // aborts the request in flight
    prompter.close(); // ends a pending question
  };
  prompter.onInterrupt(() => cancel('SIGINT'));
  const offSignal = io.onSignal(cancel);

  try {
    while (!cancelled) {
      const snapshot = actor.getSnapshot();
      const { context } = snapshot;
      if (snapshot.hasTag('busy')) {
        spinner.start();
        await waitFor(actor, (next) => !next.hasTag('busy'));
        spinner.stop();
        continue;
      }
      if (context.error?.kind === 'input') {
        say(context.error.message);
        // A value from the command line would be refused again and again.
        if (context.error.field === 'username' && options.username !== undefined) return EXIT.usage;
      }
      if (snapshot.matches('idle')) {
        const username = options.username ?? (await prompter.ask('Username: '));
        const password = await prompter.ask('Password: ', { hidden: true });
        if (!cancelled) actor.send({ type: 'SUBMIT_CREDENTIALS', username, password: new Secret(password) });
      } else if (snapshot.matches({ expecting: 'securityPin' })) {
        const pin = await prompter.ask(`Security PIN (${printable(context.reason ?? '')}): `, {
          hidden: true,
        });
        if (!cancelled) actor.send({ type: 'SUBMIT_PIN', pin: new Secret(pin) });
      } else if (snapshot.matches({ expecting: 'verificationCode' })) {
        const code = await prompter.ask(`Verification code (${printable(context.reason ?? '')}): `, {
          hidden: true,
        });
        if (!cancelled) actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: new Secret(code) });
      } else if (snapshot.matches('succeeded')) {
        const token = selectToken(snapshot) ?? '';
        // The token must reach stdout unaltered, so one that would drive a terminal is not printed at all.
        if (printable(token) !== token) {
          say('the server sent a session token with control characters in it; it is not printed');
          return EXIT.transport;
        }
        say(`logged in as ${context.username}`);
        io.stdout.write(`${token}\n`);
        return EXIT.loggedIn;
      } else if (snapshot.matches('failed')) {
        // Always set in `failed`; the fallback only satisfies the type.
        const report = reportFailure(context.failure ?? { step: '', reason: '', code: 'rejected' });
        for (const line of report.lines) say(line);
        return report.exitCode;
      } else if (snapshot.matches('error')) {
        const status = context.error?.status === undefined ? '' : `, HTTP ${context.error.status}`;
        say(`no usable answer (${context.error?.kind}${status}): ${context.error?.message ?? ''}`);
        return EXIT.transport;
      }
    }
  } catch (error) {
    if (!(error instanceof InputEndedError)) throw error;
    if (!cancelled) {
      say('the input ended before the login finished');
      return EXIT.cancelled;
    }
  } finally {
    spinner.stop();
    offSignal();
    // Stopping cancels the actor's timers: in `succeeded` the session's 24 h expiry would otherwise keep
    // the process alive after the token is printed.
    actor.stop();
    prompter.close();
    await demo?.close();
  }
  say(cancelledWith === EXIT.terminated ? 'stopped (SIGTERM)' : 'cancelled');
  return cancelledWith;
}
