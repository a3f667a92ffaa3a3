// The whole login journey against the fake ETNA server's own protocol (no scripted answers unless a test says
// so): PIN set-up, an expired password, a forgotten password with and without a secret question, a resent code,
// and rate limits, each with the real actor, the real ky services, over loopback HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, createActor, SimulatedClock, type SnapshotFrom, waitFor } from 'xstate';
import {
  createEtnaAuthMachine,
  type EtnaAuthEvent,
  type EtnaAuthMachine,
  type EtnaAuthOptions,
  memoryStorage,
  Secret,
  selectToken,
} from '../../src/index.js';
import {
  FAKE_SECURITY_IMAGES,
  type FakeEtnaServer,
  type FakeEtnaServerOptions,
  startFakeEtnaServer,
  stateValueName,
} from '../../src/testing/index.js';

type AuthActor = Actor<EtnaAuthMachine>;
type AuthSnapshot = SnapshotFrom<EtnaAuthMachine>;

let server: FakeEtnaServer;
let clock: SimulatedClock;
const actors: AuthActor[] = [];

beforeEach(async () => {
  server = await startFakeEtnaServer();
  clock = new SimulatedClock();
});

afterEach(async () => {
  for (const actor of actors.splice(0)) actor.stop();
  await server.close();
});

function startActor(options: Partial<EtnaAuthOptions> = {}, target: FakeEtnaServer = server): AuthActor {
  const machine = createEtnaAuthMachine({
    baseUrl: target.url,
    appKey: target.appKey,
    timeout: 3_000,
    ...options,
  });
  const actor = createActor(machine, { clock });
  actors.push(actor);
  return actor.start();
}

/** Sends one event and waits until no request is in flight. */
function send(actor: AuthActor, event: EtnaAuthEvent): Promise<AuthSnapshot> {
  actor.send(event);
  return waitFor(actor, (snapshot) => !snapshot.hasTag('busy'), { timeout: 10_000 });
}

const state = (snapshot: AuthSnapshot) => stateValueName(snapshot.value);

const login = (actor: AuthActor, username: string, password: string) =>
  send(actor, { type: 'SUBMIT_CREDENTIALS', username, password: new Secret(password) });

/** The requests to a route since `from`, as `METHOD path`. */
const routesSince = (from: number) =>
  server.requests.slice(from).map((request) => `${request.method} ${request.path.replace('/api/', '')}`);

