// The words more than one screen says about a problem: the title of each error kind, and a message as a sentence.
import type { EtnaAuthErrorKind } from '../src/index.js';

/** The kinds of error a server (or the way to it) causes; `input` is a refused form, said beside its field. */
export type ServerErrorKind = Exclude<EtnaAuthErrorKind, 'input'>;

/** The title of each server error, on the error panel, the code prompt and the re-login's alert. */
export const ERROR_TITLES: Record<ServerErrorKind, string> = {
  network: 'Network error',
  timeout: 'Timed out',
  http: 'Unexpected HTTP status',
  protocol: 'Unexpected answer',
  appKey: 'Application key refused',
  rateLimited: 'Too many attempts',
};

/** `the server could not be reached` → `The server could not be reached.` */
export const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
