import { describe, type ExpectStatic, expect, it } from 'vitest';
import type { EtnaAuthFailure, EtnaFailureCode } from '../../src/index.js';
import {
  getEtnaAuthPaths,
  injectServerAnswer,
  MODEL_OUTCOMES,
  MODEL_SESSION_TOKEN,
  MODEL_USER,
  type ModelExpectation,
  type ModelPath,
  type ModelStep,
  startFakeEtnaServer,
} from '../../src/testing/index.js';
import { startCli } from './cli-process.js';

const MAX_STEPS = 2;

/**
 * A model path as the CLI can live it: it starts fresh (it keeps no session), types answers and Ctrl-C
 * (CANCEL), and it exits in `succeeded`, `failed` and `error`, so a path is cut there. It never sends RETRY
 * or LOGOUT, and a session step needs a session the CLI has left: a path that needs them first is left out.
 */
interface CliPlan {
  readonly description: string;
  readonly steps: readonly ModelStep[];
  /** exit: by itself in a final state; cancelled: the path's CANCEL was Ctrl-C; otherwise the test ends it. */
  readonly ending: 'exit' | 'cancelled' | 'interrupt' | 'endInput';
}

const FINAL_STATES = new Set(['succeeded', 'failed', 'error']);

function planOf(path: ModelPath): CliPlan | undefined {
  if (path.start !== 'fresh') return undefined;
  const steps: ModelStep[] = [];
  const describe = () => path.description.split(' → ').slice(0, steps.length).join(' → ');
  for (const step of path.steps) {
    if (step.kind === 'session') return undefined;
    if (step.kind === 'user' && (step.event.type === 'RETRY' || step.event.type === 'LOGOUT'))
      return undefined;
    steps.push(step);
    if (FINAL_STATES.has(step.expected.state)) return { description: describe(), steps, ending: 'exit' };
    if (step.kind === 'user' && step.event.type === 'CANCEL') {
      return { description: describe(), steps, ending: 'cancelled' };
    }
  }
  const last = steps.at(-1);
  return { description: describe(), steps, ending: last?.expected.busy ? 'interrupt' : 'endInput' };
}

const paths = getEtnaAuthPaths({ maxSteps: MAX_STEPS });
const plans = [
  ...new Map(
    paths.flatMap((path) => {
      const plan = planOf(path);
      return plan ? [[plan.description, plan] as const] : [];
    }),
  ).values(),
];
const exits = plans.filter((plan) => plan.ending === 'exit').map((plan) => plan.steps.at(-1)?.expected);

/**
 * What the CLI must say on stderr, and exit with, for each failure code: written out here, not taken from
 * src/cli, so a changed message or code fails.
 */
const FAILURE_EXPECTATIONS: Readonly<
  Record<EtnaFailureCode, (failure: EtnaAuthFailure) => { lines: string[]; code: number }>
> = {
  rejected: ({ step, reason }) => ({
    lines: [`login refused: ${reason} (${step})`, 'Check what you typed, then try again.'],
    code: 1,
  }),
  unsupportedStep: ({ step, reason }) => ({
    lines: [
      `the server asked for a step this tool cannot answer: Step "${step}", Reason "${reason}"`,
      "Finish this login on your broker's website or app: this step cannot be answered here.",
    ],
    code: 1,
  }),
  passwordExpired: ({ step, reason }) => ({
    lines: [
      `the password has expired: ${reason} (${step})`,
      "Change your password on your broker's website or app, then log in with the new one.",
    ],
    code: 4,
  }),
  pinNotInitialized: ({ step, reason }) => ({
    lines: [
      `no security PIN is set up for this account: ${reason} (${step})`,
      "Set up a security PIN on your broker's website or app, then log in again.",
    ],
    code: 5,
  }),
};

const prompt = (expected: ModelExpectation) =>
  expected.state === 'expecting.securityPin'
    ? `Security PIN (${expected.reason}): `
    : `Verification code (${expected.reason}): `;

