// Canaries for the secrets of the rest of the login journey (a new PIN, a new password and its confirmation, a
// secret answer, a reset code, the confirmation and reset tokens) through every channel the login's own secrets
// are checked on, and for what is personal (the anti-phishing phrase and pictures) through the inspector, logs,
// the fake server's request log and the persisted session storage.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type EtnaSessionStorage, Secret } from '../../src/index.js';
import { FAKE_SECURITY_IMAGES, type FakeEtnaUser } from '../../src/testing/index.js';
import {
  advance,
  closeProbes,
  expectNoLeak,
  type Probe,
  SLOW,
  startProbe,
  step,
} from '../fixtures/secret-probe.js';

const CANARY_PASSWORD = 'CANARY-PASSWORD-J0URNEY';
const CANARY_NEW_PIN = '97531864';
const CANARY_NEW_PASSWORD = 'CANARY-NEW-PASSWORD-9';
const CANARY_ANSWER = 'CANARY-ANSWER-77';
const CANARY_WRONG_ANSWER = 'CANARY-WRONG-ANSWER-12';
const CANARY_RESET_PASSWORD = 'CANARY-RESET-PASSWORD-3';
const CANARY_PHRASE = 'CANARY-PHRASE-4b2e';
const CHOSEN_IMAGE = 'cactus.png';

const USERS: readonly FakeEtnaUser[] = [
  { username: 'canary-setup', password: CANARY_PASSWORD, pinNotInitialized: true },
  { username: 'canary-expired', password: CANARY_PASSWORD, passwordExpired: true },
  {
    username: 'canary-reset',
    password: CANARY_PASSWORD,
    secretQuestion: { question: 'Which canary?', answer: CANARY_ANSWER },
  },
];

afterEach(closeProbes);

/** A session storage whose every entry a test can list. */
function listedStorage() {
  const entries = new Map<string, string>();
  const storage: EtnaSessionStorage = {
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => {
      entries.set(key, value);
    },
    removeItem: (key) => {
      entries.delete(key);
    },
  };
  return { storage, entries };
}
type ListedStorage = ReturnType<typeof listedStorage>;

/** A probe whose canaries a test extends as codes arrive by mail. */
async function journeyProbe(listed: ListedStorage = listedStorage()) {
  const canaries: Record<string, string> = {
    password: CANARY_PASSWORD,
    'new PIN': CANARY_NEW_PIN,
    'new password': CANARY_NEW_PASSWORD,
    'secret answer': CANARY_ANSWER,
    'wrong secret answer': CANARY_WRONG_ANSWER,
    'reset password': CANARY_RESET_PASSWORD,
  };
  const probe = await startProbe({ users: USERS, canaries, machineOptions: { persist: listed.storage } });
  return { probe, canaries, storage: listed };
}

const imageContent = (fileName: string) =>
  FAKE_SECURITY_IMAGES.find((image) => image.FileName === fileName)?.Content ?? '';

/**
 * The personal phrase and the pictures never reach the inspector, the console, the server's request log or the
 * storage. (They are in the snapshot's context while the PIN is asked for: that is where the UI reads them.)
 */
function expectNothingPersonalLeaks(probe: Probe, storage: ListedStorage, label: string) {
  const personal: [string, string][] = [
    ['phrase', CANARY_PHRASE],
    ...FAKE_SECURITY_IMAGES.map((image): [string, string] => [
      `picture ${image.FileName}`,
      image.Content.slice(0, 60),
    ]),
  ];
  const stored = [...storage.entries].map(([key, value]) => `${key}=${value}`);
  const views: Record<string, string> = {
    'console output': probe.consoleOutput.join('\n'),
    'util.inspect(server.requests)': inspect(probe.server.requests, { depth: Infinity, showHidden: true }),
    'JSON.stringify(server.requests)': JSON.stringify(probe.server.requests),
    'the session storage': stored.join('\n'),
  };
  for (const [name, text] of probe.redactedDumps) views[name] = text;
  const leaks: string[] = [];
  for (const [viewName, text] of Object.entries(views)) {
    for (const [name, value] of personal) if (text.includes(value)) leaks.push(`${name} in ${viewName}`);
  }
  expect(leaks, label).toEqual([]);
}