describe('PIN set-up (frank: PIN code is not init)', () => {
  it('loads the images, saves the new PIN and phrase, logs in again and asks for the new PIN beside them', async () => {
    const actor = startActor();
    const choosing = await login(actor, 'frank', 'frank-password');
    expect(state(choosing)).toBe('pinSetup.choosing');
    expect(choosing.context.reason).toBe('PIN code is not init');
    expect(choosing.context.securityImages?.map((image) => image.fileName)).toEqual(
      FAKE_SECURITY_IMAGES.map((image) => image.FileName),
    );
    for (const image of choosing.context.securityImages ?? [])
      expect(image.dataUrl).toMatch(/^data:image\/png;base64,/);
    const [tokenRequest, imagesRequest] = server.requests;
    expect(imagesRequest?.path).toBe('/api/v1.0/assets/security-images');
    expect(imagesRequest?.header('authorization')).toMatch(/^Bearer .+/);
    expect(tokenRequest?.outcome).toBe(202);

    // Refused before sending: a leading zero, an image not offered, an empty phrase.
    const sent = server.requests.length;
    for (const [event, field] of [
      [{ pin: '0123', imageName: 'apple.png', personalPhrase: 'Green apple' }, 'pin'],
      [{ pin: '5791', imageName: 'unknown.png', personalPhrase: 'Green apple' }, 'imageName'],
      [{ pin: '5791', imageName: 'apple.png', personalPhrase: '  ' }, 'personalPhrase'],
    ] as const) {
      actor.send({ type: 'SUBMIT_NEW_PIN', ...event, pin: new Secret(event.pin) });
      expect(state(actor.getSnapshot())).toBe('pinSetup.choosing');
      expect(actor.getSnapshot().context.error).toMatchObject({ kind: 'input', field });
      if (field === 'pin') expect(actor.getSnapshot().context.error?.message).toMatch(/start with 0/);
    }
    expect(server.requests.length).toBe(sent);

    const pinPrompt = await send(actor, {
      type: 'SUBMIT_NEW_PIN',
      pin: new Secret('5791'),
      imageName: 'apple.png',
      personalPhrase: 'Green apple',
    });
    expect(routesSince(sent)).toEqual(['POST v1.0/users/pincode/change', 'POST token']);
    expect(server.requests[sent]?.json()).toMatchObject({
      Pin: 5791,
      ImageName: 'apple.png',
      PersonalPhrase: 'Green apple',
    });
    expect(server.requests[sent]?.header('authorization')).toBe(imagesRequest?.header('authorization'));
    expect(state(pinPrompt)).toBe('expecting.securityPin');
    expect(pinPrompt.context.personalPhrase).toBe('Green apple');
    const apple = FAKE_SECURITY_IMAGES.find((image) => image.FileName === 'apple.png');
    expect(pinPrompt.context.securityImage?.dataUrl).toBe(`data:image/png;base64,${apple?.Content}`);
    expect(pinPrompt.context.securityImages).toBeUndefined();

    const done = await send(actor, { type: 'SUBMIT_PIN', pin: new Secret('5791') });
    expect(state(done)).toBe('succeeded.active');
    expect(done.context.personalPhrase).toBeUndefined();
    expect(server.sessionOwner(selectToken(done) ?? '')).toBe('frank');
  });

  it("shows the server's Errors and stays on the form when it refuses the new PIN", async () => {
    const actor = startActor();
    await login(actor, 'frank', 'frank-password');
    server.injectAt('pinChange', {
      kind: 'respond',
      status: 200,
      body: { Model: null, Errors: ['The PIN is too simple.'], ErrorsCode: ['ErrorPin'], IsSucceed: false },
    });
    const refused = await send(actor, {
      type: 'SUBMIT_NEW_PIN',
      pin: new Secret('1111'),
      imageName: 'heron.png',
      personalPhrase: 'Grey heron',
    });
    expect(state(refused)).toBe('pinSetup.choosing');
    expect(refused.context.serverErrors).toEqual(['The PIN is too simple.']);
    const pinPrompt = await send(actor, {
      type: 'SUBMIT_NEW_PIN',
      pin: new Secret('2580'),
      imageName: 'heron.png',
      personalPhrase: 'Grey heron',
    });
    expect(state(pinPrompt)).toBe('expecting.securityPin');
    expect(pinPrompt.context.serverErrors).toBeUndefined();
  });

  /** frank's new PIN answered by `status` and `body`; what the actor did, and what it sent after the answer. */
  async function newPinAnswered(status: number, body: object) {
    const actor = startActor();
    await login(actor, 'frank', 'frank-password');
    server.injectAt('pinChange', { kind: 'respond', status, body });
    const from = server.requests.length;
    const answered = await send(actor, {
      type: 'SUBMIT_NEW_PIN',
      pin: new Secret('1111'),
      imageName: 'heron.png',
      personalPhrase: 'Grey heron',
    });
    return { answered, routes: routesSince(from) };
  }

  it.each([200, 400])(
    'takes IsSucceed false with ASP.NET model-state Errors at HTTP %i as a refusal: its texts shown, no PIN saved, no login sent',
    async (status) => {
      const errors = { Pin: ['Invalid PIN', 'Too simple'] };
      const { answered, routes } = await newPinAnswered(status, {
        Model: null,
        Errors: errors,
        IsSucceed: false,
      });
      expect(routes).toEqual(['POST v1.0/users/pincode/change']);
      expect(state(answered)).toBe('pinSetup.choosing');
      expect(answered.context.serverErrors).toEqual(['Invalid PIN', 'Too simple']);
    },
  );

  it.each([
    ['that are not text', { Pin: [1, 2] }],
    ['that are empty', {}],
    ['that are a number', 7],
  ])('takes IsSucceed false with Errors %s as an unusable answer, not a saved PIN', async (_, errors) => {
    const { answered, routes } = await newPinAnswered(200, { Model: null, Errors: errors, IsSucceed: false });
    expect(routes).toEqual(['POST v1.0/users/pincode/change']);
    expect(state(answered)).toBe('error');
    expect(answered.context.error).toMatchObject({ kind: 'protocol', status: 200 });
  });

  it('offers RETRY when the images cannot be loaded, and loads them again', async () => {
    const actor = startActor();
    server.injectAt('securityImages', { kind: 'serverError' });
    const failed = await login(actor, 'frank', 'frank-password');
    expect(state(failed)).toBe('error');
    expect(failed.context.error).toMatchObject({ kind: 'http', status: 500 });
    const from = server.requests.length;
    const choosing = await send(actor, { type: 'RETRY' });
    expect(routesSince(from)).toEqual(['GET v1.0/assets/security-images']);
    expect(state(choosing)).toBe('pinSetup.choosing');
  });
});

