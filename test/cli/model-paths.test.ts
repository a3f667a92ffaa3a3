import { describe, type ExpectStatic, expect, it } from 'vitest';
import type { EtnaAuthFailure, EtnaFailureCode } from '../../src/index.js';
import { describeError, describeReason, englishMessages } from '../../src/messages/index.js';
import {
  FAKE_ETNA_ROUTES,
  getEtnaAuthPaths,
  injectServerAnswer,
  MODEL_BUSY_ENDPOINTS,
  MODEL_OUTCOMES,
  MODEL_SESSION_TOKEN,
  MODEL_USER,
  MODEL_USER_EVENTS,
  type ModelEndpoint,
  type ModelExpectation,
  type ModelPath,
  type ModelStep,
  startFakeEtnaServer,
} from '../../src/testing/index.js';
import { plainWordsProblems } from '../plain-words.js';
import { startCli } from './cli-process.js';

const MAX_STEPS = 2;
/** The resend cooldown of a path that waits for it: short, so a `wait` step lasts a moment. */
const RESEND_COOLDOWN_MS = 300;

/**
 * A model path as the CLI can live it. The CLI starts fresh (it keeps no session), types answers, sends
 * FORGOT_PASSWORD only from `--forgot-password`, answers "Try again?" for RETRY in `error`, and sends CANCEL on
 * Ctrl-C; it exits in `succeeded` and `failed` (and in `error` when RETRY cannot help), so a path is cut there.
 * It never sends RETRY from `failed` or LOGOUT, and a session step needs a session the CLI has left: a path that
 * needs one of these before it is cut is skipped, with the reason.
 */
interface CliPlan {
  readonly description: string;
  readonly steps: readonly ModelStep[];
  /** Started with --forgot-password: the path starts with FORGOT_PASSWORD. */
  readonly forgot: boolean;
  /**
   * exit: the CLI exits by itself; decline: it asks "Try again?" in `error`, and the test says no (or ends the
   * input); cancelled: the path's CANCEL was Ctrl-C; interrupt, endInput: the test ends it.
   */
  readonly ending: 'exit' | 'decline' | 'cancelled' | 'interrupt' | 'endInput';
}

interface Skipped {
  readonly description: string;
  readonly reason: string;
}

const SKIP = {
  restored: 'starts from a stored session (at once, or read later): the CLI keeps no session between runs',
  session: 'a session step needs the live session, and the CLI exits once it has printed the token',
  logout: 'LOGOUT needs the live session, and the CLI exits once it has printed the token',
  forgotLater: 'the CLI starts a reset only with --forgot-password, before any credentials',
  credentialsInReset: 'a --forgot-password run asks for no credentials before its reset',
  otherTab: "another tab's login or logout needs a storage that tabs share; the CLI keeps no session",
} as const;

const isCliExit = (expected: ModelExpectation) =>
  expected.state === 'succeeded.active' ||
  expected.state === 'failed' ||
  // A refused app key would be refused again: no "Try again?".
  (expected.state === 'error' && !expected.canRetry && expected.error?.kind !== 'rateLimited');

const hasOtherTab = (path: ModelPath) => path.steps.some((step) => step.kind === 'otherTab');

function planOf(path: ModelPath): CliPlan | Skipped {
  const cut = (count: number) => path.description.split(' → ').slice(0, count).join(' → ');
  if (path.start !== 'fresh') return { description: path.description, reason: SKIP.restored };
  const first = path.steps[0];
  const forgot = first?.kind === 'user' && first.event.type === 'FORGOT_PASSWORD';
  const steps: ModelStep[] = [];
  for (const step of path.steps) {
    const skip = (reason: string): Skipped => ({ description: path.description, reason });
    if (step.kind === 'session') return skip(SKIP.session);
    if (step.kind === 'otherTab') return skip(SKIP.otherTab);
    if (step.kind === 'user') {
      const { type } = step.event;
      if (type === 'LOGOUT') return skip(SKIP.logout);
      if (type === 'FORGOT_PASSWORD' && steps.some((done) => done.expected.state !== 'idle'))
        return skip(SKIP.forgotLater);
      if (forgot && type === 'SUBMIT_CREDENTIALS') return skip(SKIP.credentialsInReset);
    }
    steps.push(step);
    const description = cut(steps.length);
    if (isCliExit(step.expected)) return { description, steps, forgot, ending: 'exit' };
    if (step.kind === 'user' && step.event.type === 'CANCEL') {
      return { description, steps, forgot, ending: 'cancelled' };
    }
  }
  const last = steps.at(-1)?.expected;
  const ending = last?.state === 'error' ? 'decline' : last?.busy ? 'interrupt' : 'endInput';
  return { description: path.description, steps, forgot, ending };
}

