// The session region's end of the CLI: logged in, the session token goes to stdout, alone.
import { selectToken } from '../../index.js';
import type { Conversation, Turn } from '../conversation.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { printable } from '../failure.js';

/** `succeeded`: prints the token on `stdout`. */
export function printToken(talk: Conversation, { snapshot }: Turn, stdout: NodeJS.WritableStream): ExitCode {
  const token = selectToken(snapshot) ?? '';
  // The token must reach stdout unaltered, so one that would drive a terminal is not printed at all.
  if (printable(token) !== token) {
    talk.say('The server sent a session token with control characters in it: it is not printed.');
    return EXIT.transport;
  }
  talk.say(`Logged in as ${snapshot.context.username}.`);
  stdout.write(`${token}\n`);
  return EXIT.loggedIn;
}
