import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, type SnapshotFrom } from 'xstate';
import { EtnaAuthError, type EtnaAuthEvent, type EtnaAuthMachine, selectToken } from '../../src/index.js';
import type { FakeEtnaServerOptions, FakeEtnaUser } from '../../src/testing/index.js';
import {
  advance,
  closeProbes,
  expectNoLeak,
  expectServiceErrorsClean,
  leaksIn,
  SLOW,
  startProbe as startSecretProbe,
  step,
  toJson,
} from '../fixtures/secret-probe.js';

type AuthSnapshot = SnapshotFrom<EtnaAuthMachine>;

const CANARY_PASSWORD = 'CANARY-PASSWORD-7f3a';
const CANARY_PIN = 'CANARY-PIN-91';
const CANARY_CODE = 'CANARY-CODE-55';
const CANARY_WRONG_PIN = 'CANARY-WRONG-PIN-08';
const USERNAME = 'canary-user';
/** Tokens that the answers carrying them also quote in their Reason. */
const QUOTED_INTERIM = 'QUOTED+interim/Token==';
const QUOTED_CONFIRMATION = 'QUOTED-confirmation-token-6e1d';

const CANARIES: Readonly<Record<string, string>> = {
  password: CANARY_PASSWORD,
  pin: CANARY_PIN,
  code: CANARY_CODE,
  'wrong pin': CANARY_WRONG_PIN,
};

const USERS: readonly FakeEtnaUser[] = [
  { username: USERNAME, password: CANARY_PASSWORD, pin: CANARY_PIN, verificationCode: CANARY_CODE },
];

const credentials: EtnaAuthEvent = {
  type: 'SUBMIT_CREDENTIALS',
  username: USERNAME,
  password: CANARY_PASSWORD,
};

/** A probe with the canary user. */
const startProbe = (timeout = 3_000, serverOptions: FakeEtnaServerOptions = {}) =>
  startSecretProbe({ users: USERS, canaries: CANARIES, timeout, serverOptions });

afterEach(closeProbes);

