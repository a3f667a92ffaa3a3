// The terminal login: `npm run login` runs it against the embedded fake ETNA server.
// It prompts with hidden input for secrets, and is driven by the machine alone.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { createActor, waitFor } from 'xstate';
import { createEtnaAuthMachine, type EtnaAuthFailure, selectToken } from '../src/index.js';
import { DEMO_USERS, describeDemoUser, startFakeEtnaServer } from '../src/testing/index.js';

/** stdout with a switch: while `muted`, typed characters of a secret are not echoed. */
class PromptOutput extends Writable {
  muted = false;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void) {
    if (!this.muted) process.stdout.write(chunk);
    done();
  }
}

async function ask(lines: AsyncIterator<string>, output: PromptOutput, question: string, hidden = false) {
  process.stdout.write(question);
  output.muted = hidden && process.stdin.isTTY === true;
  try {
    // An iterator, not rl.question: piped answers that arrive early are buffered, not lost.
    const { value, done } = await lines.next();
    if (done) throw new Error('input ended');
    if (!process.stdin.isTTY) process.stdout.write('\n');
    return value;
  } finally {
    if (output.muted) process.stdout.write('\n');
    output.muted = false;
  }
}

/** What to tell the user when the login ends in `failed`: what happened, and what to do about it. */
function guidanceFor(failure: EtnaAuthFailure | undefined): string {
  const step = failure?.step ?? '';
  const reason = failure?.reason ?? '';
  switch (failure?.code) {
    case 'passwordExpired':
      return `password expired: ${reason} (${step})\nChange the password with the broker first, then log in again.`;
    case 'pinNotInitialized':
      return `no security PIN set up: ${reason} (${step})\nSet up a security PIN with the broker first, then log in again.`;
    case 'unsupportedStep':
      return `the server asked for a step this demo cannot answer: Step "${step}", Reason "${reason}"`;
    default:
      return `login refused: ${reason} (${step})`;
  }
}

const server = await startFakeEtnaServer();
const output = new PromptOutput();
const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
const lines = rl[Symbol.asyncIterator]();
const actor = createActor(createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey })).start();
let exitCode = 0;

rl.on('SIGINT', () => {
  actor.send({ type: 'CANCEL' });
  console.log('\ncancelled');
  exitCode = 130;
  rl.close();
});

console.log(
  `Fake ETNA server at ${server.url} (app key ${server.appKey}). Demo users (demo values, not secrets):`,
);
console.log(DEMO_USERS.map(describeDemoUser).join('\n'));

try {
  while (exitCode === 0) {
    const snapshot = actor.getSnapshot();
    const { context } = snapshot;
    if (context.error) console.log(`! ${context.error.message}`);
    if (snapshot.matches('idle')) {
      const username = await ask(lines, output, 'username: ');
      const password = await ask(lines, output, 'password: ', true);
      actor.send({ type: 'SUBMIT_CREDENTIALS', username, password });
    } else if (snapshot.matches({ expecting: 'securityPin' })) {
      const pin = await ask(lines, output, `${context.reason || 'PIN'} — PIN: `, true);
      actor.send({ type: 'SUBMIT_PIN', pin });
    } else if (snapshot.matches({ expecting: 'verificationCode' })) {
      const code = await ask(lines, output, `${context.reason || 'Verification code'} — code: `, true);
      actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code });
    } else if (snapshot.matches('succeeded')) {
      const token = selectToken(snapshot) ?? '';
      console.log(
        `logged in as ${context.username}; session token of ${token.length} characters (not printed)`,
      );
      break;
    } else if (snapshot.matches('failed')) {
      console.log(guidanceFor(context.failure));
      exitCode = 1;
    } else if (snapshot.matches('error')) {
      const again = await ask(lines, output, 'retry? [y/N] ');
      if (again.trim().toLowerCase() !== 'y') exitCode = 2;
      else actor.send({ type: 'RETRY' });
    }
    if (snapshot.hasTag('busy') || actor.getSnapshot().hasTag('busy')) {
      await waitFor(actor, (next) => !next.hasTag('busy'));
    }
  }
} catch (error) {
  // readline rejects a pending question when stdin ends or Ctrl-C closes it.
  if (exitCode === 0) {
    console.log(`\nstopped: ${(error as Error).message}`);
    exitCode = 2;
  }
} finally {
  actor.stop();
  rl.close();
  await server.close();
}
process.exitCode = exitCode;