const paths = getEtnaAuthPaths({ maxSteps: MAX_STEPS });
const planned = paths.map(planOf);
const skipped = planned.filter((plan): plan is Skipped => 'reason' in plan);
// Paths cut at the same exit run once.
const plans = [
  ...new Map(
    planned.flatMap((plan) => ('reason' in plan ? [] : [[plan.description, plan] as const])),
  ).values(),
];
/** Runs of a path stopped where the CLI exits (the rest of the path, e.g. RETRY from `failed`, is the UI's). */
const cutShort = paths.flatMap((path, index) => {
  const plan = planned[index];
  return plan && !('reason' in plan) && plan.description !== path.description ? [{ path, plan }] : [];
});
const exits = plans.filter((plan) => plan.ending === 'exit').map((plan) => plan.steps.at(-1)?.expected);
const stepsRun = plans.flatMap((plan) => plan.steps);
const tally = (names: readonly string[]) =>
  [...new Set(names)].map((name) => `${name} ${names.filter((other) => other === name).length}`).join(', ');

// What runs, and what does not, in the test output.
console.log(
  [
    `model paths: ${paths.length} (${paths.reduce((sum, path) => sum + path.steps.length, 0)} steps)`,
    `run through the CLI: ${plans.length} plans from ${planned.length - skipped.length} paths, ${stepsRun.length} steps`,
    `  steps: ${tally(stepsRun.map((step) => (step.kind === 'wait' ? `wait(${step.until})` : step.kind)))}`,
    `  user events: ${tally(stepsRun.flatMap((step) => (step.kind === 'user' ? [step.event.type] : [])))}`,
    `  endings: ${tally(plans.map((plan) => plan.ending))}`,
    `  cut short where the CLI exits: ${cutShort.length}`,
    ...cutShort.map(
      ({ path, plan }) =>
        `    ${plan.description}; not run: ${path.description.slice(plan.description.length + 3)}`,
    ),
    `skipped: ${skipped.length}`,
    ...skipped.map((skip) => `  ${skip.description}: ${skip.reason}`),
  ].join('\n'),
);

/**
 * What the CLI must say on stderr, and exit with, for each failure code: written out here, not taken from
 * src/cli, so a changed message or code fails. The server's Reason is said in the catalog's words (never its
 * Step), as every screen of the package says it.
 */
const FAILURE_EXPECTATIONS: Readonly<
  Record<EtnaFailureCode, (failure: EtnaAuthFailure) => { lines: string[]; code: number }>
> = {
  rejected: ({ reason }) => ({
    lines: [`Login refused. ${describeReason(reason)}`, 'Check what you typed, then try again.'],
    code: 1,
  }),
  unsupportedStep: ({ reason }) => ({
    lines: [
      `The server asked for a step this tool cannot answer. It said: ${describeReason(reason)}`,
      "Finish this login on your broker's website or app: this step cannot be answered here.",
    ],
    code: 1,
  }),
  passwordExpired: ({ reason }) => ({
    lines: [
      describeReason(reason),
      "Change your password on your broker's website or app, then log in with the new one.",
    ],
    code: 4,
  }),
  pinNotInitialized: ({ reason }) => ({
    lines: [
      describeReason(reason),
      "Set up a security PIN on your broker's website or app, then log in again.",
    ],
    code: 5,
  }),
  resetRefused: ({ reason }) => ({
    lines: [
      `Password reset refused. ${describeReason(reason)}`,
      "Reset your password on your broker's website or app, or ask the broker's support.",
    ],
    code: 6,
  }),
};