describe('an expired password (erin)', () => {
  it('refuses a differing confirmation before sending, shows the policy, then logs in with the new password', async () => {
    const actor = startActor();
    const editing = await login(actor, 'erin', 'erin-password');
    expect(state(editing)).toBe('passwordChange.editing');
    expect(editing.context.reason).toBe('Your Password has expired and must be changed');

    const sent = server.requests.length;
    actor.send({
      type: 'SUBMIT_NEW_PASSWORD',
      password: new Secret('erin-new-password-1'),
      confirmation: new Secret('erin-new-password-2'),
    });
    expect(actor.getSnapshot().context.error).toMatchObject({ kind: 'input', field: 'confirmation' });
    actor.send({ type: 'SUBMIT_NEW_PASSWORD', password: 'line\nbreak', confirmation: 'line\nbreak' });
    expect(actor.getSnapshot().context.error).toMatchObject({ kind: 'input', field: 'password' });
    expect(server.requests.length).toBe(sent);

    const policy = await send(actor, {
      type: 'SUBMIT_NEW_PASSWORD',
      password: new Secret('short'),
      confirmation: new Secret('short'),
    });
    expect(state(policy)).toBe('passwordChange.editing');
    expect(policy.context.serverErrors?.length).toBeGreaterThan(0);
    expect(routesSince(sent)).toEqual(['PUT v1.0/users/passwords/reset/']);
    expect(server.requests[sent]?.header('authorization')).toBeUndefined();

    const from = server.requests.length;
    const done = await send(actor, {
      type: 'SUBMIT_NEW_PASSWORD',
      password: new Secret('erin-new-password-1'),
      confirmation: new Secret('erin-new-password-1'),
    });
    expect(routesSince(from)).toEqual(['PUT v1.0/users/passwords/reset/', 'POST token']);
    expect(server.requests[from + 1]?.header('password')).toBe('erin-new-password-1');
    expect(state(done)).toBe('succeeded.active');

    const again = startActor();
    expect(state(await login(again, 'erin', 'erin-password'))).toBe('failed');
  });

  it('still ends in failed with passwordExpired when the answer carries no token to change it with', async () => {
    const other = await startFakeEtnaServer({
      users: [
        {
          username: 'erin',
          password: 'erin-password',
          passwordExpired: true,
          passwordExpiredAnswer: { status: 401, tokenField: 'none' },
        },
      ],
    } as FakeEtnaServerOptions);
    try {
      const actor = startActor({}, other);
      const failed = await login(actor, 'erin', 'erin-password');
      expect(state(failed)).toBe('failed');
      expect(failed.context.failure?.code).toBe('passwordExpired');
    } finally {
      await other.close();
    }
  });
});

