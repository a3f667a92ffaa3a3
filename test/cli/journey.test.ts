// The rest of the login journey through `etna-auth login`, live against the fake ETNA server and its demo
// users: the anti-phishing phrase, a new verification code, a rate limit's wait, the PIN set-up, the expired
// password's change and the forgotten password's reset. Each waits for what the CLI shows, never for a time.
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';
import { onTerminal, runCli, SCRIPT, startCli } from './cli-process.js';

const TOKEN_LINE = /^[A-Za-z0-9+/]+=*\n$/;
const BOB_PHRASE = 'Blue heron at dawn';

let server: FakeEtnaServer;
beforeEach(async () => {
  server = await startFakeEtnaServer();
});
afterEach(async () => {
  await server.close();
});

const against = (...more: string[]) => [
  'login',
  '--base-url',
  server.url,
  '--app-key',
  server.appKey,
  ...more,
];
const count = (text: string, part: string) => text.split(part).length - 1;
const userOf = (username: string) => server.users.find((user) => user.username === username);

describe('etna-auth login: the anti-phishing phrase', () => {
  it("shows bob's phrase at each of his PIN prompts, and nowhere else", async () => {
    const cli = startCli(against('--username', 'bob'));
    try {
      let mark = await cli.waitForStderr('Password: ');
      cli.answer('bob-password');
      mark = await cli.waitForStderr(
        `etna-auth: Your phrase: ${BOB_PHRASE}\n` +
          'etna-auth: If it is not the phrase you chose, do not type your PIN: press Ctrl-C.\n' +
          'etna-auth: Expecting pin code\n' +
          'Security PIN: ',
        mark,
      );
      cli.answer('9999');
      mark = await cli.waitForStderr(
        `etna-auth: Your phrase: ${BOB_PHRASE}\netna-auth: That PIN is not right.\nSecurity PIN: `,
        mark,
      );
      cli.answer('1234');
      expect(await cli.exitWithin()).toBe(0);
      const stderr = cli.stderr();
      expect(cli.stdout()).toMatch(TOKEN_LINE);
      expect(server.sessionOwner(cli.stdout().trim())).toBe('bob');
      // Twice, each time on its own line right above a PIN prompt.
      expect(count(stderr, BOB_PHRASE)).toBe(2);
      expect(count(stderr, `etna-auth: Your phrase: ${BOB_PHRASE}\n`)).toBe(2);
      expect(stderr.slice(mark)).not.toContain(BOB_PHRASE);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('never shows the phrase when the login fails at the PIN, in the failure or anywhere after', async () => {
    const { code, stderr } = await runCli(against('--username', 'bob'), ['bob-password', '1', '2', '3']);
    expect(stderr).toContain('etna-auth: Login refused. That PIN is not right.\n');
    expect(count(stderr, BOB_PHRASE)).toBe(count(stderr, `etna-auth: Your phrase: ${BOB_PHRASE}\n`));
    expect(stderr.slice(stderr.lastIndexOf('Security PIN: '))).not.toContain(BOB_PHRASE);
    expect(code).toBe(1);
  });
});

describe('etna-auth login: a new verification code', () => {
  it('refuses r during the cooldown with the seconds left, says when it is over, then resends; the new code works', async () => {
    const cli = startCli(against('--username', 'ivy', '--resend-cooldown', '2500'));
    try {
      let mark = await cli.waitForStderr('Password: ');
      cli.answer('ivy-password');
      mark = await cli.waitForStderr('etna-auth: You can ask for a new code in ', mark);
      const prompt =
        'etna-auth: Enter the code we sent you by e-mail or text message.\n' +
        'Verification code (r or empty for a new code): ';
      mark = await cli.waitForStderr(prompt, mark);
      const firstCode = server.lastMail('ivy', 'verificationCode')?.code;
      cli.answer('r');
      mark = await cli.waitForStderr('etna-auth: You can ask for a new code in ', mark);
      expect(cli.stderr().slice(mark)).toMatch(/^[1-3] s\.\n/);
      // Asked again, without the step's line: nothing new came from the server.
      const question = 'Verification code (r or empty for a new code): ';
      expect(cli.stderr().slice(mark)).not.toContain('etna-auth: Enter the code');
      mark = await cli.waitForStderr(question, mark);
      expect(server.requests).toHaveLength(1);
      // The machine's own timer ends the cooldown; the CLI says so, and asks for the code again.
      mark = await cli.waitForStderr(
        `etna-auth: You can now ask for a new code: type r (or an empty line).\n${question}`,
        mark,
      );
      const mails = server.mailbox.length;
      cli.answer('');
      mark = await cli.waitForStderr(
        'etna-auth: A new code was sent. The previous code no longer works.\n',
        mark,
      );
      mark = await cli.waitForStderr(prompt, mark);
      const secondCode = (await server.waitForMail('ivy', 'verificationCode', mails)).code;
      expect(secondCode).not.toBe(firstCode);
      cli.answer(secondCode);
      expect(await cli.exitWithin()).toBe(0);
      expect(server.sessionOwner(cli.stdout().trim())).toBe('ivy');
      // The resend is the first step posted again; only the last post carries a code.
      expect(server.requests.map((request) => request.header('verificationcode'))).toEqual([
        undefined,
        undefined,
        secondCode,
      ]);
      expect(cli.stderr()).not.toContain(secondCode);
      expect(cli.stderr()).not.toContain('ivy-password');
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});

describe('etna-auth login: a rate limit', () => {
  it('says how long to wait, waits for the machine to offer RETRY, asks, and logs in on yes', async () => {
    server.inject({ kind: 'rateLimited', retryAfter: '1' });
    const cli = startCli(against('--username', 'alice'));
    try {
      let mark = await cli.waitForStderr('Password: ');
      const answered = Date.now();
      cli.answer('alice-password');
      mark = await cli.waitForStderr(
        'etna-auth: There were too many attempts. The server asks you to wait before the next one.\n',
        mark,
      );
      mark = await cli.waitForStderr('etna-auth: You can try again in 1 s.\n', mark);
      mark = await cli.waitForStderr('Try again? [y/N]: ', mark);
      // Not before the machine's own timer offers RETRY again, a second after the 429.
      expect(Date.now() - answered).toBeGreaterThanOrEqual(950);
      expect(server.requests).toHaveLength(1);
      cli.answer('y');
      expect(await cli.exitWithin()).toBe(0);
      expect(server.sessionOwner(cli.stdout().trim())).toBe('alice');
      expect(server.requests).toHaveLength(2);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('exits 3 at once when the input has ended: no one is left to say yes', async () => {
    server.inject({ kind: 'rateLimited', retryAfter: '120' });
    const { code, stdout, stderr } = await runCli(against('--username', 'alice'), ['alice-password']);
    expect(stderr).toContain('etna-auth: You can try again in 120 s.\n');
    expect(stderr).not.toContain('Try again?');
    expect(stdout).toBe('');
    expect(code).toBe(3);
  });

  it('exits 3 when the answer to "Try again?" is no', async () => {
    server.inject({ kind: 'serverError' });
    const { code, stderr } = await runCli(against('--username', 'alice'), ['alice-password', 'n']);
    expect(stderr).toContain('etna-auth: The server could not answer (HTTP 500). Try again later.\n');
    expect(stderr).toContain('Try again? [y/N]: ');
    expect(code).toBe(3);
    expect(server.requests).toHaveLength(1);
  });

  it('cancels on Ctrl-C during the wait, and exits 130', async () => {
    server.inject({ kind: 'rateLimited', retryAfter: '120' });
    const cli = startCli(against('--username', 'alice'));
    try {
      await cli.waitForStderr('Password: ');
      cli.answer('alice-password');
      await cli.waitForStderr('etna-auth: You can try again in 120 s.');
      cli.interrupt();
      expect(await cli.exitWithin()).toBe(130);
      expect(cli.stderr()).toContain('etna-auth: Cancelled.\n');
      expect(cli.stderr()).not.toContain('Try again?');
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});

describe('etna-auth login: the PIN set-up', () => {
  it('lets frank pick an image by number, refuses differing PINs, shows the server refusal, then logs him in with the new PIN', async () => {
    const cli = startCli(against('--username', 'frank'));
    try {
      let mark = await cli.waitForStderr('Password: ');
      cli.answer('frank-password');
      mark = await cli.waitForStderr(
        'etna-auth: No security PIN is set up for this account yet. Set one up now.\n' +
          'etna-auth: Pick a security image (a terminal cannot show it, so by its file name):\n' +
          'etna-auth:   1  apple.png\n' +
          'etna-auth:   2  heron.png\n',
        mark,
      );
      mark = await cli.waitForStderr('Security image number (1-6): ', mark);
      cli.answer('7');
      mark = await cli.waitForStderr(
        'etna-auth: Type a number from 1 to 6.\nSecurity image number (1-6): ',
        mark,
      );
      cli.answer('5');
      mark = await cli.waitForStderr('New PIN: ', mark);
      cli.answer('2580');
      mark = await cli.waitForStderr('New PIN again: ', mark);
      cli.answer('2581');
      mark = await cli.waitForStderr(
        'etna-auth: The two PINs are not the same. Type the new PIN twice again.\n',
        mark,
      );
      mark = await cli.waitForStderr('New PIN: ', mark);
      cli.answer('2580');
      mark = await cli.waitForStderr('New PIN again: ', mark);
      cli.answer('2580');
      mark = await cli.waitForStderr('Personal phrase (shown with your PIN prompt from now on): ', mark);
      // Nothing was sent for the differing PINs.
      expect(server.requests.map((request) => request.path)).toEqual([
        '/api/token',
        '/api/v1.0/assets/security-images',
      ]);
      // The server refuses an empty phrase only after trimming; the machine refuses it first, saying what to do.
      cli.answer('   ');
      mark = await cli.waitForStderr('etna-auth: Enter your personal phrase.\n', mark);
      mark = await cli.waitForStderr('Security image number (1-6): ', mark);
      cli.answer('5');
      mark = await cli.waitForStderr('New PIN: ', mark);
      cli.answer('2580');
      mark = await cli.waitForStderr('New PIN again: ', mark);
      cli.answer('2580');
      mark = await cli.waitForStderr('Personal phrase (shown with your PIN prompt from now on): ', mark);
      server.injectAt('pinChange', {
        kind: 'respond',
        status: 200,
        body: {
          Model: null,
          Errors: ['The PIN is too simple.'],
          ErrorsCode: ['ErrorPinTooSimple'],
          IsSucceed: false,
        },
      });
      cli.answer('Lighthouse at noon');
      mark = await cli.waitForStderr('etna-auth: The server said: The PIN is too simple.\n', mark);
      mark = await cli.waitForStderr('Security image number (1-6): ', mark);
      cli.answer('5');
      mark = await cli.waitForStderr('New PIN: ', mark);
      cli.answer('2580');
      mark = await cli.waitForStderr('New PIN again: ', mark);
      cli.answer('2580');
      mark = await cli.waitForStderr('Personal phrase (shown with your PIN prompt from now on): ', mark);
      cli.answer('Lighthouse at noon');
      // The machine logs in again by itself; the server asks for the new PIN, with the new phrase.
      mark = await cli.waitForStderr(
        'etna-auth: Your phrase: Lighthouse at noon\n' +
          'etna-auth: If it is not the phrase you chose, do not type your PIN: press Ctrl-C.\n' +
          'etna-auth: Expecting pin code\n' +
          'Security PIN: ',
        mark,
      );
      cli.answer('2580');
      expect(await cli.exitWithin()).toBe(0);
      expect(server.sessionOwner(cli.stdout().trim())).toBe('frank');
      expect(userOf('frank')).toMatchObject({
        pin: '2580',
        personalPhrase: 'Lighthouse at noon',
        securityImage: 'lighthouse.png',
        pinNotInitialized: false,
      });
      const stderr = cli.stderr();
      expect(stderr).not.toContain('2580');
      expect(stderr).not.toContain('frank-password');
      expect(count(stderr, 'Lighthouse at noon')).toBe(1);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('cancels on Ctrl-C at the new PIN, and exits 130', async () => {
    const cli = startCli(against('--username', 'frank'));
    try {
      await cli.waitForStderr('Password: ');
      cli.answer('frank-password');
      await cli.waitForStderr('Security image number (1-6): ');
      cli.answer('2');
      await cli.waitForStderr('New PIN: ');
      cli.interrupt();
      expect(await cli.exitWithin()).toBe(130);
      expect(cli.stderr()).toContain('etna-auth: Cancelled.\n');
      expect(userOf('frank')?.pinNotInitialized).toBe(true);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});

describe('etna-auth login: the expired password', () => {
  it('lets erin choose a new password, shows what the server refused and asks again, then logs her in with it', async () => {
    const cli = startCli(against('--username', 'erin'));
    try {
      let mark = await cli.waitForStderr('Password: ');
      cli.answer('erin-password');
      mark = await cli.waitForStderr(
        'etna-auth: Your password has expired and must be changed. Choose a new password.\nNew password: ',
        mark,
      );
      cli.answer('erin-new-1');
      mark = await cli.waitForStderr('New password again: ', mark);
      cli.answer('erin-new-2');
      mark = await cli.waitForStderr(
        'etna-auth: The two new passwords are not the same. Type the same password twice.\n',
        mark,
      );
      mark = await cli.waitForStderr('New password: ', mark);
      cli.answer('short');
      mark = await cli.waitForStderr('New password again: ', mark);
      cli.answer('short');
      mark = await cli.waitForStderr(
        'etna-auth: The server said: The password must be at least 8 characters long and contain a digit.\n' +
          'New password: ',
        mark,
      );
      cli.answer('erin-new-1');
      mark = await cli.waitForStderr('New password again: ', mark);
      cli.answer('erin-new-1');
      // The login goes on by itself, with the new password.
      expect(await cli.exitWithin()).toBe(0);
      expect(server.sessionOwner(cli.stdout().trim())).toBe('erin');
      expect(userOf('erin')).toMatchObject({ password: 'erin-new-1', passwordExpired: false });
      expect(server.requests.at(-1)?.header('password')).toBe('erin-new-1');
      const stderr = cli.stderr();
      for (const secret of ['erin-password', 'erin-new-1', 'erin-new-2', 'short\n']) {
        expect(stderr).not.toContain(secret);
      }
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});

describe('etna-auth login --forgot-password', () => {
  it("resets grace's password through her secret question and the e-mailed code, then logs her in", async () => {
    const cli = startCli(against('--forgot-password'));
    try {
      let mark = await cli.waitForStderr('Username: ');
      cli.answer('grace');
      mark = await cli.waitForStderr(
        'etna-auth: Resetting the password of grace.\n' +
          'etna-auth: Secret question: What was the name of your first pet?\n' +
          'Answer: ',
        mark,
      );
      cli.answer('Fido');
      mark = await cli.waitForStderr(
        'etna-auth: The server said: Answer is incorrect, try again.\n' +
          'etna-auth: Secret question: What was the name of your first pet?\n' +
          'Answer: ',
        mark,
      );
      expect(server.lastMail('grace', 'passwordReset')).toBeUndefined();
      cli.answer(' rex ');
      mark = await cli.waitForStderr(
        "etna-auth: A reset code was sent to the account's e-mail address.\nReset code: ",
        mark,
      );
      const { code } = await server.waitForMail('grace', 'passwordReset');
      cli.answer('000000' === code ? '111111' : '000000');
      mark = await cli.waitForStderr(
        'etna-auth: The server said: The code is incorrect or has expired.\nReset code: ',
        mark,
      );
      cli.answer(code);
      mark = await cli.waitForStderr('etna-auth: Choose a new password.\nNew password: ', mark);
      cli.answer('grace-new-7');
      mark = await cli.waitForStderr('New password again: ', mark);
      cli.answer('grace-new-7');
      expect(await cli.exitWithin()).toBe(0);
      expect(server.sessionOwner(cli.stdout().trim())).toBe('grace');
      expect(userOf('grace')?.password).toBe('grace-new-7');
      expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        'GET /api/v1.0/users/password/secret-question',
        'POST /api/v1.0/users/password/reset',
        'POST /api/v1.0/users/password/reset',
        'POST /api/v1.0/users/password/reset/code',
        'POST /api/v1.0/users/password/reset/code',
        'PUT /api/v1.0/users/passwords/reset/',
        'POST /api/token',
      ]);
      const stderr = cli.stderr();
      for (const secret of ['Fido', 'rex', code, 'grace-new-7']) expect(stderr).not.toContain(secret);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('asks for the code at once for henry, who has no secret question, and takes --username', async () => {
    const cli = startCli(against('--forgot-password', '--username', 'henry'));
    try {
      let mark = await cli.waitForStderr(
        'etna-auth: Resetting the password of henry.\n' +
          "etna-auth: A reset code was sent to the account's e-mail address.\nReset code: ",
      );
      expect(cli.stderr()).not.toContain('Answer: ');
      cli.answer((await server.waitForMail('henry', 'passwordReset')).code);
      mark = await cli.waitForStderr('New password: ', mark);
      cli.answer('henry-new-3');
      mark = await cli.waitForStderr('New password again: ', mark);
      cli.answer('henry-new-3');
      expect(await cli.exitWithin()).toBe(0);
      expect(server.sessionOwner(cli.stdout().trim())).toBe('henry');
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('cancels on Ctrl-C at the answer, and exits 130', async () => {
    const cli = startCli(against('--forgot-password', '--username', 'grace'));
    try {
      await cli.waitForStderr('Answer: ');
      cli.interrupt();
      expect(await cli.exitWithin()).toBe(130);
      expect(cli.stderr()).toContain('etna-auth: Cancelled.\n');
      expect(server.mailbox).toHaveLength(0);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('shows the codes the demo server "e-mails" with --demo, and never the phrase of a demo user', async () => {
    const { code, stdout, stderr } = await runCli(
      ['login', '--demo', '--forgot-password', '--username', 'henry'],
      ['not-the-code'],
    );
    expect(stderr).toMatch(/etna-auth: Demo mail to henry: reset code \d{6}\nReset code: /);
    expect(stderr).toContain('bob    bob-password    PIN 1234, phrase + image');
    expect(stderr).not.toContain(BOB_PHRASE);
    expect(stdout).toBe('');
    expect(code).toBe(130);
  });
});

describe.skipIf(!existsSync(SCRIPT))('etna-auth login on a terminal: the journey', () => {
  it('counts down a rate limit on the spinner line, then asks "Try again?"', async () => {
    server.inject({ kind: 'rateLimited', retryAfter: '2' });
    const terminal = onTerminal(against('--username', 'alice'));
    try {
      let mark = await terminal.waitFor('Password: ');
      terminal.type('alice-password\r');
      mark = await terminal.waitFor('etna-auth: You can try again in 2 s.', mark);
      mark = await terminal.waitFor(' You can try again in ', mark);
      mark = await terminal.waitFor('Try again? [y/N]: ', mark);
      terminal.type('y\r');
      expect(await terminal.exited).toBe(0);
      expect(terminal.screen()).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] You can try again in [12] s\./);
      expect(terminal.screen()).toContain('etna-auth: Logged in as alice.');
    } finally {
      terminal.child.kill('SIGKILL');
    }
  });

  it('hides the new PIN, says when a new code can be asked for above the pending prompt, and takes Ctrl-C', async () => {
    const terminal = onTerminal(against('--username', 'frank'));
    try {
      let mark = await terminal.waitFor('Password: ');
      terminal.type('frank-password\r');
      mark = await terminal.waitFor('Security image number (1-6): ', mark);
      terminal.type('2\r');
      mark = await terminal.waitFor('New PIN: ', mark);
      terminal.type('9753\r');
      mark = await terminal.waitFor('New PIN again: ', mark);
      terminal.type('9753\r');
      mark = await terminal.waitFor('Personal phrase (shown with your PIN prompt from now on): ', mark);
      terminal.type('Frank on a terminal\r');
      mark = await terminal.waitFor('Security PIN: ', mark);
      terminal.type('\u0003');
      expect(await terminal.exited).toBe(130);
      expect(terminal.screen()).not.toContain('9753');
      expect(terminal.screen()).toContain('etna-auth: Cancelled.');
    } finally {
      terminal.child.kill('SIGKILL');
    }
    const ivy = onTerminal(against('--username', 'ivy', '--resend-cooldown', '1000'));
    try {
      let mark = await ivy.waitFor('Password: ');
      ivy.type('ivy-password\r');
      const prompt = 'Verification code (r or empty for a new code): ';
      mark = await ivy.waitFor(prompt, mark);
      mark = await ivy.waitFor(
        `etna-auth: You can now ask for a new code: type r (or an empty line).\r\n${prompt}`,
        mark,
      );
      ivy.type('r\r');
      mark = await ivy.waitFor('etna-auth: A new code was sent. The previous code no longer works.', mark);
      mark = await ivy.waitFor(prompt, mark);
      ivy.type((await server.waitForMail('ivy', 'verificationCode', 1)).code);
      ivy.type('\r');
      expect(await ivy.exited).toBe(0);
      expect(ivy.screen()).toContain('etna-auth: Logged in as ivy.');
    } finally {
      ivy.child.kill('SIGKILL');
    }
  });
});
