// The screen contract the three example components share, and a driver that runs a model path through it.
// The components differ in framework only: the same headings, labels, buttons and alerts, so one driver,
// written against the DOM with Testing Library, proves all three against the same generated paths.
import { waitFor } from '@testing-library/dom';
import type { UserEvent } from '@testing-library/user-event';
import type { EtnaAuthErrorData } from 'etna-auth';
import {
  type FakeEtnaServer,
  MODEL_SESSION_TOKEN,
  type ModelExpectation,
  type ModelPath,
} from 'etna-auth/testing';
import { expect } from 'vitest';

/** The heading of each view; a view is a state of the machine. */
export const HEADINGS: Readonly<Record<string, string>> = {
  idle: 'Log in',
  authenticating: 'Logging in…',
  'expecting.securityPin': 'Security PIN',
  'expecting.verificationCode': 'Verification code',
  succeeded: 'Logged in',
  failed: 'Login refused',
  error: 'Login interrupted',
};

/** The buttons of each view, in order: each sends one event the state accepts. */
export const BUTTONS: Readonly<Record<string, readonly string[]>> = {
  idle: ['Log in', 'Start over'],
  authenticating: ['Cancel', 'Start over'],
  'expecting.securityPin': ['Continue', 'Cancel', 'Start over'],
  'expecting.verificationCode': ['Continue', 'Cancel', 'Start over'],
  succeeded: ['Log out'],
  failed: ['Try again', 'Cancel', 'Start over'],
  error: ['Retry', 'Cancel', 'Start over'],
};

/** What a person reads on the login screen, taken from the DOM alone. */
export interface Screen {
  readonly heading: string | undefined;
  readonly busy: boolean;
  /** The username field's value on the form, otherwise the "Account: …" line. */
  readonly account: string | undefined;
  /** The text the prompt's field is described by (the server's Reason), when a field has one. */
  readonly prompt: string | undefined;
  readonly alert: string | undefined;
  /** The name of the field marked aria-invalid. */
  readonly invalidField: string | undefined;
  readonly buttons: readonly string[];
}

const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();

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
    alert: text(section.querySelector('[role="alert"]')),
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

/** The screen a model expectation implies. `typedUsername`: what the form holds after a refused submission. */
export function expectedScreen(expected: ModelExpectation, typedUsername?: string): Screen {
  const { state, failure, error } = expected;
  const onForm = state === 'idle';
  let alert: unknown;
  if (failure && state === 'failed') alert = `${failure.reason} (${failure.step})`;
  else if (error) alert = errorAlert(error);
  return {
    heading: HEADINGS[state],
    busy: expected.busy,
    account: onForm
      ? error?.kind === 'input'
        ? typedUsername
        : (expected.username ?? '')
      : expected.username,
    prompt: state.startsWith('expecting.') ? expected.reason : undefined,
    alert: alert as string | undefined,
    invalidField: error?.kind === 'input' ? error.field : undefined,
    buttons: BUTTONS[state] ?? [],
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

/** An input field cannot hold a line break: type a value the machine refuses for the same reason class instead. */
export function typeable(value: string): string {
  return value.replace(/\r?\n/g, '⏎');
}

/** Loopback answers take milliseconds; the margin is for a loaded CI machine. */
const WAIT = { timeout: 5_000 };

export interface DriveOptions {
  readonly container: HTMLElement;
  readonly user: UserEvent;
  readonly server: FakeEtnaServer;
  /** The tokens the component handed to its `onToken` callback, latest last. */
  readonly tokens: readonly (string | undefined)[];
}

function button(container: HTMLElement, ...names: string[]): HTMLButtonElement {
  const found = [...container.querySelectorAll('button')].filter((b) => names.includes(text(b) ?? ''));
  if (found.length !== 1)
    throw new Error(`expected one of the buttons ${names.join(' / ')}, found ${found.length}`);
  return found[0] as HTMLButtonElement;
}

function field(container: HTMLElement, name: string): HTMLInputElement {
  const input = container.querySelector<HTMLInputElement>(`input[name="${name}"]`);
  if (!input) throw new Error(`no ${name} field on the screen`);
  return input;
}

async function fill(user: UserEvent, input: HTMLInputElement, value: string) {
  await user.clear(input);
  if (value !== '') await user.type(input, typeable(value));
}

/**
 * Runs one generated path through a rendered login component, as a person would: a user event is typing and
 * clicking (the fake server is told its answer first), a server outcome is waiting. After every step the screen
 * must show what the step expects; a busy screen is checked in the record of screens, since the answer may
 * already have replaced it.
 */
export async function driveModelPath(path: ModelPath, { container, user, server, tokens }: DriveOptions) {
  const recorder = recordScreens(container);
  const posts = () => server.requests.filter((request) => request.method === 'POST');
  let typedUsername: string | undefined;
  try {
    for (const [index, step] of path.steps.entries()) {
      const where = `step ${index + 1} of ${path.description}`;
      const mark = recorder.screens.length;
      const sent = posts().length;
      const wasBusy = readScreen(container).busy;
      if (step.kind === 'user') {
        if (step.serverAnswer) server.inject(step.serverAnswer);
        const { event } = step;
        switch (event.type) {
          case 'SUBMIT_CREDENTIALS':
            typedUsername = event.username;
            await fill(user, field(container, 'username'), event.username);
            await fill(user, field(container, 'password'), event.password);
            await user.click(button(container, 'Log in'));
            break;
          case 'SUBMIT_PIN':
            await fill(user, field(container, 'pin'), event.pin);
            await user.click(button(container, 'Continue'));
            break;
          case 'SUBMIT_VERIFICATION_CODE':
            await fill(user, field(container, 'code'), event.code);
            await user.click(button(container, 'Continue'));
            break;
          case 'CANCEL':
            await user.click(button(container, 'Cancel'));
            break;
          case 'RETRY':
            await user.click(button(container, 'Try again', 'Retry'));
            break;
          case 'LOGOUT':
            await user.click(button(container, 'Log out', 'Start over'));
            break;
        }
        if (step.serverAnswer) await server.waitForRequests(sent + 1);
      }
      const expected = expectedScreen(step.expected, typedUsername);
      const next = path.steps[index + 1];
      if (step.expected.busy && next?.kind === 'server') {
        // The answer may land before we look: the busy screen must have been shown since the step began.
        await waitFor(() => expect(recorder.screens.length, where).toBeGreaterThan(mark), WAIT);
        expect(recorder.screens.slice(mark), where).toContainEqual(expected);
      } else {
        await waitFor(() => expect(readScreen(container), where).toEqual(expected), WAIT);
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
      if (!step.expected.busy) {
        await waitFor(
          () =>
            expect(tokens.at(-1), `${where}: token`).toBe(
              step.expected.hasToken ? MODEL_SESSION_TOKEN : undefined,
            ),
          WAIT,
        );
      }
    }
  } finally {
    recorder.stop();
  }
}