describe('a forgotten password', () => {
  it('grace: the secret question, a wrong answer asked again, the e-mailed code, a new password, then the login', async () => {
    const actor = startActor();
    const question = await send(actor, { type: 'FORGOT_PASSWORD', username: 'grace' });
    expect(state(question)).toBe('passwordReset.question');
    expect(question.context.secretQuestion).toBe('What was the name of your first pet?');
    expect(server.requests.at(-1)?.path).toBe('/api/v1.0/users/password/secret-question');

    const wrong = await send(actor, { type: 'SUBMIT_SECRET_ANSWER', answer: new Secret('Fido') });
    expect(state(wrong)).toBe('passwordReset.question');
    expect(wrong.context.serverErrors).toEqual(['Answer is incorrect, try again.']);

    const mails = server.mailbox.length;
    const code = await send(actor, { type: 'SUBMIT_SECRET_ANSWER', answer: new Secret('Rex') });
    expect(state(code)).toBe('passwordReset.code');
    expect(code.context.serverErrors).toBeUndefined();
    const mail = await server.waitForMail('grace', 'passwordReset', mails);

    const badCode = await send(actor, { type: 'SUBMIT_RESET_CODE', code: new Secret('000000') });
    expect(state(badCode)).toBe('passwordReset.code');
    expect(badCode.context.serverErrors?.length).toBe(1);

    const newPassword = await send(actor, { type: 'SUBMIT_RESET_CODE', code: new Secret(mail.code) });
    expect(state(newPassword)).toBe('passwordReset.newPassword');
    const from = server.requests.length;
    const done = await send(actor, {
      type: 'SUBMIT_NEW_PASSWORD',
      password: new Secret('grace-new-password-1'),
      confirmation: new Secret('grace-new-password-1'),
    });
    expect(routesSince(from)).toEqual(['PUT v1.0/users/passwords/reset/', 'POST token']);
    expect(state(done)).toBe('succeeded.active');
    expect(done.context.username).toBe('grace');
    expect(server.sessionOwner(selectToken(done) ?? '')).toBe('grace');
  });

  it('henry: no secret question, so the code is requested at once', async () => {
    const actor = startActor();
    const mails = server.mailbox.length;
    const code = await send(actor, { type: 'FORGOT_PASSWORD', username: 'henry' });
    expect(state(code)).toBe('passwordReset.code');
    expect(code.context.secretQuestion).toBeUndefined();
    expect(routesSince(0)).toEqual([
      'GET v1.0/users/password/secret-question',
      'POST v1.0/users/password/reset',
    ]);
    expect(server.requests[1]?.json()).toEqual({ User: 'henry' });
    const mail = await server.waitForMail('henry', 'passwordReset', mails);
    expect(mail.code).toMatch(/^\d{6}$/);
  });

  it('henry by his e-mail address: the reset, then the login with the address and the new password', async () => {
    const actor = startActor();
    const mails = server.mailbox.length;
    await send(actor, { type: 'FORGOT_PASSWORD', username: 'henry@example.com' });
    const { code } = await server.waitForMail('henry', 'passwordReset', mails);
    await send(actor, { type: 'SUBMIT_RESET_CODE', code: new Secret(code) });
    const done = await send(actor, {
      type: 'SUBMIT_NEW_PASSWORD',
      password: new Secret('henry-new-password-1'),
      confirmation: new Secret('henry-new-password-1'),
    });
    expect(state(done)).toBe('succeeded.active');
    expect(server.requests.at(-1)?.header('username')).toBe('henry@example.com');
    expect(server.sessionOwner(selectToken(done) ?? '')).toBe('henry');
  });

  it('clears the refusal shown while the form is sent again', async () => {
    const actor = startActor();
    await send(actor, { type: 'FORGOT_PASSWORD', username: 'grace' });
    const wrong = await send(actor, { type: 'SUBMIT_SECRET_ANSWER', answer: new Secret('Fido') });
    expect(wrong.context.serverErrors?.length).toBe(1);
    server.injectAt('resetRequest', { kind: 'hang' });
    actor.send({ type: 'SUBMIT_SECRET_ANSWER', answer: new Secret('Rex') });
    expect(state(actor.getSnapshot())).toBe('passwordReset.requestingCode');
    expect(actor.getSnapshot().context.serverErrors).toBeUndefined();
  });

  it('a second code makes the first stop working', async () => {
    const first = startActor();
    await send(first, { type: 'FORGOT_PASSWORD', username: 'henry' });
    const oldCode = (await server.waitForMail('henry', 'passwordReset')).code;
    const mails = server.mailbox.length;
    const second = startActor();
    await send(second, { type: 'FORGOT_PASSWORD', username: 'henry' });
    const newCode = (await server.waitForMail('henry', 'passwordReset', mails)).code;
    const refused = await send(first, { type: 'SUBMIT_RESET_CODE', code: new Secret(oldCode) });
    expect(state(refused)).toBe('passwordReset.code');
    expect(refused.context.serverErrors?.length).toBe(1);
    if (newCode !== oldCode) {
      const accepted = await send(second, { type: 'SUBMIT_RESET_CODE', code: new Secret(newCode) });
      expect(state(accepted)).toBe('passwordReset.newPassword');
    }
  });

  it('CANCEL from every step returns to idle with the username kept', async () => {
    const actor = startActor();
    await send(actor, { type: 'FORGOT_PASSWORD', username: 'grace' });
    actor.send({ type: 'CANCEL' });
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context.username).toBe('grace');
    expect(actor.getSnapshot().context.secretQuestion).toBeUndefined();
  });
});

