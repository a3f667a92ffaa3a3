// The screen contract the three example components share, and a driver that runs a model path through it.
// The components differ in framework only: the same headings, labels, buttons, notices and alerts, so one
// driver, written against the DOM with Testing Library, proves all three against the same generated paths.
import { screen, waitFor } from '@testing-library/dom';
import type { UserEvent } from '@testing-library/user-event';
import {
  DEFAULT_PERSIST_KEY,
  type EtnaAuthErrorData,
  type EtnaFailureCode,
  type EtnaSessionStorage,
} from 'etna-auth';
import {
  createModelMachine,
  type FakeEtnaServer,
  injectServerAnswer,
  MODEL_SESSION_TOKEN,
  type ModelCoverage,
  type ModelExpectation,
  type ModelPath,
  type ModelStart,
  type ModelUserEvent,
} from 'etna-auth/testing';
import { expect } from 'vitest';
import { SimulatedClock } from 'xstate';

/** The heading of each view; a view is a state of the machine. */
export const HEADINGS: Readonly<Record<string, string>> = {
  idle: 'Log in',
  authenticating: 'Logging in…',
  'expecting.securityPin': 'Security PIN',
  'expecting.verificationCode': 'Verification code',
  succeeded: 'Logged in',
  loggingOut: 'Logging out…',
  failed: 'Login refused',
  error: 'Login interrupted',
};

/** The buttons of each view, in order: each sends one event the state accepts, or calls the API. */
export const BUTTONS: Readonly<Record<string, readonly string[]>> = {
  idle: ['Log in'],
  authenticating: ['Cancel'],
  'expecting.securityPin': ['Continue', 'Cancel'],
  'expecting.verificationCode': ['Continue', 'Cancel'],
  succeeded: ['Call the API', 'Log out'],
  loggingOut: ['Stop waiting'],
  failed: ['Try again'],
  error: ['Retry', 'Cancel'],
};

/** The buttons of a state as `snapshot.can()` offers them: a refused app key is not offered for RETRY. */
export function buttonsOf(state: string, error: { readonly kind: string } | undefined): readonly string[] {
  if (state === 'error' && error?.kind === 'appKey') return ['Cancel'];
  return BUTTONS[state] ?? [];
}

/**
 * In `failed`, after the server's Reason: what the person can do about it, by `context.failure.code`. The
 * driver's own copy of the package's `FAILURE_GUIDANCE`, so a changed text is noticed.
 */
export const FAILURE_GUIDANCE: Readonly<Record<EtnaFailureCode, string>> = {
  rejected: 'Check what you typed, then try again.',
  passwordExpired: "Change your password on your broker's website or app, then log in with the new one.",
  pinNotInitialized: "Set up a security PIN on your broker's website or app, then log in again.",
  unsupportedStep: "Finish this login on your broker's website or app: this step cannot be answered here.",
};

/** In `idle` after a session: why it ended, by `context.reason`. */
export const SESSION_END_NOTICES: Readonly<Record<string, string>> = {
  expired: 'Your session expired. Log in again to continue.',
  revoked: 'The server ended your session. Log in again to continue.',
  loggedOut: 'You have logged out.',
};

/** The `maxSteps` the model paths are generated for, and the machines under test run with. */
export const MAX_STEPS = 2;

/**
 * What a component under test gets: a machine on `server` persisting into `storage` (which, for a `restored`
 * start, holds a valid session, as after a reload), and the clock its session lifetime runs on, which a test
 * moves on instead of waiting.
 */
export function loginSetup(server: FakeEtnaServer, start: ModelStart = 'fresh') {
  // Created once per screen, as an app would at module scope.
  const { machine, storage } = createModelMachine({
    baseUrl: server.url,
    appKey: server.appKey,
    start,
    maxSteps: MAX_STEPS,
  });
  return { machine, storage, clock: new SimulatedClock() };
}

/** The generated paths cover every state node, transition and target of the machine. */
export function expectFullCoverage(coverage: ModelCoverage): void {
  expect(coverage.missing).toEqual([]);
  expect(coverage.covered.stateNodes.size).toBe(coverage.stateNodes.length);
  expect(coverage.covered.transitions.size).toBe(coverage.transitions.length);
  expect(coverage.covered.targets.size).toBe(coverage.targets.length);
}

