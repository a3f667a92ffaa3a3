// The outcomes region's end of the CLI: `failed` is reported with its exit code; `error` offers to try again
// (after a 429, once its wait is over), and otherwise ends with the transport exit code.
import { waitFor } from 'xstate';
import { describeError, describeWait, englishMessages as words } from '../../messages/index.js';
import { type Conversation, secondsUntil, type Turn } from '../conversation.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { reportFailure } from '../failure.js';
import { InputEndedError, type Prompter } from '../prompter.js';

const YES = /^\s*y(es)?\s*$/i;

/** `failed`: the server's reason and what to do, then the exit code of its failure code. */
export function reportFailed(talk: Conversation, { snapshot }: Turn): ExitCode {
  // Always set in `failed`; the fallback only satisfies the type.
  const failure = snapshot.context.failure ?? { step: '', reason: '', code: 'rejected' as const };
  const report = reportFailure(failure);
  for (const reportLine of report.lines) talk.say(reportLine);
  if (
    failure.code === 'rejected' &&
    failure.step === 'BaseAuthentication' &&
    /credentials/i.test(failure.reason) &&
    !talk.options.forgotPassword
  ) {
    talk.say('Forgot your password? etna-auth login --forgot-password resets it.');
  }
  return report.exitCode;
}

/** `error`: what went wrong, then RETRY if the user says yes; undefined while the login goes on. */
export async function offerRetry(talk: Conversation, { snapshot }: Turn): Promise<ExitCode | undefined> {
  const { context } = snapshot;
  const { error } = context;
  if (error && talk.first(error)) talk.say(describeError(error, words));
  if (context.retryAvailableAt !== undefined && !snapshot.can({ type: 'RETRY' })) {
    talk.say(describeWait('retry', secondsUntil(context.retryAvailableAt), words));
    // Nobody is left to answer "Try again?": no need to wait for it.
    if (talk.prompter.exhausted) return EXIT.transport;
    await untilRetryAllowed(talk, context.retryAvailableAt);
    return undefined;
  }
  // A refused app key would be refused again.
  if (!snapshot.can({ type: 'RETRY' }) || talk.prompter.exhausted) return EXIT.transport;
  const again = await askOrEnd(talk.prompter, 'Try again? [y/N]: ', talk.cancelled);
  if (talk.cancelled()) return undefined;
  if (again === undefined || !YES.test(again)) return EXIT.transport;
  talk.send({ type: 'RETRY' });
  return undefined;
}

/** Waits, a countdown on the spinner line, until the machine's own timer offers RETRY again (or Ctrl-C). */
async function untilRetryAllowed({ actor, spinner }: Conversation, at: number): Promise<void> {
  spinner.start(() => describeWait('retry', secondsUntil(at), words));
  // The machine's timer does not keep the process alive: this one does, until it fires.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    await waitFor(actor, (next) => next.can({ type: 'RETRY' }) || !next.matches('error'));
  } finally {
    clearInterval(keepAlive);
    spinner.stop();
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
