import type { EtnaAuthFailure } from '../index.js';
import { describeFailure, englishMessages as words } from '../messages/index.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/**
 * Text from outside the CLI (the server's Step and Reason, an echoed username) made safe for a terminal:
 * control characters, C0 and C1 (a lone ESC, CSI 0x9b, CR and LF included), become `?`, so an answer cannot
 * move the cursor, clear or retitle the user's terminal, or fake a prompt on a line of its own.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** What the CLI says and returns when a login ends in `failed`: one line per entry, without the `etna-auth: ` prefix. */
export interface FailureReport {
  readonly lines: readonly string[];
  readonly exitCode: ExitCode;
}

/**
 * The message and exit code for each `context.failure.code`: what happened (the server's Reason in the words of
 * the package's catalog, as every screen of it says them; an unknown one as the server sent it, made printable;
 * never the server's Step, whose names are internal),
 * then what the user can do about it.
 */
export function reportFailure(failure: EtnaAuthFailure): FailureReport {
  const { reason, advice } = describeFailure(failure, words);
  const said = printable(reason) || 'The server gave no reason.';
  switch (failure.code) {
    case 'passwordExpired':
      return { lines: [`${said}`, advice], exitCode: EXIT.passwordExpired };
    case 'pinNotInitialized':
      return { lines: [`${said}`, advice], exitCode: EXIT.pinNotInitialized };
    case 'unsupportedStep':
      return {
        lines: [`The server asked for a step this tool cannot answer. It said: ${said}`, advice],
        exitCode: EXIT.refused,
      };
    case 'rejected':
      return { lines: [`Login refused. ${said}`, advice], exitCode: EXIT.refused };
    case 'resetRefused':
      return { lines: [`Password reset refused. ${said}`, advice], exitCode: EXIT.resetRefused };
  }
}