/**
 * With a rendered login screen on a live fake server: alice logs in, calls the API with her session, and once
 * the server revokes it, the next call brings back the form with her username kept and the stored session gone.
 */
export async function expectLiveSessionRevoked(
  server: FakeEtnaServer,
  { storage, user }: { storage: EtnaSessionStorage; user: UserEvent },
): Promise<void> {
  await user.type(screen.getByLabelText('Username'), 'alice');
  await user.type(screen.getByLabelText('Password'), 'alice-password{Enter}');
  await screen.findByText('Logged in as alice.');
  await user.click(screen.getByRole('button', { name: 'Call the API' }));
  await screen.findByText('The API knows you as alice.');
  expect(storage.getItem(DEFAULT_PERSIST_KEY)).not.toBeNull();

  server.revokeSessions('alice');
  await user.click(screen.getByRole('button', { name: 'Call the API' }));
  await screen.findByText('The server ended your session. Log in again to continue.');
  expect(screen.getByRole('heading').textContent).toBe('Log in');
  expect(screen.getByLabelText<HTMLInputElement>('Username').value).toBe('alice');
  expect(storage.getItem(DEFAULT_PERSIST_KEY)).toBeNull();
}

/** The protected API route the components' "Call the API" button asks, relative to the API root. */
export const API_ROUTE = 'v1.0/users/@me/info';

/** What a person reads on the login screen, taken from the DOM alone. */
export interface Screen {
  readonly heading: string | undefined;
  readonly busy: boolean;
  /** The username field's value on the form, otherwise the "Account: …" line. */
  readonly account: string | undefined;
  /** The text the prompt's field is described by (the server's Reason), when a field has one. */
  readonly prompt: string | undefined;
  /** The view's status line (role="status"): progress, who is logged in, or why the last session ended. */
  readonly status: string | undefined;
  readonly alert: string | undefined;
  /** The name of the field marked aria-invalid. */
  readonly invalidField: string | undefined;
  readonly buttons: readonly string[];
}

const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();

/** The text of an element made of paragraphs, one after the other, as they read. */
function paragraphs(element: Element | null): string | undefined {
  const parts = element ? [...element.querySelectorAll('p')] : [];
  return parts.length > 0 ? parts.map(text).join(' ') : text(element);
}

/** Reads the screen of the login component rendered in `container`. */
export function readScreen(container: HTMLElement): Screen {
  const section = container.querySelector('section');
  if (!section) throw new Error('no login section on the screen');
  const usernameField = section.querySelector<HTMLInputElement>('input[name="username"]');
  const accountLine = [...section.querySelectorAll('p')].find((p) => text(p)?.startsWith('Account: '));
  const described = section.querySelector('input[aria-describedby]')?.getAttribute('aria-describedby');
  return {
    heading: text(section.querySelector('h2')),
    busy: section.getAttribute('aria-busy') === 'true',
    account: usernameField ? usernameField.value : text(accountLine)?.slice('Account: '.length),
    prompt: described ? text(section.ownerDocument.getElementById(described)) : undefined,
    status: text(section.querySelector('[role="status"]')),
    alert: paragraphs(section.querySelector('[role="alert"]')),
    invalidField: section.querySelector('[aria-invalid="true"]')?.getAttribute('name') ?? undefined,
    buttons: [...section.querySelectorAll('button')].map((button) => text(button) ?? ''),
  };
}

/** What an error of each kind must tell the person (the message's wording is not part of the contract). */
function errorAlert(error: Omit<EtnaAuthErrorData, 'message'>): unknown {
  switch (error.kind) {
    case 'network':
      return expect.stringContaining('could not be reached');
    case 'timeout':
      return expect.stringContaining('did not answer in time');
    case 'http':
      return expect.stringContaining(`HTTP ${error.status}`);
    case 'protocol':
      return expect.stringContaining('not understand');
    case 'appKey':
      return expect.stringContaining('application key');
    case 'rateLimited':
      return expect.stringContaining(`try again in ${Math.ceil((error.retryAfterMs ?? 0) / 1000)} s`);
    case 'input':
      return expect.stringContaining(error.field ?? '');
  }
}