const RETRY_PROMPT = 'Try again? [y/N]: ';
const RESEND_NOW = 'etna-auth: You can now ask for a new code: type r (or an empty line).';
const NEW_CODE_SENT = `etna-auth: ${englishMessages.notices.codeResent}`;
const PIN_PROMPT = 'Security PIN: ';
const CODE_PROMPT = 'Verification code (r or empty for a new code): ';

/** What the CLI says of a step the server asks, above its prompt: the Reason in the catalog's words. */
const stepLine = ({ state, reason }: ModelExpectation) =>
  `etna-auth: ${describeReason(reason) || englishMessages.prompts[state === 'expecting.securityPin' ? 'securityPin' : 'verificationCode']}\n`;
/** The question the CLI asks in a state that waits for the user, or undefined. */
function promptOf(expected: ModelExpectation): string | undefined {
  switch (expected.state) {
    case 'expecting.securityPin':
      return PIN_PROMPT;
    case 'expecting.verificationCode':
      return CODE_PROMPT;
    case 'pinSetup.choosing':
      return `Security image number (1-${expected.securityImages?.length}): `;
    case 'passwordChange.editing':
    case 'passwordReset.newPassword':
      return 'New password: ';
    case 'passwordReset.question':
      return 'Answer: ';
    case 'passwordReset.code':
      return 'Reset code: ';
    case 'error':
      return expected.canRetry ? RETRY_PROMPT : undefined;
    default:
      return undefined;
  }
}

/** Where a request to `endpoint` goes on the fake server. */
const pathOf = (endpoint: ModelEndpoint) => `/api/${FAKE_ETNA_ROUTES[endpoint].path}`;

const SECRETS = [
  MODEL_USER.password,
  MODEL_USER.pin,
  MODEL_USER.code,
  MODEL_USER.newPin,
  MODEL_USER.newPassword,
  MODEL_USER.secretAnswer,
  MODEL_USER.resetCode,
];

const count = (text: string, part: string) => text.split(part).length - 1;

