// `npm run login` is the terminal login of a clone: the package's own CLI, `etna-auth login --demo`, run from
// source. Run here as a person runs it, through npm, with the answers piped; in the CLI's own terms: the token
// alone on stdout, prompts and messages on stderr, one exit code per ending.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const TOKEN_LINE = /^[A-Za-z0-9+/]+=*\n$/;

function runLogin(answers: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // --silent: without it npm echoes the script's command line on stdout, before the token.
    const child = spawn('npm', ['run', '--silent', 'login'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(answers.map((line) => `${line}\n`).join(''));
  });
}

describe('npm run login: the CLI against its embedded fake server', () => {
  it('is `etna-auth login --demo`, run from source: no build needed', () => {
    expect(PACKAGE.scripts.login).toBe('tsx src/cli/etna-auth.ts login --demo');
  });

  it('lists the demo users and logs bob in after a wrong PIN, the token on stdout only', async () => {
    const { code, stdout, stderr } = await runLogin(['bob', 'bob-password', '9999', '1234']);
    expect(stderr).toContain('Demo: a fake ETNA server at http://127.0.0.1:');
    expect(stderr).toContain('bob    bob-password    PIN 1234');
    // bob's anti-phishing phrase, at each PIN prompt only: the list of demo users does not give it.
    expect(stderr.split('Blue heron at dawn')).toHaveLength(3);
    expect(stderr).toContain(
      'etna-auth: Your phrase: Blue heron at dawn\netna-auth: That PIN is not right.\nSecurity PIN: ',
    );
    expect(stderr).toContain('etna-auth: Logged in as bob.\n');
    expect(stdout).toMatch(TOKEN_LINE);
    expect(stderr).not.toContain(stdout.trim());
    expect(code).toBe(0);
  });

  it('shows the server reason and what to do, and exits 1, when the login is refused', async () => {
    const { code, stdout, stderr } = await runLogin(['carol', 'not-her-password']);
    expect(stderr).toContain(
      'etna-auth: Login refused. The username or password is not right.\n' +
        'etna-auth: Check what you typed, then try again.\n',
    );
    expect(stdout).toBe('');
    expect(code).toBe(1);
  });

  it('lets erin, whose password has expired, choose a new one, and logs her in with it', async () => {
    const { code, stdout, stderr } = await runLogin(['erin', 'erin-password', 'erin-new-1', 'erin-new-1']);
    expect(stderr).toContain(
      'etna-auth: Your password has expired and must be changed. Choose a new password.\n' +
        'New password: \nNew password again: \n',
    );
    expect(stderr).toContain('etna-auth: Logged in as erin.\n');
    expect(stderr).not.toContain('erin-new-1');
    expect(stdout).toMatch(TOKEN_LINE);
    expect(code).toBe(0);
  });

  it('lets frank, who has no security PIN yet, set one up, then asks for it with his new phrase', async () => {
    const { code, stdout, stderr } = await runLogin([
      'frank',
      'frank-password',
      '2',
      '2468',
      '2468',
      'Heron by the lake',
      '2468',
    ]);
    expect(stderr).toContain('etna-auth:   2  heron.png\n');
    expect(stderr).toContain('etna-auth: Your phrase: Heron by the lake\n');
    expect(stderr).toContain('etna-auth: Logged in as frank.\n');
    expect(stderr).not.toContain('2468');
    expect(stdout).toMatch(TOKEN_LINE);
    expect(code).toBe(0);
  });

  it('says what to type when a value is refused before anything is sent, then accepts a corrected one', async () => {
    const { code, stdout, stderr } = await runLogin(['alice', '', 'alice', 'alice-password']);
    expect(stderr).toContain('etna-auth: Enter your password.\n');
    expect(stderr).toContain('etna-auth: Logged in as alice.\n');
    expect(stdout).toMatch(TOKEN_LINE);
    expect(code).toBe(0);
  });

  it('exits 130 when its input ends mid-login', async () => {
    const { code, stdout, stderr } = await runLogin(['dave', 'dave-password']);
    expect(stderr).toContain('etna-auth: Enter the code we sent you by e-mail or text message.\n');
    expect(stderr).toContain('etna-auth: Demo mail to dave: verification code 654321\n');
    expect(stderr).toContain('Verification code (r or empty for a new code): ');
    expect(stderr).toContain('etna-auth: The input ended before the login finished.\n');
    expect(stdout).toBe('');
    expect(code).toBe(130);
  });
});