function expectedStatus({ state, username, reason }: ModelExpectation): string | undefined {
  switch (state) {
    case 'authenticating':
      return 'Checking with the server…';
    case 'loggingOut':
      return 'Ending the session on the server…';
    case 'succeeded':
      return username === undefined ? 'Logged in with a restored session.' : `Logged in as ${username}.`;
    case 'idle':
      return reason === undefined ? undefined : SESSION_END_NOTICES[reason];
    default:
      return undefined;
  }
}

/** The screen a model expectation implies. `typedUsername`: what the form holds after a refused submission. */
export function expectedScreen(expected: ModelExpectation, typedUsername?: string): Screen {
  const { state, failure, error } = expected;
  const onForm = state === 'idle';
  let alert: unknown;
  if (failure && state === 'failed')
    alert = `${failure.reason} (${failure.step}) ${FAILURE_GUIDANCE[failure.code]}`;
  else if (error) alert = errorAlert(error);
  let account: string | undefined;
  if (onForm) account = error?.kind === 'input' ? typedUsername : (expected.username ?? '');
  // Logged in, the status line names the account.
  else if (state !== 'succeeded') account = expected.username;
  return {
    heading: HEADINGS[state],
    busy: expected.busy,
    account,
    prompt: state.startsWith('expecting.') ? expected.reason : undefined,
    status: expectedStatus(expected),
    alert: alert as string | undefined,
    invalidField: error?.kind === 'input' ? error.field : undefined,
    buttons: buttonsOf(state, error),
  };
}

/** Records every screen the component shows, as soon as the DOM changes: a busy screen may last one round trip. */
export function recordScreens(container: HTMLElement) {
  const screens: Screen[] = [readScreen(container)];
  const observer = new MutationObserver(() => {
    // Unmounted: nothing left to read.
    if (container.querySelector('section')) screens.push(readScreen(container));
  });
  observer.observe(container, { subtree: true, childList: true, attributes: true, characterData: true });
  return { screens, stop: () => observer.disconnect() };
}

/** Loopback answers take milliseconds; the margin is for a loaded CI machine. */
const WAIT = { timeout: 5_000 };

export interface DriveOptions {
  readonly container: HTMLElement;
  readonly user: UserEvent;
  readonly server: FakeEtnaServer;
  /** The tokens the component handed to its `onToken` callback, latest last. */
  readonly tokens: readonly (string | undefined)[];
  /** The `persist` storage of the component's machine, seeded under `DEFAULT_PERSIST_KEY` for a restored start. */
  readonly storage: EtnaSessionStorage;
  /** The clock of the component's actor: a session expires when it is advanced past the session's end. */
  readonly clock: SimulatedClock;
}

function buttons(container: HTMLElement, names: readonly string[]): HTMLButtonElement[] {
  return [...container.querySelectorAll('button')].filter((b) => names.includes(text(b) ?? ''));
}

function button(container: HTMLElement, ...names: string[]): HTMLButtonElement {
  const found = buttons(container, names);
  if (found.length !== 1)
    throw new Error(`expected one of the buttons ${names.join(' / ')}, found ${found.length}`);
  return found[0] as HTMLButtonElement;
}

function field(container: HTMLElement, name: string): HTMLInputElement {
  const input = container.querySelector<HTMLInputElement>(`input[name="${name}"]`);
  if (!input) throw new Error(`no ${name} field on the screen`);
  return input;
}

/** The buttons that send each user event; LOGOUT is "Log out", or "Stop waiting" while logging out. */
const SENDERS: Readonly<Record<ModelUserEvent['type'], readonly string[]>> = {
  SUBMIT_CREDENTIALS: ['Log in'],
  SUBMIT_PIN: ['Continue'],
  SUBMIT_VERIFICATION_CODE: ['Continue'],
  CANCEL: ['Cancel'],
  RETRY: ['Try again', 'Retry'],
  LOGOUT: ['Log out', 'Stop waiting'],
};
const FIELDS: Readonly<Partial<Record<ModelUserEvent['type'], string>>> = {
  SUBMIT_CREDENTIALS: 'username',
  SUBMIT_PIN: 'pin',
  SUBMIT_VERIFICATION_CODE: 'code',
};

