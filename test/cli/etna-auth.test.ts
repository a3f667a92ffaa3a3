import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';
import { CLI, onTerminal, runCli, SCRIPT, startCli } from './cli-process.js';

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const TOKEN_LINE = /^[A-Za-z0-9+/]+=*\n$/;

let server: FakeEtnaServer;
beforeEach(async () => {
  server = await startFakeEtnaServer();
});
afterEach(async () => {
  await server.close();
});

const against = () => ['login', '--base-url', server.url, '--app-key', server.appKey];

describe('etna-auth: the command line', () => {
  it('is the package bin, built from src/cli to dist/cli with its shebang', () => {
    expect(PACKAGE.bin).toEqual({ 'etna-auth': './dist/cli/etna-auth.js' });
    expect(readFileSync(CLI, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('prints its help, with the exit codes, on stdout', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect(stdout).toContain('Usage: etna-auth login [options]');
    expect(stdout).toMatch(/--base-url <url>.*ETNA_BASE_URL/);
    for (const code of [
      '0    logged in',
      '1    the server refused',
      '2    bad usage',
      '3    no usable',
      '4    the password has expired and the server gave no way to change it here',
      '5    no security PIN is set up and none can be set up here',
      '6    the password reset was refused: reset it with the broker',
      '130  cancelled',
      '143  stopped by SIGTERM',
    ]) {
      expect(stdout).toContain(`\n  ${code}`);
    }
    for (const option of ['--forgot-password', '--resend-cooldown <ms>', '--demo']) {
      expect(stdout).toContain(`\n  ${option}  `);
    }
    expect(stdout).toContain('r or an empty line asks for a new code');
    expect(stdout).toContain('Your phrase: ...');
    expect(stdout.split('\n').filter((line) => line.length > 100)).toEqual([]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('prints its version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(stdout).toBe(`${PACKAGE.version}\n`);
    expect(code).toBe(0);
  });

  it.concurrent.for([
    [['login', '--nope'], 'unknown option --nope'],
    [['login', '--demo', '--timeout'], '--timeout needs a value'],
    [['login', '--demo=yes'], '--demo takes no value'],
    [[], 'missing the command: login'],
    [['logout'], 'unknown command "logout"'],
    [['login', 'extra', '--demo'], 'unexpected argument "extra"'],
    [['login', '--base-url', 'https://broker.example/api/'], 'missing --app-key (or ETNA_APP_KEY)'],
    [['login', '--app-key', 'key'], 'missing --base-url (or ETNA_BASE_URL)'],
    [['login', '--demo', '--app-key', 'key'], '--demo brings its own server'],
    [
      ['login', '--base-url', 'http://broker.example/api/', '--app-key', 'key'],
      '--base-url "http://broker.example/api/" must use https:',
    ],
    [
      ['login', '--base-url', 'broker.example', '--app-key', 'key'],
      '--base-url "broker.example" is not an absolute URL; give the API root, e.g. https://broker.example/api/',
    ],
    [
      ['login', '--demo', '--timeout', 'soon'],
      '--timeout takes a whole number of milliseconds from 1 to 2147483647, not "soon"',
    ],
    [['login', '--demo', '--timeout', '99999999999'], '--timeout takes a whole number of milliseconds'],
    [
      ['login', '--demo', '--max-steps', '0'],
      '--max-steps takes a whole number of PIN and code steps from 1 to 100, not "0"',
    ],
    [
      ['login', '--demo', '--resend-cooldown', 'soon'],
      '--resend-cooldown takes a whole number of milliseconds from 1 to 2147483647, not "soon"',
    ],
    [['login', '--demo', '--resend-cooldown', '0'], '--resend-cooldown takes a whole number of milliseconds'],
    [['login', '--demo', '--forgot-password=yes'], '--forgot-password takes no value'],
  ] as const)('exits 2 on bad usage, pointing at the help: %j', async ([args, message], { expect }) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(stderr).toContain(`etna-auth: ${message}`);
    // Every usage error ends the same way, whoever found it (the parser or the machine's option checks).
    expect(stderr).toMatch(/\nTry 'etna-auth --help'\.\n$/);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  it.concurrent.for([
    [
      '--base-url',
      ['login', '--base-url', 'https://user:SECRETPW@broker.example/api/', '--app-key', 'k'],
      {},
    ],
    [
      'ETNA_BASE_URL',
      ['login', '--app-key', 'k'],
      { ETNA_BASE_URL: 'https://user:SECRETPW@broker.example/api/' },
    ],
    [
      'a base URL the parser refuses',
      ['login', '--base-url', 'https://user:SECRETPW@', '--app-key', 'k'],
      {},
    ],
    [
      'a base URL without //',
      ['login', '--base-url', 'user:SECRETPW@broker.example/api/', '--app-key', 'k'],
      {},
    ],
    ['a stray argument', ['login', 'https://user:SECRETPW@broker.example/api/', '--demo'], {}],
    ['a number option', ['login', '--demo', '--timeout', 'https://user:SECRETPW@broker.example/'], {}],
  ] as const)(
    'exits 2 without quoting the user or password of a URL given as %s',
    async ([, args, env], { expect }) => {
      const { code, stdout, stderr } = await runCli(args, [], env);
      expect(code).toBe(2);
      expect(stderr).toMatch(/\nTry 'etna-auth --help'\.\n$/);
      expect(stderr).not.toContain('SECRETPW');
      expect(stderr).not.toContain('user');
      expect(stdout).toBe('');
    },
  );

  it('exits 2 when --username is a value no header can carry, rather than asking forever', async () => {
    const { code, stderr } = await runCli([...against(), '--username', 'bob '], ['bob-password']);
    expect(stderr).toContain('etna-auth: Your username starts or ends with a space. Remove it.\n');
    expect(code).toBe(2);
    expect(server.requests).toHaveLength(0);
  });

  it('exits 2 when --forgot-password comes with a --username no request can carry', async () => {
    const { code, stderr } = await runCli([...against(), '--forgot-password', '--username', '']);
    expect(stderr).toContain('etna-auth: Enter your username.\n');
    expect(code).toBe(2);
    expect(server.requests).toHaveLength(0);
  });
});

describe('etna-auth login against a fake ETNA server', () => {
  it('takes a wrong PIN, then the right one, and prints only the token on stdout', async () => {
    const cli = startCli(against());
    let mark = await cli.waitForStderr('Username: ');
    cli.answer('bob');
    mark = await cli.waitForStderr('Password: ', mark);
    cli.answer('bob-password');
    // The server's Reason above the prompt: one it does not know as it sent it, a known one in plain words.
    mark = await cli.waitForStderr('etna-auth: Expecting pin code\nSecurity PIN: ', mark);
    cli.answer('9999');
    mark = await cli.waitForStderr('etna-auth: That PIN is not right.\nSecurity PIN: ', mark);
    cli.answer('1234');
    expect(await cli.exitWithin()).toBe(0);
    const token = cli.stdout();
    expect(token).toMatch(TOKEN_LINE);
    expect(server.sessionOwner(token.trim())).toBe('bob');
    expect(server.requests.map((request) => request.header('pincode'))).toEqual([undefined, '9999', '1234']);
    expect(cli.stderr().slice(mark)).toContain('etna-auth: Logged in as bob.\n');
    expect(cli.stderr()).not.toContain(token.trim());
    expect(cli.stderr()).not.toContain('bob-password');
  });

  it('reads piped answers, code then PIN, as `printf … | etna-auth login` does', async () => {
    const { code, stdout, stderr } = await runCli(
      [...against(), '--username', 'dave'],
      ['dave-password', '654321', '4321'],
    );
    expect(stderr).toContain(
      'etna-auth: Enter the code we sent you by e-mail or text message.\nVerification code (r or empty for a new code): ',
    );
    expect(stderr).toContain('etna-auth: Expecting pin code\nSecurity PIN: ');
    expect(server.sessionOwner(stdout.trim())).toBe('dave');
    expect(code).toBe(0);
  });

  it('takes --base-url and --app-key from ETNA_BASE_URL and ETNA_APP_KEY', async () => {
    const { code, stdout } = await runCli(['login', '--username', 'alice'], ['alice-password'], {
      ETNA_BASE_URL: server.url,
      ETNA_APP_KEY: server.appKey,
    });
    expect(server.sessionOwner(stdout.trim())).toBe('alice');
    expect(code).toBe(0);
  });

  it('exits 1 when the server refuses the login, and 3 when its answer is unusable', async () => {
    const refused = await runCli([...against(), '--username', 'carol'], ['wrong-password']);
    expect(refused.stderr).toContain(
      'etna-auth: Login refused. The username or password is not right.\n' +
        'etna-auth: Check what you typed, then try again.\n' +
        'etna-auth: Forgot your password? etna-auth login --forgot-password resets it.\n',
    );
    expect(refused.code).toBe(1);
    const wrongKey = await runCli(
      ['login', '--base-url', server.url, '--app-key', 'not-the-key', '--username', 'alice'],
      ['alice-password'],
    );
    expect(wrongKey.stderr).toContain(
      "etna-auth: The broker's server does not accept this app. This is not about your password: the app has to be set up again.\n",
    );
    // Retrying would send the same key again.
    expect(wrongKey.stderr).not.toContain('Try again?');
    expect(wrongKey.code).toBe(3);
  });

  it('exits 4 when the password has expired and the server gives no token to change it, sending her to the broker', async () => {
    server.inject({
      kind: 'respond',
      status: 401,
      body: {
        State: 'Failed',
        Step: 'BaseAuthentication',
        Reason: 'Your Password has expired and must be changed',
      },
    });
    const { code, stdout, stderr } = await runCli([...against(), '--username', 'erin'], ['erin-password']);
    expect(stderr).toContain(
      'etna-auth: Your password has expired and must be changed.\n' +
        "etna-auth: Change your password on your broker's website or app, then log in with the new one.\n",
    );
    expect(stderr).not.toContain('Login refused');
    expect(stderr).not.toContain('erin-password');
    expect(stderr).not.toContain('New password: ');
    expect(stdout).toBe('');
    expect(code).toBe(4);
    expect(server.requests).toHaveLength(1);
  });

  it('exits 5 when no PIN is set up and the server gives no token to set one up, sending him to the broker', async () => {
    server.inject({
      kind: 'respond',
      status: 401,
      body: { State: 'Failed', Step: 'SecutityPin', Reason: 'PIN code is not init' },
    });
    const { code, stdout, stderr } = await runCli([...against(), '--username', 'frank'], ['frank-password']);
    expect(stderr).toContain(
      'etna-auth: No security PIN is set up for this account yet.\n' +
        "etna-auth: Set up a security PIN on your broker's website or app, then log in again.\n",
    );
    expect(stderr).not.toContain('Security PIN: ');
    expect(stderr).not.toContain('Security image number');
    expect(stdout).toBe('');
    expect(code).toBe(5);
    expect(server.requests).toHaveLength(1);
  });

  it('exits 1 when the server asks for a step it cannot answer, saying its Reason (not its internal Step)', async () => {
    server.inject({
      kind: 'respond',
      status: 202,
      body: { State: 'Expecting', Step: 'SecurityQuestion', Reason: 'Name your first pet', Token: 'q+t/k=' },
    });
    const { code, stdout, stderr } = await runCli([...against(), '--username', 'alice'], ['alice-password']);
    expect(stderr).toContain(
      'etna-auth: The server asked for a step this tool cannot answer. It said: Name your first pet\n' +
        "etna-auth: Finish this login on your broker's website or app: this step cannot be answered here.\n",
    );
    expect(stderr).not.toContain('SecurityQuestion');
    expect(stdout).toBe('');
    expect(code).toBe(1);
  });

  it('shows server text with its control characters neutralised, so it cannot drive the terminal', async () => {
    server.inject({
      kind: 'respond',
      status: 401,
      body: {
        State: 'Failed',
        Step: 'Base\u001b]0;owned\u0007',
        Reason: 'Bad \u001b[2J\u001b[31mcredentials',
      },
    });
    const { code, stderr } = await runCli([...against(), '--username', 'alice'], ['alice-password']);
    expect(stderr).toContain('etna-auth: Login refused. Bad ?[2J?[31mcredentials\n');
    expect(stderr).not.toContain('\u001b');
    expect(stderr).not.toContain('\u0007');
    expect(code).toBe(1);
  });

  // Control characters other than the line ends the CLI writes itself.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
  const HOSTILE_REASONS = [
    ['retitles the terminal', '\u001b]0;pwned\u0007', '?]0;pwned?'],
    ['clears the screen', '\u001b[2J', '?[2J'],
    ['recolours with a C1 CSI', '\u009b31m', '?31m'],
    ['fakes a password prompt', '\r\nPassword: ', '??Password: '],
  ] as const;

  it.for(
    HOSTILE_REASONS.flatMap(([what, reason, shown]) => [
      [what, 'Security PIN', 'SecutityPin', reason, shown, ''],
      [what, 'Verification code', 'VerificationCode', reason, shown, ' (r or empty for a new code)'],
    ]),
  )('neutralises a Reason that %s on the %s prompt', async ([, prompt, step, reason, shown, more]) => {
    server.inject({
      kind: 'respond',
      status: 202,
      body: { State: 'Expecting', Step: step, Reason: reason, Token: 'q+t/k=' },
    });
    const { code, stderr } = await runCli([...against(), '--username', 'alice'], ['alice-password', '1234']);
    expect(stderr).toContain(`etna-auth: ${shown}\n${prompt}${more}: `);
    expect(stderr).not.toMatch(CONTROL);
    // The interim token was made up: the fake server refuses the answer.
    expect(stderr).toContain(
      'etna-auth: Login refused. This login was interrupted and has to start again.\n',
    );
    expect(code).toBe(1);
  });

  it('refuses to print a session token with a control character in it, and exits 3 without showing it', async () => {
    const token = 'Zq9x\u009b2JWv7k=';
    server.inject({ kind: 'respond', status: 200, body: { State: 'Succeeded', Token: token } });
    const { code, stdout, stderr } = await runCli([...against(), '--username', 'alice'], ['alice-password']);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'etna-auth: The server sent a session token with control characters in it: it is not printed.\n',
    );
    expect(stderr).not.toContain('Zq9x');
    expect(stderr).not.toContain('2JWv7k');
    expect(stderr).not.toMatch(CONTROL);
    expect(stderr).not.toContain('Logged in as');
    expect(code).toBe(3);
  });

  it('echoes the username with its control characters neutralised', async () => {
    server.inject({ kind: 'respond', status: 200, body: { State: 'Succeeded', Token: 'q+t/k=' } });
    const { code, stdout, stderr } = await runCli(
      [...against(), '--username', 'ali\u009b2Jce'],
      ['alice-password'],
    );
    expect(stderr).toContain('etna-auth: Logged in as ali?2Jce.\n');
    expect(stderr).not.toMatch(CONTROL);
    expect(stdout).toBe('q+t/k=\n');
    expect(code).toBe(0);
  });

  it('exits as soon as the token is printed, with its input still open: the session expiry timer does not hold it', async () => {
    const cli = startCli([...against(), '--username', 'alice']);
    try {
      await cli.waitForStderr('Password: ');
      cli.answer('alice-password');
      await cli.waitForStderr('etna-auth: Logged in as alice.');
      // Without stopping the actor, the machine's 24 h `after` in `succeeded` keeps the process alive.
      expect(await cli.exitWithin(5_000)).toBe(0);
      expect(server.sessionOwner(cli.stdout().trim())).toBe('alice');
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it.for([
    ['SIGINT', 130, 'etna-auth: Cancelled.\n'],
    ['SIGTERM', 143, 'etna-auth: Stopped (SIGTERM).\n'],
  ] as const)('aborts the request on %s, and exits %i', async ([signal, exitCode, line]) => {
    server.inject({ kind: 'hang' });
    const cli = startCli([...against(), '--username', 'alice', '--timeout', '60000']);
    await cli.waitForStderr('Password: ');
    cli.answer('alice-password');
    await server.waitForRequests(1);
    cli.child.kill(signal);
    const request = await server.waitForEnd(0);
    expect(request.aborted).toBe(true);
    expect(await cli.exitWithin()).toBe(exitCode);
    expect(cli.stderr()).toContain(line);
    expect(cli.stdout()).toBe('');
  });

  it('exits 130 when its input ends before the login finished', async () => {
    const { code, stderr, stdout } = await runCli([...against()], ['dave', 'dave-password']);
    expect(stderr).toContain('etna-auth: The input ended before the login finished.\n');
    expect(stdout).toBe('');
    expect(code).toBe(130);
  });

  it('logs in against its embedded server with --demo, listing the demo users', async () => {
    const { code, stdout, stderr } = await runCli(['login', '--demo'], ['alice', 'alice-password']);
    expect(stderr).toContain('Demo: a fake ETNA server at http://127.0.0.1:');
    expect(stderr).toContain('bob    bob-password    PIN 1234');
    expect(stdout).toMatch(TOKEN_LINE);
    expect(code).toBe(0);
  });
});

describe.skipIf(!existsSync(SCRIPT))('etna-auth login on a terminal', () => {
  it('hides the password and the PIN, and spins while the request is in flight', async () => {
    server.inject({ kind: 'delay', ms: 400 });
    const terminal = onTerminal([...against(), '--username', 'bob']);
    try {
      let mark = await terminal.waitFor('Password: ');
      terminal.type('bob-password\r');
      mark = await terminal.waitFor('Logging in…', mark);
      mark = await terminal.waitFor('Security PIN: ', mark);
      terminal.type('1234\r');
      expect(await terminal.exited).toBe(0);
      const screen = terminal.screen();
      expect(screen).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Logging in…/);
      expect(screen).not.toContain('bob-password');
      expect(screen).not.toContain('Security PIN: 1234');
      expect(screen).toContain('etna-auth: Logged in as bob.');
    } finally {
      terminal.child.kill('SIGKILL');
    }
  });

  it('cancels on Ctrl-C typed during a request: the request is aborted', async () => {
    server.inject({ kind: 'hang' });
    const terminal = onTerminal([...against(), '--username', 'alice', '--timeout', '60000']);
    try {
      await terminal.waitFor('Password: ');
      terminal.type('alice-password\r');
      await server.waitForRequests(1);
      terminal.type('\u0003');
      expect((await server.waitForEnd(0)).aborted).toBe(true);
      expect(await terminal.exited).toBe(130);
      expect(terminal.screen()).toContain('etna-auth: Cancelled.');
    } finally {
      terminal.child.kill('SIGKILL');
    }
  });
});
