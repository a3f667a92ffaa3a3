import { cleanup, render, screen } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import {
  type FakeEtnaServer,
  getEtnaAuthPaths,
  type ModelStart,
  measureCoverage,
  startFakeEtnaServer,
} from 'etna-auth/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  driveModelPath,
  expectEveryPathDriven,
  expectFullCoverage,
  expectLivePinSetup,
  expectLiveRelogin,
  expectLiveSessionRevoked,
  expectStaleWordsCleared,
  LIVE_SESSION,
  type LiveSessionSettings,
  loginSetup,
  MAX_STEPS,
  recordScreens,
} from '../../login-driver/login-screen.js';
import EtnaLogin from '../src/EtnaLogin.svelte';

const paths = getEtnaAuthPaths({ maxSteps: MAX_STEPS });
const coverage = measureCoverage(paths, { maxSteps: MAX_STEPS });

let server: FakeEtnaServer;
beforeEach(async () => {
  server = await startFakeEtnaServer();
});
afterEach(async () => {
  cleanup();
  await server.close();
});

/**
 * Renders the screen; a `restored` start finds a valid session in its storage, as after a reload; a `restoring`
 * one reads it later (`restore` answers). `live`: the machine has a short session with a warning, instead of the
 * model's.
 */
function renderLogin(start: ModelStart = 'fresh', live?: LiveSessionSettings) {
  const { machine, storage, otherTab, restore, clock, options, snapshot } = loginSetup(server, start, live);
  const tokens: (string | undefined)[] = [];
  const { container } = render(EtnaLogin, {
    props: { machine, options, ontoken: (token: string | undefined) => tokens.push(token) },
  });
  return { container, tokens, storage, otherTab, restore, clock, snapshot, user: userEvent.setup() };
}

describe(`Svelte: all ${paths.length} generated model paths through <EtnaLogin>, against the fake ETNA server`, () => {
  it('cover every state node, transition and target of the machine', () => {
    expectFullCoverage(coverage);
  });

  it.each(paths.map((path) => [path.description, path] as const))('%s', async (_description, path) => {
    const rendered = renderLogin(path.start);
    await driveModelPath(path, { ...rendered, server });
  });

  it('drove every one of them to its end', () => {
    expectEveryPathDriven(paths);
  });
});

describe('Svelte: after the login, against a live session of the fake ETNA server', () => {
  it('calls the API with the session token, and shows the login again once the server revokes it', async () => {
    await expectLiveSessionRevoked(server, renderLogin());
  });

  it('sets up a first PIN with the server, then logs in with it, the new phrase on the PIN prompt', async () => {
    await expectLivePinSetup(server, renderLogin());
  });

  it('takes a refusal off the screen once its field is edited, and never shows a stale Reason beside a new one', async () => {
    await expectStaleWordsCleared(renderLogin());
  });

  it('counts the last minute of the session down, and logs in again in place, with the PIN, keeping the screen', async () => {
    await expectLiveRelogin(server, renderLogin('fresh', LIVE_SESSION));
  });
});

describe('Svelte: updates stay bounded', () => {
  // Svelte 5 has no component re-render: it updates DOM nodes. So count DOM updates (batches of mutations).
  it('updates nothing but the field while typing, and the screen once per change during a login', async () => {
    const { container, tokens, user } = renderLogin();
    let updates = 0;
    const observer = new MutationObserver(() => {
      updates++;
    });
    observer.observe(container, { subtree: true, childList: true, attributes: true, characterData: true });
    await user.type(screen.getByLabelText('Username'), 'bob');
    await user.type(screen.getByLabelText('Password'), 'bob-password');
    observer.disconnect();
    const whileTyping = updates;

    const recorder = recordScreens(container);
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    await user.type(await screen.findByLabelText('PIN'), '9999{Enter}');
    await screen.findByText('That PIN is not right.');
    await user.type(await screen.findByLabelText('PIN'), '1234{Enter}');
    await screen.findByRole('heading', { name: 'Logged in' });
    recorder.stop();
    const batches = recorder.screens.length - 1;
    const changes = recorder.screens.filter(
      (shown, index) => index > 0 && JSON.stringify(shown) !== JSON.stringify(recorder.screens[index - 1]),
    ).length;
    console.log(
      `Svelte: ${whileTyping} DOM updates while typing 15 characters; ${batches} DOM updates for ${changes} screen changes in a login with a wrong PIN`,
    );
    expect(whileTyping).toBe(0);
    expect(batches).toBe(changes);
    expect(tokens.at(-1)).toMatch(/=$/);
  });
});