/** Whether the screen has the controls a person would use to send `event`. */
function offers(container: HTMLElement, event: ModelUserEvent): boolean {
  const name = FIELDS[event.type];
  const hasField = name === undefined || container.querySelector(`input[name="${name}"]`) !== null;
  return hasField && buttons(container, SENDERS[event.type]).length > 0;
}

async function fill(user: UserEvent, input: HTMLInputElement, value: string) {
  await user.clear(input);
  if (value !== '') await user.type(input, value);
}

/** Types and clicks what sends `event`. */
async function send(container: HTMLElement, user: UserEvent, event: ModelUserEvent) {
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS':
      await fill(user, field(container, 'username'), event.username);
      await fill(user, field(container, 'password'), event.password);
      break;
    case 'SUBMIT_PIN':
      await fill(user, field(container, 'pin'), event.pin);
      break;
    case 'SUBMIT_VERIFICATION_CODE':
      await fill(user, field(container, 'code'), event.code);
      break;
    default:
      break;
  }
  await user.click(button(container, ...SENDERS[event.type]));
}

const storedToken = (storage: EtnaSessionStorage): string | undefined => {
  const stored = storage.getItem(DEFAULT_PERSIST_KEY);
  return stored === null ? undefined : (JSON.parse(stored) as { token: string }).token;
};

/** What has focus, in the screen's terms: `field:<name>`, `heading`, or the element's tag. */
export function focusedOn(container: HTMLElement): string {
  const active = container.ownerDocument.activeElement;
  if (active instanceof HTMLInputElement) return `field:${active.name}`;
  if (active?.tagName === 'H2') return 'heading';
  return active?.tagName.toLowerCase() ?? 'nothing';
}

/**
 * Where focus must be on a screen: the field a refused input names, the prompt's field, the password once the
 * username is filled in; on every other screen its heading, never a button a stray Enter would press.
 */
export function expectedFocus(expected: ModelExpectation, screen: Screen): string {
  if (expected.error?.kind === 'input' && expected.error.field) return `field:${expected.error.field}`;
  if (expected.state === 'idle') return screen.account ? 'field:password' : 'field:username';
  if (expected.state === 'expecting.securityPin') return 'field:pin';
  if (expected.state === 'expecting.verificationCode') return 'field:code';
  return 'heading';
}

/** The screen, where focus is, the token handed out and the stored session must all show `expected`. */
async function expectSettled(
  where: string,
  expected: ModelExpectation,
  { container, tokens, storage }: DriveOptions,
  typedUsername: string | undefined,
  { focus = true } = {},
) {
  const screen = expectedScreen(expected, typedUsername);
  await waitFor(() => expect(readScreen(container), where).toEqual(screen), WAIT);
  // Checked after each step: where focus is when the page loads is the page's business (and Testing Library
  // moves the rendered container into the document after mounting, which drops focus there).
  if (focus)
    await waitFor(
      () => expect(focusedOn(container), `${where}: focus`).toBe(expectedFocus(expected, screen)),
      WAIT,
    );
  const token = expected.hasToken ? MODEL_SESSION_TOKEN : undefined;
  await waitFor(() => expect(tokens.at(-1), `${where}: token`).toBe(token), WAIT);
  expect(storedToken(storage), `${where}: a session is stored only while logged in`).toBe(token);
}

/**
 * Ends the session without the user, through the component: `expired` advances the actor's clock past the
 * stored session's end; `revoked` clicks "Call the API", whose 401 (the fake server never issued the model's
 * token) makes `createEtnaClient` end the session.
 */