describe('secrets never leak', () => {
  it(
    'hides password, code, PINs, interim and session tokens through a full code + PIN login and logout',
    SLOW,
    async () => {
      const probe = await startProbe();
      expectNoLeak(probe, 'start');

      const code = await step(probe, credentials, 'credentials');
      expect(code.value).toEqual({ expecting: 'verificationCode' });
      const pin = await step(probe, { type: 'SUBMIT_VERIFICATION_CODE', code: CANARY_CODE }, 'code');
      expect(pin.value).toEqual({ expecting: 'securityPin' });
      const wrong = await step(probe, { type: 'SUBMIT_PIN', pin: CANARY_WRONG_PIN }, 'wrong PIN');
      expect(wrong.value).toEqual({ expecting: 'securityPin' });
      expect(wrong.context.reason).toBe('Invalid pin');
      const done = await step(probe, { type: 'SUBMIT_PIN', pin: CANARY_PIN }, 'right PIN');
      expect(done.value).toEqual({ succeeded: 'active' });

      // Three interim tokens and one session token crossed the wire, and were searched for above.
      expect(probe.wireTokens).toHaveLength(4);
      expect(selectToken(done)).toBe(probe.wireTokens[3]);
      expect(probe.server.sessionOwner(probe.wireTokens[3] ?? '')).toBe(USERNAME);

      const idle = await step(probe, { type: 'LOGOUT' }, 'logout');
      expect(idle.value).toBe('idle');
      expect(selectToken(idle)).toBeUndefined();
      expect(probe.consoleOutput).toEqual([]);
    },
  );

  it('hides secrets through a wrong PIN that ends the attempt, and RETRY', SLOW, async () => {
    const probe = await startProbe(3_000, { maxPinAttempts: 1 });
    await step(probe, credentials, 'credentials');
    await step(probe, { type: 'SUBMIT_VERIFICATION_CODE', code: CANARY_CODE }, 'code');
    const failed = await step(probe, { type: 'SUBMIT_PIN', pin: CANARY_WRONG_PIN }, 'wrong PIN');
    expect(failed.value).toBe('failed');
    expect(failed.context.failure).toEqual({ step: 'SecutityPin', reason: 'Invalid pin', code: 'rejected' });
    expect(probe.wireTokens).toHaveLength(2);

    const idle = await step(probe, { type: 'RETRY' }, 'retry');
    expect(idle.value).toBe('idle');
    expect(idle.context.username).toBe(USERNAME);
    expect(probe.consoleOutput).toEqual([]);
  });

  it(
    'hides secrets in timeout, network, HTTP and protocol errors, including server text that echoes them',
    SLOW,
    async () => {
      const probe = await startProbe(1_500);
      const { server } = probe;
      await step(probe, credentials, 'credentials');

      server.inject({ kind: 'hang' });
      const timedOut = await step(probe, { type: 'SUBMIT_VERIFICATION_CODE', code: CANARY_CODE }, 'timeout');
      expect(timedOut.context.error?.kind).toBe('timeout');

      server.inject({ kind: 'drop' });
      const dropped = await step(probe, { type: 'RETRY' }, 'network drop');
      expect(dropped.context.error?.kind).toBe('network');

      server.inject({ kind: 'serverError' });
      const http = await step(probe, { type: 'RETRY' }, 'HTTP 500');
      expect(http.context.error).toMatchObject({ kind: 'http', status: 500 });

      const interim = probe.wireTokens[0] ?? 'missing';
      server.inject({
        kind: 'respond',
        status: 200,
        body: { State: `Echo ${CANARY_PASSWORD} ${CANARY_CODE} ${interim}` },
      });
      const echoed = await step(probe, { type: 'RETRY' }, 'protocol error echoing the secrets');
      expect(echoed.context.error?.kind).toBe('protocol');
      expect(echoed.context.error?.message).toBe(
        'the answer has an unknown State "Echo [redacted] [redacted] [redacted]"',
      );

      const pin = await step(probe, { type: 'RETRY' }, 'code accepted');
      expect(pin.value).toEqual({ expecting: 'securityPin' });

      server.inject({
        kind: 'respond',
        status: 202,
        body: {
          State: 'Expecting',
          Step: 'SecutityPin',
          Reason: `Invalid pin ${CANARY_WRONG_PIN} for ${CANARY_PASSWORD}`,
          Token: 'echo+interim/token==',
        },
      });
      const echoedReason = await step(
        probe,
        { type: 'SUBMIT_PIN', pin: CANARY_WRONG_PIN },
        'reason echoing the PIN',
      );
      expect(echoedReason.value).toEqual({ expecting: 'securityPin' });
      expect(echoedReason.context.reason).toBe('Invalid pin [redacted] for [redacted]');

      expect(probe.serviceErrors.map((error) => (error as EtnaAuthError).kind)).toEqual([
        'timeout',
        'network',
        'http',
        'protocol',
      ]);
      for (const error of probe.serviceErrors) expect(error).toBeInstanceOf(EtnaAuthError);
      expectServiceErrorsClean(probe);
      expect(probe.consoleOutput).toEqual([]);
    },
  );

  it('proves the check can fail: the raw inspector and the wire do carry the canaries', async () => {
    const probe = await startProbe();
    await advance(probe, credentials);
    await advance(probe, { type: 'SUBMIT_VERIFICATION_CODE', code: CANARY_CODE });

    const rawSubmit = probe.rawEvents.find(
      (event) => event.type === '@xstate.event' && event.event.type === 'SUBMIT_CREDENTIALS',
    );
    expect(rawSubmit).toBeDefined();
    expect(leaksIn(probe, { 'raw SUBMIT_CREDENTIALS event': toJson(rawSubmit) })).toEqual([
      'password in raw SUBMIT_CREDENTIALS event',
    ]);

    const redactedSubmit = probe.redactedDumps.find(
      ([name, text]) =>
        name.endsWith('as JSON') && text.includes('"@xstate.event"') && text.includes('"SUBMIT_CREDENTIALS"'),
    )?.[1];
    expect(redactedSubmit).toContain(`"username":"${USERNAME}"`);
    expect(redactedSubmit).toContain('"password":"[redacted]"');

    expect(probe.server.requests[0]?.header('password')).toBe(CANARY_PASSWORD);
    expect(probe.server.requests[1]?.header('verificationcode')).toBe(CANARY_CODE);
    expect(probe.server.requests[1]?.header('authorization')).toBe(`Bearer ${probe.wireTokens[0]}`);
  });

  it(
    'hides an interim token that its own answer quotes in Reason, and a ConfirmationToken that a Failed Reason quotes',
    SLOW,
    async () => {
      const probe = await startProbe();
      await step(probe, credentials, 'credentials');

      probe.server.inject({
        kind: 'respond',
        status: 202,
        body: {
          State: 'Expecting',
          Step: 'SecutityPin',
          Reason: `use ${QUOTED_INTERIM}`,
          Token: QUOTED_INTERIM,
        },
      });
      const pin = await step(
        probe,
        { type: 'SUBMIT_VERIFICATION_CODE', code: CANARY_CODE },
        'a Reason quoting its own interim token',
      );
      expect(pin.value).toEqual({ expecting: 'securityPin' });
      expect(pin.context.reason).toBe('use [redacted]');
      // The token is still the one the next request carries.
      expect(probe.wireTokens.at(-1)).toBe(QUOTED_INTERIM);

      probe.server.inject({
        kind: 'respond',
        status: 401,
        body: {
          State: 'Failed',
          Step: 'SecutityPin',
          Reason: `confirm with ${QUOTED_CONFIRMATION}`,
          ConfirmationToken: QUOTED_CONFIRMATION,
        },
      });
      const failed = await step(
        probe,
        { type: 'SUBMIT_PIN', pin: CANARY_PIN },
        'a Failed Reason quoting its ConfirmationToken',
      );
      expect(probe.server.requests.at(-1)?.header('authorization')).toBe(`Bearer ${QUOTED_INTERIM}`);
      expect(failed.value).toBe('failed');
      expect(failed.context.reason).toBe('confirm with [redacted]');
      expect(failed.context.failure).toEqual({
        step: 'SecutityPin',
        reason: 'confirm with [redacted]',
        code: 'rejected',
      });
      expect(probe.wireTokens.at(-1)).toBe(QUOTED_CONFIRMATION);

      // `step` searched every channel for both tokens; these are the views named outright, and the raw inspector
      // too: the Reason is scrubbed where the answer is read, not only on the way to an inspector.
      const rawSent = probe.rawEvents.flatMap((event) => ('event' in event ? [event.event] : []));
      const rawSnapshots = probe.rawEvents.flatMap((event) => ('snapshot' in event ? [event.snapshot] : []));
      const views = {
        'JSON.stringify(snapshot)': JSON.stringify(failed),
        'JSON.stringify(pin snapshot)': JSON.stringify(pin),
        'getPersistedSnapshot()': JSON.stringify(probe.actor.getPersistedSnapshot()),
        'context.reason': `${pin.context.reason} ${failed.context.reason} ${failed.context.failure?.reason}`,
        'redacted inspector stream': probe.redactedDumps.map(([, text]) => text).join('\n'),
        'raw inspector events': toJson(rawSent),
        'raw inspector snapshots': toJson(rawSnapshots),
      };
      for (const [name, text] of Object.entries(views)) {
        expect(text, name).not.toContain(QUOTED_INTERIM);
        expect(text, name).not.toContain(QUOTED_CONFIRMATION);
      }
      expect(views['raw inspector events']).toContain('use [redacted]');
      expect(probe.consoleOutput).toEqual([]);
    },
  );

  it('keeps the real token for selectToken while a snapshot restored from JSON has no usable token', async () => {
    const probe = await startProbe();
    await advance(probe, credentials);
    await advance(probe, { type: 'SUBMIT_VERIFICATION_CODE', code: CANARY_CODE });
    const done = await advance(probe, { type: 'SUBMIT_PIN', pin: CANARY_PIN });

    const sessionToken = probe.wireTokens.at(-1);
    expect(sessionToken).toEqual(expect.any(String));
    expect(selectToken(done)).toBe(sessionToken);
    expect(probe.server.sessionOwner(sessionToken ?? '')).toBe(USERNAME);

    const persisted: unknown = JSON.parse(JSON.stringify(probe.actor.getPersistedSnapshot()));
    const restored = createActor(probe.machine, { snapshot: persisted as AuthSnapshot });
    restored.start();
    const restoredSnapshot = restored.getSnapshot();
    restored.stop();
    expect(restoredSnapshot.value).toEqual({ succeeded: 'active' });
    expect(restoredSnapshot.context.username).toBe(USERNAME);
    expect(selectToken(restoredSnapshot)).toBeUndefined();
    expect(leaksIn(probe, { 'restored snapshot': JSON.stringify(restoredSnapshot) })).toEqual([]);
  });
});

