import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const TSX = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;
const SCRIPT = new URL('../scripts/login.ts', import.meta.url).pathname;

function runLogin(answers: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.end(answers.map((line) => `${line}\n`).join(''));
  });
}

describe('npm run login: the terminal login against the embedded fake server', () => {
  it('lists the demo users and logs bob in after a wrong PIN, without printing the token', async () => {
    const { code, stdout } = await runLogin(['bob', 'bob-password', '9999', '1234']);
    expect(stdout).toContain('bob    bob-password    PIN 1234');
    expect(stdout).toContain('Invalid pin — PIN:');
    expect(stdout).toMatch(/logged in as bob; session token of \d+ characters \(not printed\)/);
    expect(code).toBe(0);
  });

  it('shows the server reason and exits 1 when the login is refused', async () => {
    const { code, stdout } = await runLogin(['carol', 'not-her-password']);
    expect(stdout).toContain('login refused: Invalid credentials (BaseAuthentication)');
    expect(code).toBe(1);
  });

  it('tells erin, whose password has expired, to change it with the broker first', async () => {
    const { code, stdout } = await runLogin(['erin', 'erin-password']);
    expect(stdout).toContain(
      'password expired: Your Password has expired and must be changed (BaseAuthentication)\n' +
        'Change the password with the broker first, then log in again.',
    );
    expect(stdout).not.toContain('login refused');
    expect(code).toBe(1);
  });

  it('tells frank, who has no security PIN yet, to set one up first', async () => {
    const { code, stdout } = await runLogin(['frank', 'frank-password']);
    expect(stdout).toContain(
      'no security PIN set up: PIN code is not init (SecutityPin)\n' +
        'Set up a security PIN with the broker first, then log in again.',
    );
    expect(stdout).not.toContain('login refused');
    expect(code).toBe(1);
  });

  it('says which field was refused before anything is sent, then accepts a corrected one', async () => {
    const { code, stdout } = await runLogin(['alice', '', 'alice', 'alice-password']);
    expect(stdout).toContain('! password is required');
    expect(stdout).toContain('logged in as alice');
    expect(code).toBe(0);
  });

  it('exits 2 when its input ends mid-login', async () => {
    const { code, stdout } = await runLogin(['dave', 'dave-password']);
    expect(stdout).toContain('Expecting confirmation code — code:');
    expect(code).toBe(2);
  });
});
