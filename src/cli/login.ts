import { createActor, waitFor } from 'xstate';
import { createEtnaAuthMachine, EtnaConfigurationError } from '../index.js';
import { describeBusy, describeError, englishMessages as words } from '../messages/index.js';
import { createConversation, stateName, type Turn } from './conversation.js';
import { startDemo } from './demo.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { printable } from './failure.js';
import { configurationProblem, type LoginOptions, usageErrorText } from './options.js';
import { createPrompter, InputEndedError } from './prompter.js';
import { createLoginPrompts } from './prompts/login.js';
import { offerRetry, reportFailed } from './prompts/outcomes.js';
import { changePassword } from './prompts/password-change.js';
import { resetPassword } from './prompts/password-reset.js';
import { choosePin } from './prompts/pin-setup.js';
import { printToken } from './prompts/session.js';
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
 * this loop only asks for what the current state needs (each region's prompts, in prompts/), shows progress,
 * and maps the final state to an exit code.
 */
export async function login(options: LoginOptions, io: LoginIo): Promise<ExitCode> {
  const { stderr } = io;
  const demo = options.demo ? await startDemo() : undefined;
  let machine: ReturnType<typeof createEtnaAuthMachine>;
  try {
    machine = createEtnaAuthMachine({
      baseUrl: demo?.baseUrl ?? options.baseUrl ?? '',
      appKey: demo?.appKey ?? options.appKey ?? '',
      timeout: options.timeout,
      maxSteps: options.maxSteps,
      resendCooldown: options.resendCooldown,
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
  const spinner = createSpinner(stderr);
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

  const talk = createConversation({
    actor,
    options,
    prompter,
    spinner,
    stderr,
    demo,
    cancelled: () => cancelled,
  });
  const { say } = talk;
  const loginPrompts = createLoginPrompts(talk);
  let forgot = options.forgotPassword; // until the machine leaves idle for the reset
  let lastState = ''; // the last state that asked something (busy states never do)

  try {
    while (!cancelled) {
      const snapshot = actor.getSnapshot();
      const { context } = snapshot;
      const state = stateName(snapshot.value);
      if (snapshot.hasTag('busy')) {
        spinner.start(describeBusy(snapshot.value, words) ?? 'Working…');
        await waitFor(actor, (next) => !next.hasTag('busy') || stateName(next.value) !== state);
        spinner.stop();
        continue;
      }
      const turn: Turn = {
        snapshot,
        state,
        entered: state !== lastState,
        enteredTop: state.split('.')[0] !== lastState.split('.')[0],
      };
      lastState = state;
      if (state !== 'idle') forgot = false;

      if (context.error?.kind === 'input' && talk.first(context.error)) {
        say(describeError(context.error, words));
        // A value from the command line would be refused again and again.
        if (context.error.field === 'username' && options.username !== undefined) return EXIT.usage;
      }
      // `failed` says them as its reason.
      if (state !== 'failed' && talk.first(context.serverErrors)) {
        for (const error of context.serverErrors ?? []) say(`The server said: ${error}`);
      }

      // Each region of the chart asks with its own prompts (prompts/, named like the regions).
      let exit: ExitCode | undefined;
      if (snapshot.matches('idle')) await loginPrompts.credentials(forgot);
      else if (snapshot.matches({ expecting: 'securityPin' })) await loginPrompts.securityPin(turn);
      else if (snapshot.matches({ expecting: 'verificationCode' })) await loginPrompts.verificationCode(turn);
      else if (snapshot.matches({ pinSetup: 'choosing' })) exit = await choosePin(talk, turn);
      else if (snapshot.matches({ passwordChange: 'editing' })) await changePassword(talk, turn);
      else if (snapshot.matches('passwordReset')) await resetPassword(talk, turn);
      else if (snapshot.matches('succeeded')) exit = printToken(talk, turn, io.stdout);
      else if (snapshot.matches('failed')) exit = reportFailed(talk, turn);
      else if (snapshot.matches('error')) exit = await offerRetry(talk, turn);
      if (exit !== undefined) return exit;
    }
  } catch (error) {
    if (!(error instanceof InputEndedError)) throw error;
    if (!cancelled) {
      say('The input ended before the login finished.');
      return EXIT.cancelled;
    }
  } finally {
    spinner.stop();
    loginPrompts.stop();
    offSignal();
    // Stopping cancels the actor's timers: in `succeeded` the session's 24 h expiry would otherwise keep
    // the process alive after the token is printed.
    actor.stop();
    prompter.close();
    await demo?.close();
  }
  say(cancelledWith === EXIT.terminated ? 'Stopped (SIGTERM).' : 'Cancelled.');
  return cancelledWith;
}