/** A form model as an application might send it, a class instance rather than a plain object. */
class LoginForm {
  constructor(
    readonly username: string,
    readonly password: string,
  ) {}
}

/** Secrets a UI could send in shapes other than a string, each with the text that must not reach an inspector. */
const ODD_SHAPES: readonly {
  readonly name: string;
  readonly event: object;
  readonly canaries: readonly string[];
}[] = [
  { name: 'a number PIN', event: { type: 'SUBMIT_PIN', pin: 98765432 }, canaries: ['98765432'] },
  {
    name: 'a password as an array',
    event: {
      type: 'SUBMIT_CREDENTIALS',
      username: USERNAME,
      password: ['CANARY-ARRAY-PASSWORD-1', 'CANARY-ARRAY-PASSWORD-2'],
    },
    canaries: ['CANARY-ARRAY-PASSWORD-1', 'CANARY-ARRAY-PASSWORD-2'],
  },
  {
    name: 'a String object',
    event: { type: 'SUBMIT_VERIFICATION_CODE', code: new String('CANARY-STRING-OBJECT-CODE') },
    canaries: ['CANARY-STRING-OBJECT-CODE'],
  },
  {
    name: 'a code nested in an object',
    event: { type: 'SUBMIT_VERIFICATION_CODE', code: { value: 'CANARY-NESTED-CODE' } },
    canaries: ['CANARY-NESTED-CODE'],
  },
  {
    name: 'secret keys at depth',
    event: {
      type: 'X',
      payload: {
        deep: [
          { pin: 'CANARY-DEEP-PIN' },
          { pin: 24681357 },
          { Password: ['CANARY-DEEP-ARRAY-PASSWORD'] },
          { token: new String('CANARY-DEEP-STRING-OBJECT-TOKEN') },
          { answer: { text: 'CANARY-DEEP-NESTED-ANSWER' } },
        ],
      },
    },
    canaries: [
      'CANARY-DEEP-PIN',
      '24681357',
      'CANARY-DEEP-ARRAY-PASSWORD',
      'CANARY-DEEP-STRING-OBJECT-TOKEN',
      'CANARY-DEEP-NESTED-ANSWER',
    ],
  },
  {
    name: 'a class instance holding a password',
    event: { type: 'X', payload: { deep: [new LoginForm('u', 'CANARY-CLASS-PASSWORD')] } },
    canaries: ['CANARY-CLASS-PASSWORD'],
  },
  {
    name: 'a Map with a pin key',
    event: { type: 'X', payload: new Map([['pin', 'CANARY-MAP-PIN']]) },
    canaries: ['CANARY-MAP-PIN'],
  },
  {
    name: 'URLSearchParams with a password',
    event: { type: 'X', payload: new URLSearchParams({ password: 'CANARY-PARAMS-PASSWORD' }) },
    canaries: ['CANARY-PARAMS-PASSWORD'],
  },
];