describe('resending the verification code (ivy: a new code each time)', () => {
  it('holds RESEND_CODE back during the cooldown without a request, then a new code replaces the old one', async () => {
    const actor = startActor({ resendCooldown: 30_000 });
    const mails = server.mailbox.length;
    const prompt = await login(actor, 'ivy', 'ivy-password');
    expect(state(prompt)).toBe('expecting.verificationCode');
    const oldCode = (await server.waitForMail('ivy', 'verificationCode', mails)).code;
    expect(prompt.can({ type: 'RESEND_CODE' })).toBe(false);
    expect(prompt.context.resendAvailableAt).toBeGreaterThan(Date.now() + 25_000);

    const sent = server.requests.length;
    actor.send({ type: 'RESEND_CODE' });
    expect(state(actor.getSnapshot())).toBe('expecting.verificationCode');
    expect(server.requests.length, 'no request during the cooldown').toBe(sent);

    clock.increment(29_000);
    expect(actor.getSnapshot().can({ type: 'RESEND_CODE' })).toBe(false);
    clock.increment(2_000);
    expect(actor.getSnapshot().can({ type: 'RESEND_CODE' })).toBe(true);
    expect(server.requests.length, 'the end of the cooldown sends nothing').toBe(sent);

    const resendMails = server.mailbox.length;
    const resent = await send(actor, { type: 'RESEND_CODE' });
    expect(routesSince(sent)).toEqual(['POST token']);
    expect(server.requests[sent]?.header('authorization')).toBeUndefined();
    expect(server.requests[sent]?.header('verificationcode')).toBeUndefined();
    expect(state(resent)).toBe('expecting.verificationCode');
    expect(resent.context.codeResent).toBe(true);
    expect(resent.can({ type: 'RESEND_CODE' })).toBe(false);
    const newCode = (await server.waitForMail('ivy', 'verificationCode', resendMails)).code;

    // The old code no longer works; start again and the new one does.
    const refused = await send(actor, { type: 'SUBMIT_VERIFICATION_CODE', code: new Secret(oldCode) });
    if (oldCode !== newCode) {
      expect(state(refused)).toBe('failed');
      expect(refused.context.failure?.code).toBe('rejected');
    }
    const fresh = startActor();
    const freshMails = server.mailbox.length;
    await login(fresh, 'ivy', 'ivy-password');
    const freshCode = (await server.waitForMail('ivy', 'verificationCode', freshMails)).code;
    const staleRefused = await send(fresh, { type: 'SUBMIT_VERIFICATION_CODE', code: new Secret(newCode) });
    if (freshCode !== newCode) expect(state(staleRefused)).toBe('failed');
  });

  it('the new code logs in', async () => {
    const actor = startActor({ resendCooldown: 1_000 });
    await login(actor, 'ivy', 'ivy-password');
    clock.increment(1_500);
    const mails = server.mailbox.length;
    await send(actor, { type: 'RESEND_CODE' });
    const { code } = await server.waitForMail('ivy', 'verificationCode', mails);
    const done = await send(actor, { type: 'SUBMIT_VERIFICATION_CODE', code: new Secret(code) });
    expect(state(done)).toBe('succeeded.active');
  });

  it('a 429 to a resend keeps the prompt and its code, and extends the cooldown by Retry-After', async () => {
    const actor = startActor({ resendCooldown: 1_000 });
    const mails = server.mailbox.length;
    await login(actor, 'ivy', 'ivy-password');
    const { code } = await server.waitForMail('ivy', 'verificationCode', mails);
    clock.increment(1_500);
    server.inject({ kind: 'rateLimited', retryAfter: '40' });
    const limited = await send(actor, { type: 'RESEND_CODE' });
    expect(state(limited)).toBe('expecting.verificationCode');
    expect(limited.context.error).toMatchObject({ kind: 'rateLimited', retryAfterMs: 40_000 });
    expect(limited.context.resendAvailableAt).toBeGreaterThan(Date.now() + 35_000);
    expect(limited.can({ type: 'RESEND_CODE' })).toBe(false);
    const done = await send(actor, { type: 'SUBMIT_VERIFICATION_CODE', code: new Secret(code) });
    expect(state(done)).toBe('succeeded.active');
  });
});

