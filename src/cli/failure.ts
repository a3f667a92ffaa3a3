import { FAILURE_GUIDANCE } from '../contract/failure-guidance.js';
import type { EtnaAuthFailure } from '../index.js';
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
 * The message and exit code for each `context.failure.code`: what happened (the server's Reason and Step),
 * then what the user can do about it, in the words every screen of this package uses (`FAILURE_GUIDANCE`).
 */
export function reportFailure(failure: EtnaAuthFailure): FailureReport {
  const step = printable(failure.step);
  const reason = printable(failure.reason);
  const said = `${reason || 'no reason given'} (${step || 'no step given'})`;
  const guidance = FAILURE_GUIDANCE[failure.code];
  switch (failure.code) {
    case 'passwordExpired':
      return { lines: [`the password has expired: ${said}`, guidance], exitCode: EXIT.passwordExpired };
    case 'pinNotInitialized':
      return {
        lines: [`no security PIN is set up for this account: ${said}`, guidance],
        exitCode: EXIT.pinNotInitialized,
      };
    case 'unsupportedStep':
      return {
        lines: [
          `the server asked for a step this tool cannot answer: Step "${step}", Reason "${reason}"`,
          guidance,
        ],
        exitCode: EXIT.refused,
      };
    case 'rejected':
      return { lines: [`login refused: ${said}`, guidance], exitCode: EXIT.refused };
    case 'resetRefused':
      return { lines: [`the password reset was refused: ${said}`, guidance], exitCode: EXIT.resetRefused };
  }
}
