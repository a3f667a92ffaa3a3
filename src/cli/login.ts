import { createActor, waitFor } from 'xstate';
import type { EtnaAuthErrorData } from '../index.js';
import { createEtnaAuthMachine, EtnaConfigurationError, Secret, selectToken } from '../index.js';
import { type Demo, startDemo } from './demo.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { printable, reportFailure } from './failure.js';
import { configurationProblem, type LoginOptions, usageErrorText } from './options.js';
import { createPrompter, InputEndedError, type Prompter } from './prompter.js';
import { createSpinner } from './spinner.js';

export interface LoginIo {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
  /** Registers the cancel for SIGINT/SIGTERM, told which one came; returns the unregister. */
  readonly onSignal: (listener: (signal: 'SIGINT' | 'SIGTERM') => void) => () => void;
}

/** What the spinner says while each busy state's request is in flight. */
const BUSY_TEXT: Readonly<Record<string, string>> = {
  authenticating: 'Logging in…',
  'expecting.resendingCode': 'Sending a new code…',
  'pinSetup.loadingImages': 'Loading security images…',
  'pinSetup.saving': 'Saving your PIN…',
  'passwordChange.saving': 'Saving your password…',
  'passwordReset.loadingQuestion': 'Looking up your account…',
  'passwordReset.requestingCode': 'Sending a reset code…',
  'passwordReset.verifyingCode': 'Checking the code…',
  'passwordReset.saving': 'Saving your password…',
};

/** `idle`, `expecting.securityPin`, …: a state value as one dotted name. */
function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? ['', ''];
  return `${key}.${stateName(child)}`;
}

/** Whole seconds until `at` (epoch ms), at least 1: said while a wait still holds. */
function secondsUntil(at: number | undefined): number {
  return Math.max(1, Math.ceil(((at ?? 0) - Date.now()) / 1000));
}

/** `network`, `http, HTTP 500`: what an error's kind and status say about it. */
function kindOf(error: EtnaAuthErrorData | undefined): string {
  const status = error?.status === undefined ? '' : `, HTTP ${error.status}`;
  return `${error?.kind}${status}`;
}

const RESEND_WORDS = new Set(['', 'r']);
const YES = /^\s*y(es)?\s*$/i;

/**
 * `etna-auth login`: interprets the login machine in the terminal. The machine decides what comes next;
 * this loop only asks for what the current state needs, shows progress, and maps the final state to an exit code.
 */
