// A canary run under XState's development build, which warns about every event sent to a stopped actor and
// quotes the event with JSON.stringify. The script (test/fixtures/development-build-login.ts) runs in its own
// process, since the build is chosen by the `development` export condition when xstate is first imported.
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DevelopmentBuildMode,
  type DevelopmentBuildReport,
  LIVE_CANARIES,
  STOPPED_CANARIES,
} from '../fixtures/development-build-canaries.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const SCRIPT = new URL('../fixtures/development-build-login.ts', import.meta.url).pathname;
const PATIENCE_MS = 30_000;

/** The warning the development build prints; the production build prints nothing. */
const STOPPED_WARNING = /^Event "([^"]+)" was sent to stopped actor .*\nEvent: (.*)$/gm;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: DevelopmentBuildReport | undefined;
}

/** Runs the script as `node [--conditions=…] --import tsx`, as an application's dev server would load xstate. */
function runScript(mode: DevelopmentBuildMode, conditions: readonly string[]): Promise<Run> {
  // NODE_OPTIONS could carry a --conditions of its own, and ETNA_* settings are the CLI's business.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS' && !name.startsWith('ETNA_')),
  );
  const child = spawn(
    process.execPath,
    [...conditions.map((condition) => `--conditions=${condition}`), '--import', 'tsx', SCRIPT, mode],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let stdout = '';
  let stderr = '';
  let report: DevelopmentBuildReport | undefined;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.on('message', (message) => {
    report = message as DevelopmentBuildReport;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the script was still running after ${PATIENCE_MS} ms; stderr:\n${stderr}`));
    }, PATIENCE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, report });
    });
  });
}

/** The `[event type, printed event]` of every stopped-actor warning in `stderr`. */
const warningsIn = (stderr: string) =>
  [...stderr.matchAll(STOPPED_WARNING)].map(([, type, printed]) => [type, printed] as const);

/** The names of every secret (canary or server token) found in the run's stdout or stderr. */
function leaksOf(run: Run, secrets: Readonly<Record<string, string>>): string[] {
  const leaks: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (run.stdout.includes(value)) leaks.push(`${name} in stdout`);
    if (run.stderr.includes(value)) leaks.push(`${name} in stderr`);
  }
  return leaks;
}

const prefixed = (prefix: string, secrets: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(secrets).map(([name, value]) => [`${prefix} ${name}`, value]));
const tokensOf = (report: DevelopmentBuildReport) =>
  Object.fromEntries(report.tokens.map((token, index) => [`server token #${index + 1}`, token]));

/** The checks every run must pass for its leak checks to mean anything: the script did log in, with the canaries. */
function expectCompleteRun(run: Run): DevelopmentBuildReport {
  expect(run.code, run.stderr).toBe(0);
  const { report } = run;
  if (!report) throw new Error(`the script sent no report; stderr:\n${run.stderr}`);
  expect(report.states).toEqual([
    '{"expecting":"verificationCode"}',
    '{"expecting":"securityPin"}',
    '{"expecting":"securityPin"}',
    '{"succeeded":"active"}',
    '{"expecting":"verificationCode"}',
  ]);
  // The wrapped values reached the wire as themselves: the login, not only its printout, used the canaries.
  expect(report.wire.passwords).toEqual(Array(6).fill(LIVE_CANARIES.password));
  expect(report.wire.codes).toEqual([null, LIVE_CANARIES.code, null, null, null, null]);
  expect(report.wire.pins).toEqual([null, null, LIVE_CANARIES.wrongPin, LIVE_CANARIES.pin, null, null]);
  // Three interim tokens and a session token for the login, one interim token for the second actor.
  expect(report.tokens).toHaveLength(5);
  expect(run.stdout).toContain('after SUBMIT_PIN: {');
  return report;
}

const SENT_AFTER_STOP = [
  'SUBMIT_CREDENTIALS',
  'SUBMIT_PIN',
  'SUBMIT_VERIFICATION_CODE',
  'RETRY',
  'CANCEL',
  'LOGOUT',
  'SESSION_REVOKED',
  'SESSION_EXPIRED',
  'SESSION_ADOPTED',
  'SESSION_ENDED_ELSEWHERE',
  'SESSION_ENDING_SOON',
  'SESSION_ACTIVITY',
  'SUBMIT_NEW_PIN',
  'SUBMIT_NEW_PASSWORD',
  'SUBMIT_SECRET_ANSWER',
  'SUBMIT_RESET_CODE',
  'RESEND_CODE',
  'FORGOT_PASSWORD',
  'SUBMIT_VERIFICATION_CODE',
  'CANCEL',
  'SUBMIT_PIN',
  'RETRY',
];

describe("under XState's development build", () => {
  let wrapped: Run;
  let plain: Run;
  let production: Run;
  beforeAll(async () => {
    [wrapped, plain, production] = await Promise.all([
      runScript('wrapped', ['development']),
      runScript('plain', ['development']),
      runScript('wrapped', []),
    ]);
  }, PATIENCE_MS * 2);

  it('loads the development build with --conditions=development, which warns about events to stopped actors', () => {
    const report = expectCompleteRun(wrapped);
    expect(report.xstateUrl).toMatch(/\/xstate\.development\.[\w.]+$/);
    expect(report.sentAfterStop).toEqual(SENT_AFTER_STOP);
    // One warning per event sent to a stopped actor, and none for the answer that came after its actor stopped.
    expect(warningsIn(wrapped.stderr).map(([type]) => type)).toEqual(SENT_AFTER_STOP);

    // Without the condition, the production build loads and says nothing: the warnings above are the dev build's.
    const quiet = expectCompleteRun(production);
    expect(quiet.xstateUrl).not.toMatch(/development/);
    expect(production.stderr).toBe('');
  });

  it('prints no password, code, PIN or token when every secret is sent as a Secret', () => {
    const report = expectCompleteRun(wrapped);
    expect(
      leaksOf(wrapped, {
        ...prefixed('live', LIVE_CANARIES),
        ...prefixed('stopped', STOPPED_CANARIES),
        ...tokensOf(report),
      }),
    ).toEqual([]);
    // The warnings did print the events, with each secret field in place and redacted.
    const printed = new Map(warningsIn(wrapped.stderr));
    expect(printed.get('SUBMIT_CREDENTIALS')).toBe(
      '{"type":"SUBMIT_CREDENTIALS","username":"dev-build-user","password":"[redacted]"}',
    );
    expect(printed.get('SUBMIT_PIN')).toBe('{"type":"SUBMIT_PIN","pin":"[redacted]"}');
    expect(printed.get('SUBMIT_VERIFICATION_CODE')).toBe(
      '{"type":"SUBMIT_VERIFICATION_CODE","code":"[redacted]"}',
    );
    expect(printed.get('SUBMIT_NEW_PASSWORD')).toBe(
      '{"type":"SUBMIT_NEW_PASSWORD","password":"[redacted]","confirmation":"[redacted]"}',
    );
    expect(printed.get('SUBMIT_SECRET_ANSWER')).toBe('{"type":"SUBMIT_SECRET_ANSWER","answer":"[redacted]"}');
    expect(printed.get('SUBMIT_RESET_CODE')).toBe('{"type":"SUBMIT_RESET_CODE","code":"[redacted]"}');
  });

  it('control: a secret sent as a plain string to a stopped actor is printed by the warning (why to wrap it)', () => {
    // XState's behaviour, not this library's: if it stops quoting events, this control fails, and the advice to
    // wrap secrets (EtnaAuthEvent's docs) needs a new reason, or none.
    const report = expectCompleteRun(plain);
    const warnings = warningsIn(plain.stderr);
    expect(warnings.map(([type]) => type)).toEqual(SENT_AFTER_STOP);
    const printed = warnings.map(([, event]) => event).join('\n');
    for (const [name, value] of Object.entries(STOPPED_CANARIES)) {
      expect(printed, `the plain ${name} in a stopped-actor warning`).toContain(JSON.stringify(value));
    }
    // While the actors run, the machine wraps plain strings as soon as it keeps them: nothing else leaks.
    expect(leaksOf(plain, { ...prefixed('live', LIVE_CANARIES), ...tokensOf(report) })).toEqual([]);
  });
});