async function endSession(where: string, end: 'expired' | 'revoked', options: DriveOptions) {
  const { container, user, server, storage, clock } = options;
  if (end === 'expired') {
    const stored = storage.getItem(DEFAULT_PERSIST_KEY);
    if (stored === null) throw new Error(`${where}: no stored session to expire`);
    const left = (JSON.parse(stored) as { expiresAt: number }).expiresAt - Date.now();
    clock.increment(left - 1_000);
    // Give the framework a turn to show a change, were there one.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(storedToken(storage), `${where}: not a second early`).toBe(MODEL_SESSION_TOKEN);
    expect(readScreen(container).heading, `${where}: not a second early`).toBe(HEADINGS.succeeded);
    clock.increment(2_000);
    return;
  }
  const sent = server.requests.length;
  await user.click(button(container, 'Call the API'));
  await server.waitForRequests(sent + 1);
  const call = server.requests[sent];
  expect(call?.method, where).toBe('GET');
  expect(call?.path, where).toBe(new URL(API_ROUTE, server.url).pathname);
  expect(call?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
  expect(call?.header('et-app-key'), where).toBe(server.appKey);
  expect((await server.waitForEnd(sent)).outcome, `${where}: the API refuses the token`).toBe(401);
}

/**
 * Runs one generated path through a rendered login component, as a person would: a user event is typing and
 * clicking (the fake server is told its answer first), a server outcome is waiting, a session end is the clock
 * passing the session's end or the API refusing its token. Before the first step and after every step the
 * screen must show what the model expects; a busy screen is checked in the record of screens, since the answer
 * may already have replaced it. An event the screen offers no control for must be one the machine ignores.
 */
export async function driveModelPath(path: ModelPath, options: DriveOptions) {
  const { container, user, server } = options;
  const recorder = recordScreens(container);
  const posts = () => server.requests.filter((request) => request.method === 'POST');
  let typedUsername: string | undefined;
  let previous = path.initial;
  try {
    await expectSettled(`start of ${path.description}`, path.initial, options, typedUsername, {
      focus: false,
    });
    for (const [index, step] of path.steps.entries()) {
      const where = `step ${index + 1} of ${path.description}`;
      const mark = recorder.screens.length;
      const sent = posts().length;
      const wasBusy = readScreen(container).busy;
      if (step.kind === 'user') {
        if (offers(container, step.event)) {
          injectServerAnswer(server, step);
          if (step.event.type === 'SUBMIT_CREDENTIALS') typedUsername = step.event.username;
          await send(container, user, step.event);
        } else {
          // Nothing to type or click: the screen must be right that the machine has nothing to do with it.
          expect(step.serverAnswer, `${where}: ${step.event.type} is not offered`).toBeUndefined();
          expect(step.expected, `${where}: ${step.event.type} is not offered`).toEqual(previous);
        }
        if (step.serverAnswer) {
          await server.waitForRequests(sent + 1);
          const request = posts()[sent];
          expect(request?.path, where).toBe(new URL(step.serverAnswer.endpoint, server.url).pathname);
          if (step.serverAnswer.endpoint === 'logout')
            expect(request?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
        }
      } else if (step.kind === 'session') {
        await endSession(where, step.end, options);
      }
      const next = path.steps[index + 1];
      if (step.expected.busy && next?.kind === 'server') {
        // The answer may land before we look: the busy screen must have been shown since the step began.
        const expected = expectedScreen(step.expected, typedUsername);
        await waitFor(() => expect(recorder.screens.length, where).toBeGreaterThan(mark), WAIT);
        expect(recorder.screens.slice(mark), where).toContainEqual(expected);
      } else if (step.expected.busy) {
        await waitFor(
          () => expect(readScreen(container), where).toEqual(expectedScreen(step.expected, typedUsername)),
          WAIT,
        );
      } else {
        await expectSettled(where, step.expected, options, typedUsername);
      }
      expect(posts().length, `${where}: requests sent`).toBe(
        sent + (step.kind === 'user' && step.serverAnswer ? 1 : 0),
      );
      if (wasBusy && !step.expected.busy && step.kind === 'user') {
        const inFlight = posts()[sent - 1];
        if (!inFlight) throw new Error(`${where}: no request was in flight`);
        const ended = await server.waitForEnd(server.requests.indexOf(inFlight));
        expect(ended.aborted, `${where}: the request in flight is aborted`).toBe(true);
      }
      previous = step.expected;
    }
  } finally {
    recorder.stop();
  }
}