async function driveCli(plan: CliPlan, variant: boolean, expect: ExpectStatic) {
  // A refused FORGOT_PASSWORD is an empty username: typed at the prompt, since from --username it exits 2.
  const usernameOption =
    variant &&
    !plan.steps.some(
      (step) => step.kind === 'user' && step.event.type === 'FORGOT_PASSWORD' && !step.event.username,
    );
  const waitsForResend = plan.steps.some((step) => step.kind === 'wait' && step.until === 'resend');
  const server = await startFakeEtnaServer();
  // The first step's answers are queued before the CLI starts: with --username, a reset sends at once.
  const [first] = plan.steps;
  if (first) injectServerAnswer(server, first);
  const cli = startCli([
    'login',
    ...['--base-url', server.url, '--app-key', server.appKey],
    // A short timeout only where the model's server never answers: elsewhere Ctrl-C alone can end a request.
    ...[
      '--timeout',
      plan.steps.some((step) => step.kind === 'server' && step.outcome.endsWith('timeout')) ? '400' : '60000',
    ],
    ...['--max-steps', String(MAX_STEPS)],
    ...(waitsForResend ? ['--resend-cooldown', String(RESEND_COOLDOWN_MS)] : []),
    ...(plan.forgot ? ['--forgot-password'] : []),
    ...(usernameOption ? ['--username', MODEL_USER.username] : []),
  ]);
  let mark = 0; // stderr already read
  let previous: ModelExpectation | undefined;
  try {
    for (const [index, step] of plan.steps.entries()) {
      const where = `step ${index + 1} of ${plan.description}`;
      const sent = server.requests.length;
      const wasBusy = previous?.busy === true;
      /** Waits for a question, then answers it; the last answer of a step first queues the server's answers. */
      const reply = async (question: string, answer: string, last = true) => {
        mark = await cli.waitForStderr(question, mark);
        if (last && index > 0) injectServerAnswer(server, step);
        cli.answer(answer);
      };
      if (step.kind === 'user') {
        const { event } = step;
        const asked = previous && promptOf(previous);
        switch (event.type) {
          case 'SUBMIT_CREDENTIALS':
            if (!usernameOption) await reply('Username: ', event.username, false);
            await reply('Password: ', event.password);
            break;
          case 'FORGOT_PASSWORD':
            if (!usernameOption) await reply('Username: ', event.username);
            break;
          case 'SUBMIT_PIN':
            if (!asked) throw new Error(`${where}: no PIN prompt`);
            if (previous?.personalPhrase) {
              mark = await cli.waitForStderr(`etna-auth: Your phrase: ${previous.personalPhrase}\n`, mark);
            }
            await reply(asked, event.pin);
            break;
          case 'SUBMIT_VERIFICATION_CODE':
          case 'RESEND_CODE':
            if (!asked) throw new Error(`${where}: no code prompt`);
            // Both ways of asking for a new code: r, and an empty line.
            await reply(asked, event.type === 'RESEND_CODE' ? (index % 2 ? 'r' : '') : event.code);
            break;
          case 'SUBMIT_NEW_PIN': {
            if (!asked) throw new Error(`${where}: no image prompt`);
            const images = previous?.securityImages ?? [];
            for (const [at, image] of images.entries()) {
              mark = await cli.waitForStderr(`etna-auth:   ${at + 1}  ${image}\n`, mark);
            }
            await reply(asked, String(images.indexOf(event.imageName) + 1), false);
            await reply('New PIN: ', event.pin, false);
            await reply('New PIN again: ', event.pin, false);
            await reply('Personal phrase (shown with your PIN prompt from now on): ', event.personalPhrase);
            break;
          }
          case 'SUBMIT_NEW_PASSWORD':
            await reply('New password: ', event.password, false);
            await reply('New password again: ', event.confirmation);
            break;
          case 'SUBMIT_SECRET_ANSWER':
            mark = await cli.waitForStderr(`etna-auth: Secret question: ${previous?.secretQuestion}\n`, mark);
            await reply('Answer: ', event.answer);
            break;
          case 'SUBMIT_RESET_CODE':
            await reply('Reset code: ', event.code);
            break;
          case 'RETRY':
            await reply(RETRY_PROMPT, 'y');
            break;
          case 'CANCEL':
            cli.interrupt();
            break;
          default:
            throw new Error(`${where}: the CLI cannot send ${event.type}`);
        }
        if (step.serverAnswer) {
          await server.waitForRequests(sent + 1);
          expect(server.requests[sent]?.path, `${where}: the request`).toBe(
            pathOf(step.serverAnswer.endpoint),
          );
        }
      }
      const { expected } = step;
      if (step.kind === 'server' && expected.busy) {
        // An answer the machine goes on from by itself: the re-login after a PIN set-up, say.
        await server.waitForRequests(sent + 1);
        const endpoint = MODEL_BUSY_ENDPOINTS[expected.state] as ModelEndpoint;
        expect(server.requests[sent]?.path, `${where}: the request it starts`).toBe(pathOf(endpoint));
      }
      if (expected.busy) expect(server.requests.length, `${where}: one request in flight`).toBe(sent + 1);
      // The machine's own timer ends the wait: the CLI says so (then asks for the code again), or asks "Try again?".
      if (step.kind === 'wait' && step.until === 'resend') mark = await cli.waitForStderr(RESEND_NOW, mark);
      if (step.kind === 'wait' && step.until === 'retry') await cli.waitForStderr(RETRY_PROMPT, mark);
      if (expected.error?.kind === 'input')
        await cli.waitForStderr(`etna-auth: ${describeError(expected.error)}\n`, mark);
      // A step the server asks for is said above its prompt, once per answer.
      if (
        step.kind === 'server' &&
        !expected.error &&
        (expected.state === 'expecting.securityPin' || expected.state === 'expecting.verificationCode')
      )
        await cli.waitForStderr(stepLine(expected), mark);
      const { serverErrors } = expected;
      if (
        serverErrors?.length &&
        expected.state !== 'failed' &&
        JSON.stringify(serverErrors) !== JSON.stringify(previous?.serverErrors)
      ) {
        await cli.waitForStderr(`etna-auth: The server said: ${serverErrors[0]}\n`, mark);
      }
      if (expected.state === 'expecting.verificationCode' && step.kind === 'server') {
        // A resend that failed: what went wrong, and that the code already sent still works.
        if (expected.error) {
          await cli.waitForStderr(
            `etna-auth: ${describeError(expected.error)} ${englishMessages.notices.codeStillWorks}\n`,
            mark,
          );
        }
        if (expected.error?.kind === 'rateLimited') {
          const seconds = Math.ceil((expected.error.retryAfterMs ?? 0) / 1000);
          await cli.waitForStderr(`etna-auth: You can ask for a new code in ${seconds} s.\n`, mark);
        }
        if (expected.codeResent) await cli.waitForStderr(NEW_CODE_SENT, mark);
      }
      if (expected.state === 'error' && step.kind === 'server' && expected.error) {
        await cli.waitForStderr(`etna-auth: ${describeError(expected.error)}\n`, mark);
        if (expected.error.kind === 'rateLimited') {
          const seconds = Math.ceil((expected.error.retryAfterMs ?? 0) / 1000);
          await cli.waitForStderr(`etna-auth: You can try again in ${seconds} s.\n`, mark);
          // Asked only once the machine offers RETRY again, two seconds from now.
          expect(cli.stderr().indexOf(RETRY_PROMPT, mark), `${where}: no "Try again?" yet`).toBe(-1);
        }
      }
      const asked = promptOf(expected);
      if (asked) await cli.waitForStderr(asked, mark);
      if (wasBusy && step.kind === 'user' && !expected.busy) {
        const inFlight = await server.waitForEnd(sent - 1);
        expect(inFlight.aborted, `${where}: Ctrl-C aborts the request in flight`).toBe(true);
      }
      previous = step.expected;
    }

    const last = plan.steps.at(-1)?.expected;
    if (plan.ending === 'interrupt') cli.interrupt();
    if (plan.ending === 'endInput') cli.endInput();
    if (plan.ending === 'decline') {
      // No, or the end of the input: either way the error's exit code.
      mark = await cli.waitForStderr(RETRY_PROMPT, mark);
      if (variant) cli.answer('n');
      else cli.endInput();
    }
    const code = await cli.exitWithin();
    const stdout = cli.stdout();
    const stderr = cli.stderr();
    if (plan.ending === 'interrupt') {
      const inFlight = await server.waitForEnd(server.requests.length - 1);
      expect(inFlight.aborted, 'Ctrl-C aborts the request in flight').toBe(true);
    }
    expect(stderr, 'no spinner when stderr is not a terminal').not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    switch (plan.ending === 'exit' || plan.ending === 'decline' ? last?.state : plan.ending) {
      case 'succeeded.active':
        expect(stdout, 'only the token on stdout').toBe(`${MODEL_SESSION_TOKEN}\n`);
        expect(stderr).toContain(`etna-auth: Logged in as ${MODEL_USER.username}.\n`);
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
        if (!last?.error) throw new Error(`${plan.description}: error without an error`);
        expect(stderr).toContain(`etna-auth: ${describeError(last.error)}\n`);
        expect(stderr).not.toContain('The input ended');
        expect(stdout).toBe('');
        expect(code).toBe(3);
        break;
      }
      case 'cancelled':
      case 'interrupt':
        expect(stderr).toContain('etna-auth: Cancelled.\n');
        expect(stdout).toBe('');
        expect(code).toBe(130);
        break;
      case 'endInput':
        expect(stderr).toContain('etna-auth: The input ended before the login finished.\n');
        expect(stdout).toBe('');
        expect(code).toBe(130);
        break;
      default:
        throw new Error(`${plan.description}: no check for ${plan.ending} in ${last?.state}`);
    }
    for (const secret of SECRETS) expect(stderr, 'secrets are never echoed').not.toContain(secret);
    // Every line reads as words for people: no internal name, no developer's message, no lower-case start.
    const said = stderr.split('\n').map((line) => line.replace(/^etna-auth: /, ''));
    expect(plainWordsProblems(said), 'the words on the terminal').toEqual([]);
    // The anti-phishing phrase only where the PIN is asked for.
    expect(count(stderr, MODEL_USER.personalPhrase), 'the phrase only at the PIN prompt').toBe(
      count(stderr, `etna-auth: Your phrase: ${MODEL_USER.personalPhrase}\n`),
    );
  } finally {
    cli.child.kill('SIGKILL');
    await server.close();
  }
}