describe('withRedaction hides secrets of any type, at any depth', () => {
  it.each(ODD_SHAPES)('hides $name from the inspector observer', async ({ event, canaries }) => {
    const probe = await startProbe();
    // In a step that takes a code: a code event is refused by the machine, the others ignored; all are inspected.
    await advance(probe, credentials);
    const from = probe.redactedEvents.length;
    probe.actor.send(event as EtnaAuthEvent);
    expect(probe.actor.getSnapshot().value).toEqual({ expecting: 'verificationCode' });

    const received = probe.redactedEvents.slice(from);
    expect(received.map(({ type }) => type)).toContain('@xstate.event');
    // The event in full, at any depth, in both prints; and each inspection event whole, as the probe prints them.
    const sent = received.flatMap((item) => ('event' in item ? [item.event] : []));
    const views: Record<string, string> = {
      'received events as JSON': toJson(sent),
      'received events util.inspect': inspect(sent, { depth: Infinity, showHidden: true }),
      'received inspection events as JSON': toJson(received),
      'received inspection events util.inspect': received
        .map((item) => inspect(item, { depth: 6 }))
        .join('\n'),
      'JSON.stringify(snapshot)': JSON.stringify(probe.actor.getSnapshot()),
      'console output': probe.consoleOutput.join('\n'),
    };
    const leaks = Object.entries(views).flatMap(([view, text]) =>
      canaries.filter((canary) => text.includes(canary)).map((canary) => `${canary} in ${view}`),
    );
    expect(leaks).toEqual([]);
    // The fields are still there, redacted, so a UI author sees that something was sent.
    // (A Map or URLSearchParams prints as {} in JSON, so util.inspect shows it for those.)
    expect(`${views['received events as JSON']} ${views['received events util.inspect']}`).toContain(
      '[redacted]',
    );

    // Control: the same event reached the raw inspector with every canary in it.
    const rawEvents = probe.rawEvents.filter((item) => 'event' in item && item.event === event);
    const raw = `${toJson(rawEvents)} ${inspect(
      rawEvents.map((item) => ('event' in item ? item.event : item)),
      { depth: Infinity },
    )}`;
    for (const canary of canaries) expect(raw).toContain(canary);
  });
});
