// The words the demo's screens say about what the machine tells: the package's own catalog (etna-auth/messages),
// English here, so the page says what any screen built on the package would; and the fields' maximum lengths.
import { type EtnaAuthErrorData, INPUT_LIMITS } from '../src/index.js';
import { englishMessages } from '../src/messages/index.js';

export {
  describeError,
  describeFailure,
  describeReason,
  describeSessionEnd,
  describeWait,
} from '../src/messages/index.js';

/** The catalog the page reads its sentences from. */
export const WORDS = englishMessages;

/** An error's title as the bold start of its alert: `Too many attempts.` */
export const titleOf = (error: Pick<EtnaAuthErrorData, 'kind'>) => `${WORDS.errorTitles[error.kind]}.`;

/** Each field takes as many characters as the machine accepts (`INPUT_LIMITS`), and no more: a paste is cut there. */
export function limitLength(limit: keyof typeof INPUT_LIMITS, ...inputs: HTMLInputElement[]): void {
  for (const input of inputs) input.maxLength = INPUT_LIMITS[limit];
}