describe('the journey secrets never leak', () => {
  it('PIN set-up: the new PIN, the set-up tokens, the phrase and the pictures', SLOW, async () => {
    const { probe, storage } = await journeyProbe();
    const choosing = await step(
      probe,
      { type: 'SUBMIT_CREDENTIALS', username: 'canary-setup', password: new Secret(CANARY_PASSWORD) },
      'credentials',
    );
    expect(choosing.value).toEqual({ pinSetup: 'choosing' });
    // The PIN-not-init answer's Token and ConfirmationToken were read off the wire and searched for.
    expect(probe.wireTokens.length).toBeGreaterThanOrEqual(2);
    expectNothingPersonalLeaks(probe, storage, 'images offered');

    const pinPrompt = await step(
      probe,
      {
        type: 'SUBMIT_NEW_PIN',
        pin: new Secret(CANARY_NEW_PIN),
        imageName: CHOSEN_IMAGE,
        personalPhrase: CANARY_PHRASE,
      },
      'new PIN',
    );
    expect(pinPrompt.value).toEqual({ expecting: 'securityPin' });
    // The control: the UI does get the phrase and the chosen picture.
    expect(pinPrompt.context.personalPhrase).toBe(CANARY_PHRASE);
    expect(pinPrompt.context.securityImage?.dataUrl).toContain(imageContent(CHOSEN_IMAGE));
    expectNothingPersonalLeaks(probe, storage, 'PIN prompt with the phrase');

    const done = await step(probe, { type: 'SUBMIT_PIN', pin: new Secret(CANARY_NEW_PIN) }, 'the new PIN');
    expect(done.value).toEqual({ succeeded: 'active' });
    expect(storage.entries.size).toBe(1);
    expectNothingPersonalLeaks(probe, storage, 'logged in, the session stored');
    expect(probe.consoleOutput).toEqual([]);
  });

  it(
    'an expired password: the new password and its confirmation, and Errors that quote it',
    SLOW,
    async () => {
      const { probe } = await journeyProbe();
      await step(
        probe,
        { type: 'SUBMIT_CREDENTIALS', username: 'canary-expired', password: new Secret(CANARY_PASSWORD) },
        'credentials',
      );
      probe.server.injectAt('passwordChange', {
        kind: 'respond',
        status: 200,
        body: {
          Model: null,
          Errors: [`The password ${CANARY_NEW_PASSWORD} was used before`],
          ErrorsCode: ['ErrorPasswordHistory'],
          IsSucceed: false,
        },
      });
      const refused = await step(
        probe,
        {
          type: 'SUBMIT_NEW_PASSWORD',
          password: new Secret(CANARY_NEW_PASSWORD),
          confirmation: new Secret(CANARY_NEW_PASSWORD),
        },
        'refused new password',
      );
      expect(refused.value).toEqual({ passwordChange: 'editing' });
      expect(refused.context.serverErrors).toEqual(['The password [redacted] was used before']);

      // Refused before sending: a confirmation that differs. Its message names the field, not the value.
      probe.actor.send({
        type: 'SUBMIT_NEW_PASSWORD',
        password: new Secret(CANARY_NEW_PASSWORD),
        confirmation: new Secret(CANARY_RESET_PASSWORD),
      });
      expectNoLeak(probe, 'mismatched confirmation');
      const done = await step(
        probe,
        {
          type: 'SUBMIT_NEW_PASSWORD',
          password: new Secret(CANARY_NEW_PASSWORD),
          confirmation: new Secret(CANARY_NEW_PASSWORD),
        },
        'new password',
      );
      expect(done.value).toEqual({ succeeded: 'active' });
      expect(probe.consoleOutput).toEqual([]);
    },
  );

  it(
    'a reset: the secret answers, the e-mailed code, the reset token and the new password',
    SLOW,
    async () => {
      const { probe, canaries } = await journeyProbe();
      await step(probe, { type: 'FORGOT_PASSWORD', username: 'canary-reset' }, 'forgot password');
      const wrong = await step(
        probe,
        { type: 'SUBMIT_SECRET_ANSWER', answer: new Secret(CANARY_WRONG_ANSWER) },
        'wrong answer',
      );
      expect(wrong.context.serverErrors).toEqual(['Answer is incorrect, try again.']);
      const mails = probe.server.mailbox.length;
      await step(probe, { type: 'SUBMIT_SECRET_ANSWER', answer: new Secret(CANARY_ANSWER) }, 'answer');
      const { code } = await probe.server.waitForMail('canary-reset', 'passwordReset', mails);
      canaries['reset code'] = code;
      expectNoLeak(probe, 'the code e-mailed');

      const newPassword = await step(
        probe,
        { type: 'SUBMIT_RESET_CODE', code: new Secret(code) },
        'reset code',
      );
      expect(newPassword.value).toEqual({ passwordReset: 'newPassword' });
      // The reset token came as the code answer's Model and is searched for from here on.
      expect(probe.wireTokens.length).toBe(1);

      const done = await step(
        probe,
        {
          type: 'SUBMIT_NEW_PASSWORD',
          password: new Secret(CANARY_RESET_PASSWORD),
          confirmation: new Secret(CANARY_RESET_PASSWORD),
        },
        'new password',
      );
      expect(done.value).toEqual({ succeeded: 'active' });
      expect(probe.consoleOutput).toEqual([]);
    },
  );

  it('proves the checks can fail: the raw inspector carries the new secrets and the phrase', async () => {
    const { probe } = await journeyProbe();
    await advance(probe, {
      type: 'SUBMIT_CREDENTIALS',
      username: 'canary-setup',
      password: CANARY_PASSWORD,
    });
    await advance(probe, {
      type: 'SUBMIT_NEW_PIN',
      pin: CANARY_NEW_PIN,
      imageName: CHOSEN_IMAGE,
      personalPhrase: CANARY_PHRASE,
    });
    const raw = JSON.stringify(probe.rawEvents.map((event) => ('event' in event ? event.event : undefined)));
    expect(raw).toContain(CANARY_NEW_PIN);
    expect(raw).toContain(CANARY_PHRASE);
    const redacted = probe.redactedDumps.map(([, text]) => text).join('\n');
    expect(redacted).not.toContain(CANARY_NEW_PIN);
    expect(redacted).not.toContain(CANARY_PHRASE);
  });
});