describe(`etna-auth login, driven by the ${plans.length} generated model plans the CLI can take`, () => {
  it('skips only the paths a terminal cannot express, and says why', () => {
    expect(skipped.length).toBeGreaterThan(0);
    // Only a stored session's paths (LOGOUT and session steps come only after one) and another tab's are out of
    // reach.
    expect(new Set(skipped.map((skip) => skip.reason))).toEqual(new Set([SKIP.restored, SKIP.otherTab]));
    for (const path of paths.filter((candidate) => candidate.start === 'fresh' && !hasOtherTab(candidate))) {
      expect(plans.map((plan) => plan.description).some((run) => path.description.startsWith(run))).toBe(
        true,
      );
    }
    expect(plans.some((plan) => plan.description.startsWith('(restored)'))).toBe(false);
  });

  it('runs every fresh path that ends where the CLI exits, whole', () => {
    const ending = paths.filter((path) => {
      const last = path.steps.at(-1)?.expected;
      return path.start === 'fresh' && !hasOtherTab(path) && last !== undefined && isCliExit(last);
    });
    expect(ending.length).toBeGreaterThan(0);
    for (const path of ending) expect(plans.map((plan) => plan.description)).toContain(path.description);
    expect(new Set(exits.map((expected) => expected?.state))).toEqual(
      new Set(['succeeded.active', 'failed', 'error']),
    );
  });

  it('includes every failure code, every server answer but the logout and storage ones, both waits and every user event but LOGOUT', () => {
    const codes = new Set(exits.map((expected) => expected?.failure?.code).filter(Boolean));
    expect(codes).toEqual(new Set(Object.keys(FAILURE_EXPECTATIONS)));
    const answered = new Set(
      plans.flatMap((plan) => plan.steps.flatMap((step) => (step.kind === 'server' ? [step.outcome] : []))),
    );
    // A CLI keeps no session: no logout to answer, no storage to read.
    const outcomes = MODEL_OUTCOMES.filter(
      (outcome) => outcome.endpoint !== 'logout' && outcome.endpoint !== 'storage',
    );
    expect(outcomes.map((outcome) => outcome.endpoint)).toEqual(
      expect.arrayContaining(['token', 'securityImages', 'pinChange', 'passwordChange', 'secretQuestion']),
    );
    for (const outcome of outcomes) expect(answered, outcome.name).toContain(outcome.name);
    const waits = new Set(
      plans.flatMap((plan) => plan.steps.flatMap((step) => (step.kind === 'wait' ? [step.until] : []))),
    );
    expect(waits).toEqual(new Set(['retry', 'resend']));
    const sent = new Set(
      plans.flatMap((plan) => plan.steps.flatMap((step) => (step.kind === 'user' ? [step.event.type] : []))),
    );
    const types = new Set(MODEL_USER_EVENTS.map((event) => event.type));
    types.delete('LOGOUT');
    expect(sent).toEqual(types);
  });

  it.concurrent.for(plans.map((plan, index) => [plan.description, plan, index % 2 === 0] as const))(
    '%s',
    async ([, plan, variant], { expect }) => {
      await driveCli(plan, variant, expect);
    },
  );
});