describe('rate limits', () => {
  it('a 429 on /token holds RETRY back until Retry-After has passed, and sends nothing meanwhile', async () => {
    const limited = await startFakeEtnaServer({ rateLimit: { requests: 2, windowMs: 60_000 } });
    try {
      const actor = startActor({}, limited);
      for (let attempt = 0; attempt < 2; attempt++) {
        expect(state(await login(actor, 'alice', 'wrong-password'))).toBe('failed');
        actor.send({ type: 'RETRY' });
      }
      const error = await login(actor, 'alice', 'alice-password');
      expect(state(error)).toBe('error');
      expect(error.context.error?.kind).toBe('rateLimited');
      const wait = error.context.error?.retryAfterMs ?? 0;
      expect(wait).toBeGreaterThanOrEqual(1_000);
      expect(error.context.retryAvailableAt).toBeGreaterThan(Date.now());
      expect(error.can({ type: 'RETRY' })).toBe(false);
      const sent = limited.requests.length;
      actor.send({ type: 'RETRY' });
      expect(state(actor.getSnapshot())).toBe('error');
      expect(limited.requests.length).toBe(sent);
      clock.increment(wait + 1_000);
      expect(actor.getSnapshot().can({ type: 'RETRY' })).toBe(true);
      expect(actor.getSnapshot().context.retryAvailableAt).toBeUndefined();
      expect(limited.requests.length).toBe(sent);
    } finally {
      await limited.close();
    }
  });

  it.each([
    ['securityImages', 'frank'],
    ['resetRequest', 'henry'],
  ] as const)('a 429 on %s holds RETRY back, then RETRY sends that call again', async (route, username) => {
    const actor = startActor();
    server.injectAt(route, { kind: 'rateLimited', retryAfter: '3' });
    const error =
      route === 'securityImages'
        ? await login(actor, username, `${username}-password`)
        : await send(actor, { type: 'FORGOT_PASSWORD', username });
    expect(state(error)).toBe('error');
    expect(error.context.error).toMatchObject({ kind: 'rateLimited', retryAfterMs: 3_000 });
    expect(error.can({ type: 'RETRY' })).toBe(false);
    clock.increment(3_100);
    expect(actor.getSnapshot().can({ type: 'RETRY' })).toBe(true);
    const from = server.requests.length;
    const next = await send(actor, { type: 'RETRY' });
    expect(routesSince(from)).toEqual(
      route === 'securityImages' ? ['GET v1.0/assets/security-images'] : ['POST v1.0/users/password/reset'],
    );
    expect(state(next)).toBe(route === 'securityImages' ? 'pinSetup.choosing' : 'passwordReset.code');
  });
});

describe('a restored snapshot in the middle of a call beside /token', () => {
  it('sends nothing by itself: it lands in error, and RETRY sends the call again', async () => {
    const actor = startActor();
    await login(actor, 'frank', 'frank-password');
    server.injectAt('pinChange', { kind: 'hang' });
    actor.send({
      type: 'SUBMIT_NEW_PIN',
      pin: new Secret('5791'),
      imageName: 'apple.png',
      personalPhrase: 'Green',
    });
    await server.waitForRequests(3);
    const persisted = actor.getPersistedSnapshot();
    expect(JSON.stringify(persisted)).not.toContain('5791');
    actor.stop();
    const before = server.requests.length;
    const restored = createActor(
      createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey, persist: memoryStorage() }),
      { snapshot: persisted, clock },
    );
    actors.push(restored);
    restored.start();
    const error = await waitFor(restored, (snapshot) => snapshot.value === 'error', { timeout: 5_000 });
    expect(server.requests.length).toBe(before);
    expect(error.context.error?.message).toMatch(/restored/);
    const from = server.requests.length;
    restored.send({ type: 'RETRY' });
    await waitFor(restored, (snapshot) => !snapshot.hasTag('busy'), { timeout: 5_000 });
    expect(routesSince(from)[0]).toBe('POST v1.0/users/pincode/change');
  });
});