async function driveCli(plan: CliPlan, usernameOption: boolean, expect: ExpectStatic) {
  const server = await startFakeEtnaServer();
  const cli = startCli([
    'login',
    ...['--base-url', server.url, '--app-key', server.appKey],
    // A short timeout only where the model's server never answers: elsewhere Ctrl-C alone can end a request.
    ...[
      '--timeout',
      plan.steps.some((step) => step.kind === 'server' && step.outcome === 'timeout') ? '400' : '60000',
    ],
    ...['--max-steps', String(MAX_STEPS)],
    ...(usernameOption ? ['--username', MODEL_USER.username] : []),
  ]);
  let mark = 0; // stderr already read
  let previous: ModelExpectation | undefined;
  try {
    for (const [index, step] of plan.steps.entries()) {
      const where = `step ${index + 1} of ${plan.description}`;
      const sent = server.requests.length;
      const wasBusy = previous?.busy === true;
      if (step.kind === 'user') {
        const { event } = step;
        switch (event.type) {
          case 'SUBMIT_CREDENTIALS':
            if (!usernameOption) {
              mark = await cli.waitForStderr('Username: ', mark);
              cli.answer(event.username);
            }
            mark = await cli.waitForStderr('Password: ', mark);
            injectServerAnswer(server, step);
            cli.answer(event.password);
            break;
          case 'SUBMIT_PIN':
          case 'SUBMIT_VERIFICATION_CODE':
            if (!previous) throw new Error(`${where}: a prompt needs a previous step`);
            mark = await cli.waitForStderr(prompt(previous), mark);
            injectServerAnswer(server, step);
            cli.answer(event.type === 'SUBMIT_PIN' ? event.pin : event.code);
            break;
          case 'CANCEL':
            cli.interrupt();
            break;
          default:
            throw new Error(`${where}: the CLI cannot send ${event.type}`);
        }
        if (step.serverAnswer) {
          await server.waitForRequests(sent + 1);
          expect(server.requests[sent]?.path, `${where}: the request goes to /token`).toBe('/api/token');
        }
      }
      const { expected } = step;
      if (expected.busy) expect(server.requests.length, `${where}: one request in flight`).toBe(sent + 1);
      if (expected.error?.kind === 'input')
        await cli.waitForStderr(`etna-auth: ${expected.error.field} `, mark);
      if (expected.state.startsWith('expecting.')) await cli.waitForStderr(prompt(expected), mark);
      if (wasBusy && step.kind === 'user' && !expected.busy) {
        const inFlight = await server.waitForEnd(sent - 1);
        expect(inFlight.aborted, `${where}: Ctrl-C aborts the request in flight`).toBe(true);
      }
      previous = step.expected;
    }

    const last = plan.steps.at(-1)?.expected;
    if (plan.ending === 'interrupt') cli.interrupt();
    if (plan.ending === 'endInput') cli.endInput();
    const code = await cli.exitWithin();
    const stdout = cli.stdout();
    const stderr = cli.stderr();
    if (plan.ending === 'interrupt') {
      const inFlight = await server.waitForEnd(server.requests.length - 1);
      expect(inFlight.aborted, 'Ctrl-C aborts the request in flight').toBe(true);
    }
    expect(stderr, 'no spinner when stderr is not a terminal').not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    switch (plan.ending === 'exit' ? last?.state : plan.ending) {
      case 'succeeded':
        expect(stdout, 'only the token on stdout').toBe(`${MODEL_SESSION_TOKEN}\n`);
        expect(stderr).toContain(`etna-auth: logged in as ${MODEL_USER.username}`);
        expect(stderr).not.toContain(MODEL_SESSION_TOKEN);
        expect(code).toBe(0);
        break;
      case 'failed': {
        if (!last?.failure) throw new Error(`${plan.description}: failed without a failure`);
        const { lines, code: exitCode } = FAILURE_EXPECTATIONS[last.failure.code](last.failure);
        expect(stderr, `the message for ${last.failure.code}`).toContain(
          lines.map((line) => `etna-auth: ${line}\n`).join(''),
        );
        expect(stdout).toBe('');
        expect(code, `the exit code for ${last.failure.code}`).toBe(exitCode);
        break;
      }
      case 'error': {
        const status = last?.error?.status === undefined ? '' : `, HTTP ${last.error.status}`;
        expect(stderr).toContain(`etna-auth: no usable answer (${last?.error?.kind}${status})`);
        expect(stdout).toBe('');
        expect(code).toBe(3);
        break;
      }
      case 'cancelled':
      case 'interrupt':
        expect(stderr).toContain('etna-auth: cancelled');
        expect(stdout).toBe('');
        expect(code).toBe(130);
        break;
      case 'endInput':
        expect(stderr).toContain('etna-auth: the input ended before the login finished');
        expect(stdout).toBe('');
        expect(code).toBe(130);
        break;
    }
    expect(stderr, 'secrets are never echoed').not.toContain(MODEL_USER.password);
  } finally {
    cli.child.kill('SIGKILL');
    await server.close();
  }
}

describe(`etna-auth login, driven by the ${plans.length} generated model paths the CLI can take`, () => {
  it('includes every fresh path that ends in succeeded, failed or error, and only fresh paths', () => {
    expect(new Set(exits.map((expected) => expected?.state))).toEqual(new Set(FINAL_STATES));
    const ending = paths.filter(
      (path) => path.start === 'fresh' && FINAL_STATES.has(path.steps.at(-1)?.expected.state ?? ''),
    );
    expect(ending.length).toBeGreaterThan(0);
    for (const path of ending) expect(plans.map((plan) => plan.description)).toContain(path.description);
    expect(plans.some((plan) => plan.description.startsWith('(restored)'))).toBe(false);
  });

  it('includes every failure code and every answer /token can give', () => {
    const codes = new Set(exits.map((expected) => expected?.failure?.code).filter(Boolean));
    expect(codes).toEqual(new Set(Object.keys(FAILURE_EXPECTATIONS)));
    const answered = new Set(
      plans.flatMap((plan) => plan.steps.flatMap((step) => (step.kind === 'server' ? [step.outcome] : []))),
    );
    const tokenOutcomes = MODEL_OUTCOMES.filter((outcome) => outcome.endpoint === 'token');
    expect(tokenOutcomes.map((outcome) => outcome.name)).toEqual(
      expect.arrayContaining([
        'password expired (401 Failed)',
        'password expired (202 Expecting)',
        'PIN not initialized',
      ]),
    );
    for (const outcome of tokenOutcomes) expect(answered, outcome.name).toContain(outcome.name);
  });

  it.concurrent.for(plans.map((plan, index) => [plan.description, plan, index % 2 === 0] as const))(
    '%s',
    async ([, plan, usernameOption], { expect }) => {
      await driveCli(plan, usernameOption, expect);
    },
  );
});