export async function login(options: LoginOptions, io: LoginIo): Promise<ExitCode> {
  const { stderr } = io;
  // Every line goes through `printable`: parts of it come from the server or echo what was typed.
  const line = (text: string) => `etna-auth: ${printable(text)}`;
  const say = (text: string) => stderr.write(`${line(text)}\n`);
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

  // The end of a resend cooldown is said when it happens, above the code prompt if it is on screen.
  let resendWait = actor.getSnapshot().context.resendAvailableAt;
  const announcer = actor.subscribe((snapshot) => {
    const { resendAvailableAt } = snapshot.context;
    const over = resendWait !== undefined && resendAvailableAt === undefined;
    resendWait = resendAvailableAt;
    if (over && !cancelled && snapshot.matches({ expecting: 'verificationCode' })) {
      prompter.notice(line('You can now ask for a new code: type r (or an empty line).'));
    }
  });

  // The loop comes back to a state many times: an error, the server's Errors, a mail are each said once.
  const told = new WeakSet<object>();
  const first = (value: object | undefined): value is object => {
    if (value === undefined || told.has(value)) return false;
    told.add(value);
    return true;
  };
  const ask = (question: string) => prompter.ask(question);
  const askSecret = (question: string) => prompter.ask(question, { hidden: true });
  const showDemoMail = (username: string | undefined, kind: Parameters<Demo['lastMail']>[1]) => {
    const mail = demo?.lastMail(username ?? '', kind);
    if (first(mail))
      say(
        `Demo mail to ${username}: ${kind === 'passwordReset' ? 'reset' : 'verification'} code ${mail.code}`,
      );
  };

  let forgot = options.forgotPassword; // until the machine leaves idle for the reset
  let resendAsked = false; // a RESEND_CODE was sent: its code prompt says so
  let toldCooldown: number | undefined; // the resend cooldown already said at the code prompt
  let toldPhraseHint = false;
  let lastState = ''; // the last state that asked something (busy states never do)

  try {
    while (!cancelled) {
      const snapshot = actor.getSnapshot();
      const { context } = snapshot;
      const state = stateName(snapshot.value);
      if (snapshot.hasTag('busy')) {
        spinner.start(BUSY_TEXT[state] ?? 'Working…');
        await waitFor(actor, (next) => !next.hasTag('busy') || stateName(next.value) !== state);
        spinner.stop();
        continue;
      }
      const [top] = state.split('.');
      const enteredTop = top !== lastState.split('.')[0];
      const entered = state !== lastState;
      lastState = state;
      if (state !== 'idle') forgot = false;

      if (context.error?.kind === 'input' && first(context.error)) {
        say(context.error.message);
        // A value from the command line would be refused again and again.
        if (context.error.field === 'username' && options.username !== undefined) return EXIT.usage;
      }
      // `failed` says them as its reason.
      if (state !== 'failed' && first(context.serverErrors)) {
        for (const error of context.serverErrors ?? []) say(`the server said: ${error}`);
      }

      if (snapshot.matches('idle')) {
        const username = options.username ?? (await ask('Username: '));
        if (forgot) {
          if (!cancelled) actor.send({ type: 'FORGOT_PASSWORD', username });
          continue;
        }
        const password = await askSecret('Password: ');
        if (!cancelled) actor.send({ type: 'SUBMIT_CREDENTIALS', username, password: new Secret(password) });
      } else if (snapshot.matches({ expecting: 'securityPin' })) {
        // The anti-phishing phrase: here, and nowhere else.
        if (context.personalPhrase) {
          say(`Your phrase: ${context.personalPhrase}`);
          if (!toldPhraseHint) say('If it is not the phrase you chose, do not type your PIN: press Ctrl-C.');
          toldPhraseHint = true;
        }
        const pin = await askSecret(`Security PIN (${printable(context.reason ?? '')}): `);
        if (!cancelled) actor.send({ type: 'SUBMIT_PIN', pin: new Secret(pin) });
      } else if (snapshot.matches({ expecting: 'verificationCode' })) {
        await verificationCode();
      } else if (snapshot.matches({ pinSetup: 'choosing' })) {
        const images = context.securityImages ?? [];
        if (images.length === 0) {
          say('the server offered no security image, so no PIN can be set up here');
          say("Set up a security PIN on your broker's website or app, then log in again.");
          return EXIT.pinNotInitialized;
        }
        if (enteredTop) say(`${context.reason || 'No security PIN is set up'}: set one up now.`);
        say('Pick a security image (a terminal cannot show it, so by its file name):');
        for (const [index, image] of images.entries()) say(`  ${index + 1}  ${image.fileName}`);
        const imageName = await askImage(images.map((image) => image.fileName));
        const pin = await askNewPin();
        const personalPhrase = await ask('Personal phrase (shown with your PIN prompt from now on): ');
        if (!cancelled) {
          actor.send({ type: 'SUBMIT_NEW_PIN', pin: new Secret(pin), imageName, personalPhrase });
        }
      } else if (snapshot.matches({ passwordChange: 'editing' })) {
        if (enteredTop) say(`${context.reason || 'Your password has expired'}: choose a new password.`);
        await newPassword();
      } else if (snapshot.matches('passwordReset')) {
        if (enteredTop) say(`Resetting the password of ${context.username}.`);
        if (snapshot.matches({ passwordReset: 'question' })) {
          say(`Secret question: ${context.secretQuestion ?? ''}`);
          const answer = await askSecret('Answer: ');
          if (!cancelled) actor.send({ type: 'SUBMIT_SECRET_ANSWER', answer: new Secret(answer) });
        } else if (snapshot.matches({ passwordReset: 'code' })) {
          if (entered) say("A reset code was sent to the account's e-mail address.");
          showDemoMail(context.username, 'passwordReset');
          const code = await askSecret('Reset code: ');
          if (!cancelled) actor.send({ type: 'SUBMIT_RESET_CODE', code: new Secret(code) });
        } else if (snapshot.matches({ passwordReset: 'newPassword' })) {
          if (entered) say('Choose a new password.');
          await newPassword();
        }
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
        const failure = context.failure ?? { step: '', reason: '', code: 'rejected' as const };
        const report = reportFailure(failure);
        for (const reportLine of report.lines) say(reportLine);
        if (
          failure.code === 'rejected' &&
          failure.step === 'BaseAuthentication' &&
          /credentials/i.test(failure.reason) &&
          !options.forgotPassword
        ) {
          say('Forgot your password? etna-auth login --forgot-password resets it.');
        }
        return report.exitCode;
      } else if (snapshot.matches('error')) {
        const { error } = context;
        if (first(error)) say(`no usable answer (${kindOf(error)}): ${error.message}`);
        if (context.retryAvailableAt !== undefined && !snapshot.can({ type: 'RETRY' })) {
          say(`Too many attempts: retrying is possible in ${secondsUntil(context.retryAvailableAt)} s`);
          // Nobody is left to answer "Try again?": no need to wait for it.
          if (prompter.exhausted) return EXIT.transport;
          await untilRetryAllowed(context.retryAvailableAt);
          continue;
        }
        // A refused app key would be refused again.
        if (!snapshot.can({ type: 'RETRY' }) || prompter.exhausted) return EXIT.transport;
        const again = await askOrEnd(prompter, 'Try again? [y/N]: ', () => cancelled);
        if (cancelled) break;
        if (again === undefined || !YES.test(again)) return EXIT.transport;
        actor.send({ type: 'RETRY' });
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
    announcer.unsubscribe();
    offSignal();
    // Stopping cancels the actor's timers: in `succeeded` the session's 24 h expiry would otherwise keep
    // the process alive after the token is printed.
    actor.stop();
    prompter.close();
    await demo?.close();
  }
  say(cancelledWith === EXIT.terminated ? 'stopped (SIGTERM)' : 'cancelled');
  return cancelledWith;

  /** The code prompt: a code, or `r` / an empty line for a new one once the cooldown is over. */
  async function verificationCode(): Promise<void> {
    const { context } = actor.getSnapshot();
    if (resendAsked && context.codeResent) say('A new code was sent; the previous code no longer works.');
    resendAsked = false;
    const { error } = context;
    // A resend that failed: no new code was sent, so the one before still works.
    if (error && error.kind !== 'input' && first(error)) {
      if (error.kind === 'rateLimited') {
        toldCooldown = context.resendAvailableAt;
        say(`Too many attempts: a new code can be asked for in ${secondsUntil(context.resendAvailableAt)} s`);
      } else {
        say(`no new code was sent (${kindOf(error)}): ${error.message}; the code sent before still works`);
      }
    }
    if (context.resendAvailableAt !== undefined && context.resendAvailableAt !== toldCooldown) {
      toldCooldown = context.resendAvailableAt;
      say(`You can ask for a new code in ${secondsUntil(context.resendAvailableAt)} s.`);
    }
    showDemoMail(context.username, 'verificationCode');
    const answer = await askSecret(
      `Verification code (${printable(context.reason ?? '')}; r or empty for a new code): `,
    );
    if (cancelled) return;
    if (!RESEND_WORDS.has(answer.trim().toLowerCase())) {
      actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: new Secret(answer) });
      return;
    }
    const now = actor.getSnapshot();
    if (now.can({ type: 'RESEND_CODE' })) {
      resendAsked = true;
      actor.send({ type: 'RESEND_CODE' });
    } else {
      say(`No new code yet: you can ask for one in ${secondsUntil(now.context.resendAvailableAt)} s.`);
    }
  }

  /** The number of a security image, asked until it is one of the list's; its file name. */
  async function askImage(fileNames: readonly string[]): Promise<string> {
    for (;;) {
      const answer = (await ask(`Security image number (1-${fileNames.length}): `)).trim();
      const chosen = /^\d+$/.test(answer) ? fileNames[Number(answer) - 1] : undefined;
      if (chosen !== undefined || cancelled) return chosen ?? '';
      say(`type a number from 1 to ${fileNames.length}`);
    }
  }

  /** A new PIN, typed twice (hidden): a mismatch is refused here, before anything is sent. */
  async function askNewPin(): Promise<string> {
    for (;;) {
      const pin = await askSecret('New PIN: ');
      const again = await askSecret('New PIN again: ');
      if (pin === again || cancelled) return pin;
      say('the two PINs differ: type the new PIN twice again');
    }
  }

  /** A new password and its confirmation (hidden); the machine refuses a confirmation that differs. */
  async function newPassword(): Promise<void> {
    const password = await askSecret('New password: ');
    const confirmation = await askSecret('New password again: ');
    if (!cancelled) {
      actor.send({
        type: 'SUBMIT_NEW_PASSWORD',
        password: new Secret(password),
        confirmation: new Secret(confirmation),
      });
    }
  }

  /** Waits, a countdown on the spinner line, until the machine's own timer offers RETRY again (or Ctrl-C). */
  async function untilRetryAllowed(at: number): Promise<void> {
    spinner.start(() => `Retrying is possible in ${secondsUntil(at)} s`);
    // The machine's timer does not keep the process alive: this one does, until it fires.
    const keepAlive = setInterval(() => {}, 1000);
    try {
      await waitFor(actor, (next) => next.can({ type: 'RETRY' }) || !next.matches('error'));
    } finally {
      clearInterval(keepAlive);
      spinner.stop();
    }
  }
}

/** The answer to a question, or undefined when the input ends there (a cancel still throws). */
async function askOrEnd(
  prompter: Prompter,
  question: string,
  cancelled: () => boolean,
): Promise<string | undefined> {
  try {
    return await prompter.ask(question);
  } catch (error) {
    if (error instanceof InputEndedError && !cancelled()) return undefined;
    throw error;
  }
}
