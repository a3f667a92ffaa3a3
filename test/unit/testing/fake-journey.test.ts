// The fake ETNA server's login journey beside /token, over real loopback HTTP: the PIN set-up (security images,
// pincode/change), the expired password's change, the forgotten password (secret question, e-mailed code, reset
// token), verification codes by mail, anti-phishing, per-route faults and the optional rate limit.
import { inspect } from 'node:util';
import { inflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_USERS, describeDemoUserSteps, type FakeEtnaUser } from '../../../src/testing/demo-users.js';
import {
  FAKE_ETNA_ROUTES,
  FAKE_SECURITY_IMAGES,
  type FakeEtnaServer,
  type FakeEtnaServerOptions,
  type FakeFault,
  type FakeJourneyRoute,
  isFakeEtnaRoute,
  startFakeEtnaServer,
} from '../../../src/testing/fake/index.js';

/** What the journey routes (and /token) answer, loosely: each test reads the fields it expects. */
interface Body {
  Model?: unknown;
  Errors?: string[];
  ErrorsCode?: string[];
  IsSucceed?: boolean;
  Message?: string;
  error?: string;
  State?: string;
  Step?: string;
  Reason?: string;
  Token?: string;
  ConfirmationToken?: string;
  PersonalPhrase?: string;
  Image?: string;
}

interface Reply {
  status: number;
  body: Body;
  text: string;
  headers: Headers;
}

interface Sent {
  method: string;
  /** Relative to the base path, query included. */
  path: string;
  bearer?: string;
  json?: unknown;
  /** A raw body instead of `json`. */
  body?: string;
  contentType?: string;
  /** null: no Et-App-Key at all. */
  appKey?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const IMAGES = 'v1.0/assets/security-images';
const PIN_CHANGE = 'v1.0/users/pincode/change';
const PASSWORD_CHANGE = 'v1.0/users/passwords/reset/';
const SECRET_QUESTION = 'v1.0/users/password/secret-question';
const RESET_REQUEST = 'v1.0/users/password/reset';
const RESET_CODE = 'v1.0/users/password/reset/code';
const IDENTIFIER_RESET_CODE = 'v1.0/users/identifiers/reset/code';

const APP_KEY_ERROR = { error: 'Application key is not defined or does not exist' };
const DENIED = { Message: 'Authorization has been denied for this request.' };
const SUCCEEDED = { Model: null, Errors: [], ErrorsCode: [], IsSucceed: true };

let server: FakeEtnaServer;
const extraServers: FakeEtnaServer[] = [];

beforeEach(async () => {
  server = await startFakeEtnaServer();
});

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all([server.close(), ...extraServers.splice(0).map((extra) => extra.close())]);
});

async function startExtra(options: FakeEtnaServerOptions): Promise<FakeEtnaServer> {
  const extra = await startFakeEtnaServer(options);
  extraServers.push(extra);
  return extra;
}

function fetchRoute(sent: Sent, target = server): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...sent.headers };
  if (sent.appKey !== null) headers['Et-App-Key'] = sent.appKey ?? target.appKey;
  if (sent.bearer !== undefined) headers.Authorization = `Bearer ${sent.bearer}`;
  let body = sent.body;
  if (sent.json !== undefined) body = JSON.stringify(sent.json);
  if (body !== undefined) headers['Content-Type'] = sent.contentType ?? 'application/json';
  return fetch(`${target.url}${sent.path}`, { method: sent.method, headers, body, signal: sent.signal });
}

async function call(sent: Sent, target = server): Promise<Reply> {
  const response = await fetchRoute(sent, target);
  const text = await response.text();
  let body: Body = {};
  try {
    body = JSON.parse(text) as Body;
  } catch {
    // Not JSON: the test reads `text`.
  }
  return { status: response.status, body, text, headers: response.headers };
}

const credentials = (username: string) => ({ Username: username, Password: `${username}-password` });

async function postToken(headers: Record<string, string>, target = server): Promise<Reply> {
  return call({ method: 'POST', path: 'token', headers }, target);
}

/** frank's login: the PIN set-up tokens of a 'PIN code is not init' answer. */
async function frankSetup(target = server): Promise<{ token: string; confirmation: string }> {
  const reply = await postToken(credentials('frank'), target);
  expect(reply.body.Reason).toBe('PIN code is not init');
  return { token: reply.body.Token ?? 'missing', confirmation: reply.body.ConfirmationToken ?? 'missing' };
}

/** erin's login: the confirmation token of a 'password expired' answer. */
async function erinToken(target = server): Promise<string> {
  const reply = await postToken(credentials('erin'), target);
  expect(reply.body.Reason).toBe('Your Password has expired and must be changed');
  return reply.body.ConfirmationToken ?? 'missing';
}

const pinChange = (bearer: string, json: unknown, target = server) =>
  call({ method: 'POST', path: PIN_CHANGE, bearer, json }, target);
const passwordChange = (json: unknown, target = server) =>
  call({ method: 'PUT', path: PASSWORD_CHANGE, json }, target);
const secretQuestion = (username: string, target = server) =>
  call({ method: 'GET', path: `${SECRET_QUESTION}?username=${encodeURIComponent(username)}` }, target);
const resetRequest = (json: unknown, target = server) =>
  call({ method: 'POST', path: RESET_REQUEST, json }, target);
const resetCode = (json: unknown, target = server) =>
  call({ method: 'POST', path: RESET_CODE, json }, target);

/** A reset code for a user, read from the mailbox (the request's own mail, by count). */
async function mailedResetCode(username: string, answer?: string, target = server): Promise<string> {
  const before = target.mailbox.length;
  const reply = await resetRequest({ User: username, SecretQuestionAnswer: answer }, target);
  expect(reply.status).toBe(200);
  return (await target.waitForMail(username, 'passwordReset', before)).code;
}

const refusedWith = (error: string, code?: string) => ({
  Model: null,
  Errors: [error],
  ErrorsCode: code === undefined ? [expect.any(String)] : [code],
  IsSucceed: false,
});

const badRequest = (text: RegExp) => ({
  Model: null,
  Errors: [expect.stringMatching(text)],
  ErrorsCode: ['ErrorBadRequest'],
  IsSucceed: false,
});

/** CRC-32 bit by bit: a second implementation to check the server's PNG chunks against. */
function referenceCrc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** Decodes a truecolour 8-bit PNG, checking every chunk's CRC; returns its size and its pixels' one colour. */
function decodeSolidPng(base64: string): { width: number; height: number; colour: string } {
  const bytes = Buffer.from(base64, 'base64');
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  let offset = 8;
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    expect(bytes.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(
      referenceCrc32(bytes.subarray(offset + 4, offset + 8 + length)),
    );
    chunks.push({ type, data });
    offset += 12 + length;
  }
  expect(offset).toBe(bytes.length);
  expect(chunks.map(({ type }) => type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = chunks[0]?.data ?? Buffer.alloc(13);
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  expect([...header.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
  const raw = inflateSync(chunks[1]?.data ?? Buffer.alloc(0));
  expect(raw.length).toBe(height * (1 + width * 3));
  const colours = new Set<string>();
  for (let y = 0; y < height; y++) {
    const row = raw.subarray(y * (1 + width * 3), (y + 1) * (1 + width * 3));
    expect(row[0], 'filter type').toBe(0);
    for (let x = 0; x < width; x++) colours.add(row.subarray(1 + x * 3, 4 + x * 3).toString('hex'));
  }
  expect(colours.size).toBe(1);
  return { width, height, colour: [...colours][0] ?? '' };
}

describe('the route list', () => {
  it('names the journey routes, matched exactly: method, path, trailing slash, no query', () => {
    expect(FAKE_ETNA_ROUTES).toMatchObject({
      securityImages: { method: 'GET', path: IMAGES },
      pinChange: { method: 'POST', path: PIN_CHANGE },
      passwordChange: { method: 'PUT', path: PASSWORD_CHANGE },
      secretQuestion: { method: 'GET', path: SECRET_QUESTION },
      resetRequest: { method: 'POST', path: RESET_REQUEST },
      resetCode: { method: 'POST', path: RESET_CODE },
      identifierResetCode: { method: 'POST', path: IDENTIFIER_RESET_CODE },
    });
    expect(isFakeEtnaRoute('PUT', PASSWORD_CHANGE)).toBe(true);
    expect(isFakeEtnaRoute('PUT', 'v1.0/users/passwords/reset')).toBe(false);
    expect(isFakeEtnaRoute('POST', PASSWORD_CHANGE)).toBe(false);
    expect(isFakeEtnaRoute('GET', SECRET_QUESTION)).toBe(true);
    expect(isFakeEtnaRoute('GET', `${SECRET_QUESTION}?username=grace`)).toBe(false);
    expect(isFakeEtnaRoute('POST', IDENTIFIER_RESET_CODE)).toBe(true);
    expect(isFakeEtnaRoute('POST', 'token')).toBe(true);
  });

  it('allows PUT and Content-Type in CORS preflights, and answers journey routes with allow-origin', async () => {
    const custom = await startExtra({ cors: true });
    const preflight = await fetch(`${custom.url}${PASSWORD_CHANGE}`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type, et-app-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')?.split(', ')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')?.split(', ')).toContain('Content-Type');
    const question = await secretQuestion('grace', custom);
    expect(question.headers.get('access-control-allow-origin')).toBe('*');
    const wrongMethod = await call({ method: 'DELETE', path: PASSWORD_CHANGE }, custom);
    expect(wrongMethod.headers.get('allow')).toBe('PUT, OPTIONS');
  });
});

describe('the PIN set-up: security images and pincode/change', () => {
  it('lists 3 to 6 valid 16×16 PNGs of different colours to the set-up token of "PIN code is not init"', async () => {
    const { token } = await frankSetup();
    const reply = await call({ method: 'GET', path: IMAGES, bearer: token });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.body).toMatchObject({ Errors: [], ErrorsCode: [], IsSucceed: true });
    const images = reply.body.Model as { FileName: string; Content: string }[];
    expect(images.length).toBeGreaterThanOrEqual(3);
    expect(images.length).toBeLessThanOrEqual(6);
    expect(images).toEqual(FAKE_SECURITY_IMAGES);
    const names = images.map((image) => image.FileName);
    expect(names).toEqual(expect.arrayContaining(['apple.png', 'heron.png', 'sailboat.png', 'mountain.png']));
    expect(new Set(names).size).toBe(names.length);
    const colours = images.map((image) => {
      expect(image.Content).toMatch(/^[A-Za-z0-9+/]+=*$/);
      const png = decodeSolidPng(image.Content);
      expect([png.width, png.height]).toEqual([16, 16]);
      return png.colour;
    });
    expect(new Set(colours).size).toBe(images.length);
  });

  it('answers 401 without a bearer, or with an unknown, a session or an interim token', async () => {
    const alice = await postToken(credentials('alice'));
    const bob = await postToken(credentials('bob'));
    for (const bearer of [undefined, 'not-a-token', alice.body.Token, bob.body.Token]) {
      const reply = await call({ method: 'GET', path: IMAGES, bearer });
      expect(reply.status, String(bearer)).toBe(401);
      expect(reply.body).toEqual(DENIED);
    }
    const pin = await pinChange('not-a-token', {
      Token: 'x',
      Pin: 1,
      ImageName: 'apple.png',
      PersonalPhrase: 'p',
    });
    expect(pin.status).toBe(401);
    expect(pin.body).toEqual(DENIED);
  });

  it('sets the PIN, phrase and image; the next login asks for that PIN and shows them', async () => {
    const { token, confirmation } = await frankSetup();
    const reply = await pinChange(token, {
      Token: confirmation,
      Pin: 2468,
      ImageName: 'sailboat.png',
      PersonalPhrase: 'Red kite over the hill',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(SUCCEEDED);
    expect(server.users.find((user) => user.username === 'frank')).toMatchObject({
      pin: '2468',
      pinNotInitialized: false,
      personalPhrase: 'Red kite over the hill',
      securityImage: 'sailboat.png',
    });

    const login = await postToken(credentials('frank'));
    expect(login.status).toBe(202);
    expect(login.body).toEqual({
      State: 'Expecting',
      Step: 'SecutityPin',
      Reason: 'Expecting pin code',
      Token: expect.any(String),
      PersonalPhrase: 'Red kite over the hill',
      Image: FAKE_SECURITY_IMAGES.find((image) => image.FileName === 'sailboat.png')?.Content,
    });
    const done = await postToken({ Authorization: `Bearer ${login.body.Token}`, PinCode: '2468' });
    expect(done.status).toBe(200);
    expect(server.sessionOwner(done.body.Token ?? '')).toBe('frank');

    const again = await pinChange(token, {
      Token: confirmation,
      Pin: 1357,
      ImageName: 'apple.png',
      PersonalPhrase: 'again',
    });
    expect(again.body).toEqual(
      refusedWith('The confirmation token is invalid or has expired.', 'ErrorInvalidToken'),
    );
    expect(server.users.find((user) => user.username === 'frank')?.pin).toBe('2468');
  });

  it('refuses a wrong confirmation token, a PIN that is no positive integer, an unknown image, an empty phrase', async () => {
    const { token, confirmation } = await frankSetup();
    const other = await frankSetup();
    const good = { Token: confirmation, Pin: 1357, ImageName: 'apple.png', PersonalPhrase: 'Quiet harbour' };
    const cases: [object, string, string][] = [
      [{ Token: 'bogus' }, 'The confirmation token is invalid or has expired.', 'ErrorInvalidToken'],
      [
        { Token: other.confirmation },
        'The confirmation token is invalid or has expired.',
        'ErrorInvalidToken',
      ],
      [{ Pin: 12.5 }, 'The PIN must be a positive whole number.', 'ErrorInvalidPin'],
      [{ Pin: 0 }, 'The PIN must be a positive whole number.', 'ErrorInvalidPin'],
      [{ Pin: -42 }, 'The PIN must be a positive whole number.', 'ErrorInvalidPin'],
      [{ Pin: 1e300 }, 'The PIN must be a positive whole number.', 'ErrorInvalidPin'],
      [{ ImageName: 'pear.png' }, 'Unknown security image.', 'ErrorUnknownImage'],
      [{ PersonalPhrase: '' }, 'The personal phrase is required.', 'ErrorEmptyPersonalPhrase'],
      [{ PersonalPhrase: '   ' }, 'The personal phrase is required.', 'ErrorEmptyPersonalPhrase'],
    ];
    for (const [change, error, code] of cases) {
      const reply = await pinChange(token, { ...good, ...change });
      expect(reply.status, JSON.stringify(change)).toBe(200);
      expect(reply.body, JSON.stringify(change)).toEqual(refusedWith(error, code));
    }
    expect(server.users.find((user) => user.username === 'frank')?.pinNotInitialized).toBe(true);
    // None of them used the confirmation token up.
    expect((await pinChange(token, good)).body).toEqual(SUCCEEDED);
  });

  it('answers 400 to a body that is not JSON, not an object, not sent as JSON, or with fields of the wrong type', async () => {
    const { token, confirmation } = await frankSetup();
    const good = { Token: confirmation, Pin: 1357, ImageName: 'apple.png', PersonalPhrase: 'Quiet harbour' };
    const raw: [Partial<Sent>, RegExp][] = [
      [{}, /missing/],
      [{ body: '{"Token":' }, /not valid JSON/],
      [{ body: '[1,2]' }, /JSON object/],
      [{ body: 'null' }, /JSON object/],
      [{ json: good, contentType: 'text/plain' }, /Content-Type: application\/json/],
      [{ json: { ...good, Pin: '1357' } }, /Pin must be a number/],
      [{ json: { ...good, Token: undefined } }, /Token must be a string/],
      [{ json: { ...good, ImageName: 3 } }, /ImageName must be a string/],
      [{ json: { ...good, PersonalPhrase: null } }, /PersonalPhrase must be a string/],
    ];
    for (const [sent, text] of raw) {
      const reply = await call({ method: 'POST', path: PIN_CHANGE, bearer: token, ...sent });
      expect(reply.status, JSON.stringify(sent)).toBe(400);
      expect(reply.body, JSON.stringify(sent)).toEqual(badRequest(text));
    }
    expect((await pinChange(token, good)).body).toEqual(SUCCEEDED);
  });

  it('authorizes with the confirmation token when the answer carries only that one', async () => {
    const users: FakeEtnaUser[] = [
      {
        username: 'olga',
        password: 'olga-pw',
        pinNotInitialized: true,
        pinNotInitializedAnswer: { tokens: 'confirmationOnly' },
      },
    ];
    const custom = await startExtra({ users });
    const login = await postToken({ Username: 'olga', Password: 'olga-pw' }, custom);
    expect(login.status).toBe(202);
    expect(login.body).toEqual({
      State: 'Expecting',
      Step: 'SecutityPin',
      Reason: 'PIN code is not init',
      ConfirmationToken: expect.any(String),
    });
    const confirmation = login.body.ConfirmationToken ?? '';
    const images = await call({ method: 'GET', path: IMAGES, bearer: confirmation }, custom);
    expect(images.body.IsSucceed).toBe(true);
    const change = await pinChange(
      confirmation,
      { Token: confirmation, Pin: 975, ImageName: 'heron.png', PersonalPhrase: 'Olga here' },
      custom,
    );
    expect(change.body).toEqual(SUCCEEDED);
    const next = await postToken({ Username: 'olga', Password: 'olga-pw' }, custom);
    expect(next.body).toMatchObject({
      Step: 'SecutityPin',
      Reason: 'Expecting pin code',
      PersonalPhrase: 'Olga here',
    });
  });

  it('answers 401 Failed, or sends no token at all, by pinNotInitializedAnswer', async () => {
    const users: FakeEtnaUser[] = [
      { username: 'u401', password: 'pw', pinNotInitialized: true, pinNotInitializedAnswer: { status: 401 } },
      {
        username: 'unone',
        password: 'pw',
        pinNotInitialized: true,
        pinNotInitializedAnswer: { tokens: 'none' },
      },
    ];
    const custom = await startExtra({ users, pinStepName: 'SecurityPin' });
    const failed = await postToken({ Username: 'u401', Password: 'pw' }, custom);
    expect(failed.status).toBe(401);
    expect(failed.body).toEqual({
      State: 'Failed',
      Step: 'SecurityPin',
      Reason: 'PIN code is not init',
      Token: expect.any(String),
      ConfirmationToken: expect.any(String),
    });
    const images = await call({ method: 'GET', path: IMAGES, bearer: failed.body.Token }, custom);
    expect(images.status).toBe(200);
    const none = await postToken({ Username: 'unone', Password: 'pw' }, custom);
    expect(none.status).toBe(202);
    expect(none.body).toEqual({ State: 'Expecting', Step: 'SecurityPin', Reason: 'PIN code is not init' });
  });
});

describe('anti-phishing on the PIN prompt', () => {
  it("sends bob's phrase and image with the first ask and with each 'Invalid pin' re-ask", async () => {
    const heron = FAKE_SECURITY_IMAGES.find((image) => image.FileName === 'heron.png')?.Content;
    expect(heron).toBeDefined();
    const first = await postToken(credentials('bob'));
    expect(first.body).toMatchObject({
      Step: 'SecutityPin',
      PersonalPhrase: 'Blue heron at dawn',
      Image: heron,
    });
    const wrong = await postToken({ Authorization: `Bearer ${first.body.Token}`, PinCode: '0000' });
    expect(wrong.status).toBe(202);
    expect(wrong.body).toMatchObject({
      Reason: 'Invalid pin',
      PersonalPhrase: 'Blue heron at dawn',
      Image: heron,
    });
    const right = await postToken({ Authorization: `Bearer ${wrong.body.Token}`, PinCode: '1234' });
    expect(right.status).toBe(200);
  });

  it('sends neither to a user without them, and no Image for an unknown file name', async () => {
    const dave = await postToken(credentials('dave'));
    expect(dave.body).not.toHaveProperty('PersonalPhrase');
    const davePin = await postToken({
      ...credentials('dave'),
      Authorization: `Bearer ${dave.body.Token}`,
      VerificationCode: '654321',
    });
    expect(davePin.body.Step).toBe('SecutityPin');
    expect(davePin.body).not.toHaveProperty('PersonalPhrase');
    expect(davePin.body).not.toHaveProperty('Image');

    const users: FakeEtnaUser[] = [
      { username: 'pia', password: 'pw', pin: '9', securityImage: 'nowhere.png', personalPhrase: 'Hi' },
    ];
    const custom = await startExtra({ users });
    const pia = await postToken({ Username: 'pia', Password: 'pw' }, custom);
    expect(pia.body).toMatchObject({ PersonalPhrase: 'Hi' });
    expect(pia.body).not.toHaveProperty('Image');
  });
});

describe('the expired password: PUT v1.0/users/passwords/reset/', () => {
  it("changes erin's password with the confirmation token: the old one stops working, the new one logs in", async () => {
    const token = await erinToken();
    const reply = await call({
      method: 'PUT',
      path: PASSWORD_CHANGE,
      json: { Token: token, Password: 'erin-new-pass1', PasswordConfirmation: 'erin-new-pass1' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(SUCCEEDED);
    expect(server.requests.at(-1)?.header('authorization')).toBeUndefined();
    expect(server.users.find((user) => user.username === 'erin')).toMatchObject({
      password: 'erin-new-pass1',
      passwordExpired: false,
    });
    const old = await postToken(credentials('erin'));
    expect(old.status).toBe(401);
    expect(old.body.Reason).toBe('Invalid credentials');
    const fresh = await postToken({ Username: 'erin', Password: 'erin-new-pass1' });
    expect(fresh.status).toBe(200);
    expect(server.sessionOwner(fresh.body.Token ?? '')).toBe('erin');
    const reused = await passwordChange({
      Token: token,
      Password: 'other-pass2',
      PasswordConfirmation: 'other-pass2',
    });
    expect(reused.body).toEqual(refusedWith('The token is invalid or has expired.', 'ErrorInvalidToken'));
  });

  it("puts erin's password and frank's missing PIN back with resetUsers, in place, as the table had them", async () => {
    const erinChange = await erinToken();
    await passwordChange({
      Token: erinChange,
      Password: 'erin-new-pass1',
      PasswordConfirmation: 'erin-new-pass1',
    });
    const { token, confirmation } = await frankSetup();
    await pinChange(token, {
      Token: confirmation,
      Pin: 2468,
      ImageName: 'apple.png',
      PersonalPhrase: 'Apples',
    });
    const records = [...server.users];
    expect(server.users.find((user) => user.username === 'frank')?.pin).toBe('2468');

    server.resetUsers();
    expect(server.users).toEqual(DEMO_USERS);
    // The same records, so what points at them sees the table as it was.
    expect(server.users.every((user, index) => user === records[index])).toBe(true);
    expect((await postToken(credentials('erin'))).body.Reason).toBe(
      'Your Password has expired and must be changed',
    );
    expect((await postToken({ Username: 'erin', Password: 'erin-new-pass1' })).body.Reason).toBe(
      'Invalid credentials',
    );
    expect((await postToken(credentials('frank'))).body.Reason).toBe('PIN code is not init');
    // The table given at the start is never changed, and a second reset finds nothing to do.
    server.resetUsers();
    expect(server.users).toEqual(DEMO_USERS);
  });

  it('refuses differing passwords, the same password, a password failing the policy, an unknown token', async () => {
    const token = await erinToken();
    const cases: [object, string, string][] = [
      [
        { Password: 'new-pass-1', PasswordConfirmation: 'new-pass-2' },
        'The password and its confirmation do not match.',
        'ErrorPasswordConfirmation',
      ],
      [
        { Password: 'erin-password', PasswordConfirmation: 'erin-password' },
        'The new password must differ from the current one.',
        'ErrorSamePassword',
      ],
      [
        { Password: 'short1', PasswordConfirmation: 'short1' },
        'The password must be at least 8 characters long and contain a digit.',
        'ErrorPasswordPolicy',
      ],
      [
        { Password: 'long-without-digits', PasswordConfirmation: 'long-without-digits' },
        'The password must be at least 8 characters long and contain a digit.',
        'ErrorPasswordPolicy',
      ],
      [
        { Token: 'bogus', Password: 'new-pass-1', PasswordConfirmation: 'new-pass-1' },
        'The token is invalid or has expired.',
        'ErrorInvalidToken',
      ],
    ];
    for (const [change, error, code] of cases) {
      const reply = await passwordChange({ Token: token, ...change });
      expect(reply.status, JSON.stringify(change)).toBe(200);
      expect(reply.body, JSON.stringify(change)).toEqual(refusedWith(error, code));
    }
    expect(server.users.find((user) => user.username === 'erin')?.password).toBe('erin-password');
    const ok = await passwordChange({
      Token: token,
      Password: 'eight8chars',
      PasswordConfirmation: 'eight8chars',
    });
    expect(ok.body).toEqual(SUCCEEDED);
  });

  it('answers 400 to a body with missing or mistyped fields', async () => {
    const token = await erinToken();
    for (const json of [
      { Token: token, Password: 'new-pass-1' },
      { Token: token, Password: 12345678, PasswordConfirmation: 12345678 },
      { Password: 'new-pass-1', PasswordConfirmation: 'new-pass-1' },
    ]) {
      const reply = await passwordChange(json);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual(badRequest(/must be a string/));
    }
  });

  it('tells the expiry by passwordExpiredAnswer: 401 Failed, the token as Token, or no token at all', async () => {
    const users: FakeEtnaUser[] = [
      {
        username: 'f401',
        password: 'pw',
        passwordExpired: true,
        passwordExpiredAnswer: { status: 401, tokenField: 'Token' },
      },
      {
        username: 'fnone',
        password: 'pw',
        passwordExpired: true,
        passwordExpiredAnswer: { tokenField: 'none' },
      },
    ];
    const custom = await startExtra({ users });
    const failed = await postToken({ Username: 'f401', Password: 'pw' }, custom);
    expect(failed.status).toBe(401);
    expect(failed.body).toEqual({
      State: 'Failed',
      Step: 'BaseAuthentication',
      Reason: 'Your Password has expired and must be changed',
      Token: expect.any(String),
    });
    const changed = await passwordChange(
      { Token: failed.body.Token, Password: 'fresh-pass-9', PasswordConfirmation: 'fresh-pass-9' },
      custom,
    );
    expect(changed.body).toEqual(SUCCEEDED);
    expect((await postToken({ Username: 'f401', Password: 'fresh-pass-9' }, custom)).status).toBe(200);

    const none = await postToken({ Username: 'fnone', Password: 'pw' }, custom);
    expect(none.status).toBe(202);
    expect(none.body).toEqual({
      State: 'Expecting',
      Step: 'BaseAuthentication',
      Reason: 'Your Password has expired and must be changed',
    });
  });

  it('is not the route without its trailing slash', async () => {
    const token = await erinToken();
    const reply = await call({
      method: 'PUT',
      path: 'v1.0/users/passwords/reset',
      json: { Token: token, Password: 'new-pass-1', PasswordConfirmation: 'new-pass-1' },
    });
    expect(reply.status).toBe(401);
    expect(server.users.find((user) => user.username === 'erin')?.passwordExpired).toBe(true);
  });
});

describe('the forgotten password', () => {
  it('tells the secret question by login or e-mail, and "" for an account without one or an unknown user', async () => {
    const asked = await secretQuestion('grace');
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ ...SUCCEEDED, Model: 'What was the name of your first pet?' });
    expect((await secretQuestion('GRACE@example.com')).body.Model).toBe(
      'What was the name of your first pet?',
    );
    expect((await secretQuestion('henry')).body).toEqual({ ...SUCCEEDED, Model: '' });
    expect((await secretQuestion('mallory')).body).toEqual({ ...SUCCEEDED, Model: '' });
    const missing = await call({ method: 'GET', path: SECRET_QUESTION });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual(badRequest(/username is required/));
  });

  it('mails a code for the right answer (any case, trimmed), refuses a wrong or missing one without mail', async () => {
    for (const answer of ['Nope', undefined, '']) {
      const reply = await resetRequest({ User: 'grace', SecretQuestionAnswer: answer });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(refusedWith('Answer is incorrect, try again.', 'ErrorIncorrectAnswer'));
    }
    expect(server.mailbox).toEqual([]);
    const waiting = server.waitForMail('grace', 'passwordReset');
    const right = await resetRequest({ User: 'grace', SecretQuestionAnswer: '  rEX ' });
    expect(right.body).toEqual(SUCCEEDED);
    const mail = await waiting;
    expect(mail).toEqual({
      to: 'grace',
      kind: 'passwordReset',
      code: expect.stringMatching(/^\d{6}$/),
      at: expect.any(Number),
    });
    expect(server.mailbox).toEqual([mail]);
    expect(server.lastMail('grace')).toBe(mail);
    expect(server.lastMail('grace', 'verificationCode')).toBeUndefined();
  });

  it('mails a code to a user without a question with IsSucceed false and no Errors; no mail for an unknown user', async () => {
    const henry = await resetRequest({ User: 'henry' });
    expect(henry.status).toBe(200);
    expect(henry.body).toEqual({ Model: null, Errors: [], ErrorsCode: [], IsSucceed: false });
    expect(server.lastMail('henry', 'passwordReset')?.code).toMatch(/^\d{6}$/);
    const byEmail = await resetRequest({ User: 'Henry@Example.com' });
    expect(byEmail.body).toEqual(henry.body);
    expect(server.mailbox.filter((mail) => mail.to === 'henry')).toHaveLength(2);

    const before = server.mailbox.length;
    const unknownBare = await resetRequest({ User: 'mallory' });
    expect(unknownBare.body).toEqual(henry.body);
    const unknownAnswered = await resetRequest({ User: 'mallory', SecretQuestionAnswer: 'Rex' });
    expect(unknownAnswered.body).toEqual(SUCCEEDED);
    // A request after them that does mail: had the unknown user's requests mailed, they would be in between.
    await mailedResetCode('henry');
    expect(server.mailbox.slice(before).map((mail) => mail.to)).toEqual(['henry']);
  });

  it('answers 400 to a reset request without User or with a mistyped answer', async () => {
    for (const json of [{}, { User: 7 }, { User: '  ' }, { User: 'grace', SecretQuestionAnswer: 7 }]) {
      const reply = await resetRequest(json);
      expect(reply.status, JSON.stringify(json)).toBe(400);
      expect(reply.body.IsSucceed).toBe(false);
      expect(reply.body.Errors?.[0]).toMatch(/User|SecretQuestionAnswer/);
    }
  });

  it('trades the mailed code for a reset token once, and the token changes the password', async () => {
    const code = await mailedResetCode('grace', 'Rex');
    const traded = await resetCode({ Code: code });
    expect(traded.status).toBe(200);
    expect(traded.body).toEqual({ ...SUCCEEDED, Model: expect.stringMatching(/^[A-Za-z0-9+/]+=+$/) });
    const again = await resetCode({ Code: code });
    expect(again.body).toEqual(refusedWith('The code is incorrect or has expired.'));
    const changed = await passwordChange({
      Token: traded.body.Model,
      Password: 'grace-new-1',
      PasswordConfirmation: 'grace-new-1',
    });
    expect(changed.body).toEqual(SUCCEEDED);
    expect((await postToken(credentials('grace'))).status).toBe(401);
    expect((await postToken({ Username: 'grace', Password: 'grace-new-1' })).status).toBe(200);
  });

  it('refuses an unknown code, and answers 400 to a Code that is not a string', async () => {
    const unknown = await resetCode({ Code: '000000' });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual(refusedWith('The code is incorrect or has expired.'));
    const mistyped = await resetCode({ Code: 123456 });
    expect(mistyped.status).toBe(400);
    expect(mistyped.body).toEqual(badRequest(/Code must be a string/));
  });

  it('makes the previous code stop working when a new one is mailed', async () => {
    const first = await mailedResetCode('henry');
    const second = await mailedResetCode('henry');
    expect(server.mailbox.map((mail) => mail.code)).toEqual([first, second]);
    if (first !== second) {
      expect((await resetCode({ Code: first })).body).toEqual(
        refusedWith('The code is incorrect or has expired.'),
      );
    }
    expect((await resetCode({ Code: second })).body.IsSucceed).toBe(true);
  });

  it('accepts the re-branded identifiers/reset/code with Identifier ResetPassword', async () => {
    const code = await mailedResetCode('grace', 'rex');
    const alias = (json: unknown) => call({ method: 'POST', path: IDENTIFIER_RESET_CODE, json });
    expect((await alias({ Code: code, Identifier: 'ResetPin' })).body).toEqual(
      refusedWith('Unknown identifier.', 'ErrorUnknownIdentifier'),
    );
    const missing = await alias({ Code: code });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual(badRequest(/Identifier must be a string/));
    const traded = await alias({ Code: code, Identifier: 'ResetPassword' });
    expect(traded.body).toEqual({ ...SUCCEEDED, Model: expect.any(String) });
    expect((await resetCode({ Code: code })).body.IsSucceed).toBe(false);
    const changed = await passwordChange({
      Token: traded.body.Model,
      Password: 'via-alias-1',
      PasswordConfirmation: 'via-alias-1',
    });
    expect(changed.body).toEqual(SUCCEEDED);
  });
});

describe('verification codes by mail', () => {
  it("mails carol's fixed code at each first step; a resend makes the previous interim token a Corrupted ticket", async () => {
    const first = await postToken(credentials('carol'));
    expect(server.lastMail('carol', 'verificationCode')).toMatchObject({ to: 'carol', code: '123456' });
    const second = await postToken(credentials('carol'));
    expect(server.mailbox.map(({ to, kind, code }) => ({ to, kind, code }))).toEqual([
      { to: 'carol', kind: 'verificationCode', code: '123456' },
      { to: 'carol', kind: 'verificationCode', code: '123456' },
    ]);
    const stale = await postToken({
      ...credentials('carol'),
      Authorization: `Bearer ${first.body.Token}`,
      VerificationCode: '123456',
    });
    expect(stale.status).toBe(401);
    expect(stale.body).toEqual({ State: 'Failed', Step: 'BaseAuthentication', Reason: 'Corrupted ticket' });
    const fresh = await postToken({
      ...credentials('carol'),
      Authorization: `Bearer ${second.body.Token}`,
      VerificationCode: '123456',
    });
    expect(fresh.status).toBe(200);
  });

  it('sends ivy a fresh random code at each first step: only the newest code and token work', async () => {
    const code = async () =>
      (await server.waitForMail('ivy', 'verificationCode', server.mailbox.length - 1)).code;
    const first = await postToken(credentials('ivy'));
    expect(first.body).toMatchObject({ State: 'Expecting', Step: 'VerificationCode' });
    const firstCode = await code();
    expect(firstCode).toMatch(/^\d{6}$/);

    const second = await postToken(credentials('ivy'));
    const secondCode = await code();
    expect(server.mailbox).toHaveLength(2);
    const stale = await postToken({
      ...credentials('ivy'),
      Authorization: `Bearer ${first.body.Token}`,
      VerificationCode: secondCode,
    });
    expect(stale.body.Reason).toBe('Corrupted ticket');
    if (firstCode !== secondCode) {
      const oldCode = await postToken({
        ...credentials('ivy'),
        Authorization: `Bearer ${second.body.Token}`,
        VerificationCode: firstCode,
      });
      expect(oldCode.status).toBe(401);
      expect(oldCode.body).toEqual({
        State: 'Failed',
        Step: 'VerificationCode',
        Reason: 'Invalid verification code',
      });
    }

    const third = await postToken(credentials('ivy'));
    const thirdCode = await code();
    const done = await postToken({
      ...credentials('ivy'),
      Authorization: `Bearer ${third.body.Token}`,
      VerificationCode: thirdCode,
    });
    expect(done.status).toBe(200);
    expect(server.sessionOwner(done.body.Token ?? '')).toBe('ivy');
  });

  it('keeps the code when the step is repeated for a missing answer, mailing nothing new', async () => {
    const first = await postToken(credentials('ivy'));
    const mail = server.lastMail('ivy');
    const repeated = await postToken({ ...credentials('ivy'), Authorization: `Bearer ${first.body.Token}` });
    expect(repeated.status).toBe(202);
    expect(server.mailbox).toHaveLength(1);
    const done = await postToken({
      ...credentials('ivy'),
      Authorization: `Bearer ${repeated.body.Token}`,
      VerificationCode: mail?.code ?? '',
    });
    expect(done.status).toBe(200);
  });

  it('mails the code when the code step begins: after the PIN with a PIN-first step order', async () => {
    const users: FakeEtnaUser[] = [
      {
        username: 'pat',
        password: 'pw',
        pin: '11',
        rotatingCodes: true,
        stepOrder: ['securityPin', 'verificationCode'],
      },
    ];
    const custom = await startExtra({ users });
    const first = await postToken({ Username: 'pat', Password: 'pw' }, custom);
    expect(first.body.Step).toBe('SecutityPin');
    expect(custom.mailbox).toEqual([]);
    const waiting = custom.waitForMail('pat');
    const second = await postToken({ Authorization: `Bearer ${first.body.Token}`, PinCode: '11' }, custom);
    expect(second.body.Step).toBe('VerificationCode');
    const mail = await waiting;
    const third = await postToken(
      { Authorization: `Bearer ${second.body.Token}`, VerificationCode: mail.code },
      custom,
    );
    expect(third.status).toBe(200);
  });

  it('waitForMail resolves with the newest mail since a count, or the next one to arrive', async () => {
    await postToken(credentials('carol'));
    await postToken(credentials('ivy'));
    const carolMail = server.lastMail('carol');
    expect(await server.waitForMail('carol')).toBe(carolMail);
    const pending = server.waitForMail('carol', 'verificationCode', server.mailbox.length);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await postToken(credentials('ivy'));
    await server.waitForMail('ivy', 'verificationCode', 2);
    expect(settled).toBe(false);
    await postToken(credentials('carol'));
    const next = await pending;
    expect(next).toBe(server.mailbox.at(-1));
    expect(next).not.toBe(carolMail);
  });
});

type RouteCase = readonly [
  label: string,
  queue: FakeJourneyRoute,
  valid: (target: FakeEtnaServer) => Promise<Sent>,
];

/** For each journey route, a request it answers with IsSucceed true. */
const ROUTE_CASES: readonly RouteCase[] = [
  [
    'securityImages',
    'securityImages',
    async (target) => ({ method: 'GET', path: IMAGES, bearer: (await frankSetup(target)).token }),
  ],
  [
    'pinChange',
    'pinChange',
    async (target) => {
      const { token, confirmation } = await frankSetup(target);
      return {
        method: 'POST',
        path: PIN_CHANGE,
        bearer: token,
        json: { Token: confirmation, Pin: 8642, ImageName: 'mountain.png', PersonalPhrase: 'Peak' },
      };
    },
  ],
  [
    'passwordChange',
    'passwordChange',
    async (target) => ({
      method: 'PUT',
      path: PASSWORD_CHANGE,
      json: {
        Token: await erinToken(target),
        Password: 'erin-pass-42',
        PasswordConfirmation: 'erin-pass-42',
      },
    }),
  ],
  [
    'secretQuestion',
    'secretQuestion',
    async () => ({ method: 'GET', path: `${SECRET_QUESTION}?username=grace` }),
  ],
  [
    'resetRequest',
    'resetRequest',
    async () => ({
      method: 'POST',
      path: RESET_REQUEST,
      json: { User: 'grace', SecretQuestionAnswer: 'Rex' },
    }),
  ],
  [
    'resetCode',
    'resetCode',
    async (target) => ({
      method: 'POST',
      path: RESET_CODE,
      json: { Code: await mailedResetCode('grace', 'Rex', target) },
    }),
  ],
  [
    'identifierResetCode (the alias, on the resetCode queue)',
    'resetCode',
    async (target) => ({
      method: 'POST',
      path: IDENTIFIER_RESET_CODE,
      json: { Code: await mailedResetCode('grace', 'Rex', target), Identifier: 'ResetPassword' },
    }),
  ],
];

/** The same request with another method (and no body, which a GET could not carry). */
const withOtherMethod = (sent: Sent): Sent => ({
  ...sent,
  method: sent.method === 'GET' ? 'POST' : 'GET',
  json: undefined,
  body: undefined,
});

describe('every journey route: app key, method, success', () => {
  it.for(ROUTE_CASES)(
    '%s: refuses a wrong or missing app key, answers 405 to another method, then succeeds',
    async ([, , valid]) => {
      const sent = await valid(server);
      for (const appKey of ['wrong-key', null]) {
        const reply = await call({ ...sent, appKey });
        expect(reply.status).toBe(403);
        expect(reply.body).toEqual(APP_KEY_ERROR);
      }
      const wrongMethod = await call(withOtherMethod(sent));
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe(sent.method);
      expect(wrongMethod.body).toEqual({
        Model: null,
        Errors: ['Method not allowed.'],
        ErrorsCode: ['ErrorMethodNotAllowed'],
        IsSucceed: false,
      });
      const ok = await call(sent);
      expect(ok.status).toBe(200);
      expect(ok.body.IsSucceed).toBe(true);
    },
  );

  it('answers the app-key error with badAppKeyStatus 401 too', async () => {
    const custom = await startExtra({ badAppKeyStatus: 401 });
    const reply = await call(
      { method: 'GET', path: `${SECRET_QUESTION}?username=grace`, appKey: 'wrong' },
      custom,
    );
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(APP_KEY_ERROR);
  });
});

describe('faults per journey route: injectAt', () => {
  it.for(ROUTE_CASES)(
    '%s: a fault is consumed by the next request to the route, not by another method or route',
    async ([, queue, valid]) => {
      const sent = await valid(server);
      server.injectAt(queue, { kind: 'serverError' });
      // Another journey route, the API route and another method leave it queued.
      const otherRoute: Sent =
        queue === 'secretQuestion'
          ? { method: 'POST', path: RESET_REQUEST, json: { User: 'nobody' } }
          : { method: 'GET', path: `${SECRET_QUESTION}?username=grace` };
      expect((await call(otherRoute)).status).toBe(200);
      expect((await call({ method: 'GET', path: 'v1.0/users/@me/info' })).status).toBe(401);
      expect((await call(withOtherMethod(sent))).status).toBe(405);
      const faulted = await call(sent);
      expect(faulted.status).toBe(500);
      expect(faulted.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const ok = await call(sent);
      expect(ok.status).toBe(200);
      expect(ok.body.IsSucceed).toBe(true);
    },
  );

  const FAULT_ROUTES = ROUTE_CASES.filter(([label]) => !label.startsWith('identifierResetCode'));

  describe.for(FAULT_ROUTES)('%s', ([, queue, valid]) => {
    it('delays, then answers by the rules', async () => {
      const sent = await valid(server);
      server.injectAt(queue, { kind: 'delay', ms: 100 });
      const started = performance.now();
      const reply = await call(sent);
      expect(performance.now() - started).toBeGreaterThanOrEqual(90);
      expect(reply.body.IsSucceed).toBe(true);
    });

    it('hangs until the client aborts', async () => {
      const sent = await valid(server);
      server.injectAt(queue, { kind: 'hang' });
      const controller = new AbortController();
      const index = server.requests.length;
      const pending = fetchRoute({ ...sent, signal: controller.signal });
      await server.waitForRequests(index + 1);
      const arrived = server.requests[index];
      // Wait for the server to have taken the fault (the hang is recorded once the body has been read).
      await vi.waitFor(() => expect(arrived?.outcome).toBe('hang'));
      controller.abort();
      await expect(pending).rejects.toThrow(/abort/i);
      const ended = await server.waitForEnd(index);
      expect(ended).toMatchObject({ outcome: 'hang', aborted: true });
    });

    it('answers 429 with Retry-After, truncated JSON, a scripted answer, then drops', async () => {
      const sent = await valid(server);
      server.injectAt(
        queue,
        { kind: 'rateLimited', retryAfter: '7' },
        { kind: 'malformedJson', status: 202 },
        {
          kind: 'respond',
          status: 418,
          body: { Model: null, Errors: ['teapot'], ErrorsCode: [], IsSucceed: false },
        },
        { kind: 'drop' },
      );
      const limited = await call(sent);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(limited.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      const malformed = await call(sent);
      expect(malformed.status).toBe(202);
      expect(() => JSON.parse(malformed.text)).toThrow(SyntaxError);
      const scripted = await call(sent);
      expect(scripted.status).toBe(418);
      expect(scripted.body.Errors).toEqual(['teapot']);
      const index = server.requests.length;
      await expect(fetchRoute(sent)).rejects.toThrow(TypeError);
      expect((await server.waitForEnd(index)).outcome).toBe('drop');
      expect((await call(sent)).body.IsSucceed).toBe(true);
    });
  });

  it('keeps injectApi faults for the API route: the journey routes never take them', async () => {
    server.injectApi({ kind: 'serverError' });
    expect((await secretQuestion('grace')).status).toBe(200);
    const info = await call({ method: 'GET', path: 'v1.0/users/@me/info' });
    expect(info.status).toBe(500);
  });

  it('drops journey faults on clearFaults', async () => {
    for (const queue of [
      'securityImages',
      'pinChange',
      'passwordChange',
      'secretQuestion',
      'resetRequest',
      'resetCode',
    ] as const) {
      server.injectAt(queue, { kind: 'serverError' });
    }
    server.clearFaults();
    expect((await secretQuestion('grace')).status).toBe(200);
    expect((await resetCode({ Code: '1' })).status).toBe(200);
  });

  it('refuses a route name it does not know', () => {
    const fault: FakeFault = { kind: 'drop' };
    expect(() => server.injectAt('userInfo' as FakeJourneyRoute, fault)).toThrow(RangeError);
  });
});

describe('the optional rate limit', () => {
  it('is off by default', async () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      expect((await postToken({ Username: 'alice', Password: 'wrong' })).status).toBe(401);
    }
  });

  it('answers 429 past the limit of first-step posts per username, until the window frees', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const custom = await startExtra({ rateLimit: { requests: 2, windowMs: 30_000 } });
    expect((await postToken({ Username: 'bob', Password: 'wrong' }, custom)).status).toBe(401);
    vi.setSystemTime(Date.now() + 10_000);
    const bob = await postToken(credentials('bob'), custom);
    expect(bob.status).toBe(202);
    // Answering the PIN is no first-step post: not counted, not limited.
    expect(
      (await postToken({ Authorization: `Bearer ${bob.body.Token}`, PinCode: '1234' }, custom)).status,
    ).toBe(200);

    const limited = await postToken(credentials('bob'), custom);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(limited.text).toBe('Too Many Requests');
    expect(limited.headers.get('retry-after')).toBe('20');
    expect((await postToken(credentials('alice'), custom)).status).toBe(200);

    vi.setSystemTime(Date.now() + 19_500);
    expect((await postToken(credentials('bob'), custom)).headers.get('retry-after')).toBe('1');
    vi.setSystemTime(Date.now() + 500);
    expect((await postToken(credentials('bob'), custom)).status).toBe(202);
  });

  it('limits reset requests per username too', async () => {
    const custom = await startExtra({ rateLimit: { requests: 1, windowMs: 60_000 } });
    expect((await resetRequest({ User: 'henry' }, custom)).status).toBe(200);
    const limited = await resetRequest({ User: 'henry' }, custom);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(custom.mailbox).toHaveLength(1);
    expect((await resetRequest({ User: 'grace', SecretQuestionAnswer: 'Rex' }, custom)).status).toBe(200);
    // The /token limit is its own: henry can still log in.
    expect((await postToken(credentials('henry'), custom)).status).toBe(200);
  });
});

describe('the request log keeps bodies secret', () => {
  it('never prints Password, PasswordConfirmation, Pin, Token, Code, SecretQuestionAnswer or PersonalPhrase', async () => {
    const users: FakeEtnaUser[] = [
      {
        username: 'canary',
        password: 'pw',
        passwordExpired: true,
        secretQuestion: { question: 'Q?', answer: 'CANARY-ANSWER' },
      },
      { username: 'finch', password: 'pw', pinNotInitialized: true },
    ];
    const custom = await startExtra({ users });
    const expired = await postToken({ Username: 'canary', Password: 'pw' }, custom);
    const changeToken = expired.body.ConfirmationToken ?? '';
    await passwordChange(
      { Token: changeToken, Password: 'CANARY-PASS-1', PasswordConfirmation: 'CANARY-PASS-2' },
      custom,
    );
    const setup = await frankSetupFor(custom, 'finch');
    await pinChange(
      setup.token,
      { Token: setup.confirmation, Pin: 86420975, ImageName: 'apple.png', PersonalPhrase: 'CANARY-PHRASE' },
      custom,
    );
    await resetRequest({ User: 'canary', SecretQuestionAnswer: 'CANARY-ANSWER' }, custom);
    const code = custom.lastMail('canary', 'passwordReset')?.code ?? 'missing';
    await resetCode({ Code: code }, custom);

    for (const printed of [
      JSON.stringify(custom.requests),
      inspect(custom.requests, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    ]) {
      expect(printed).not.toContain('CANARY');
      expect(printed).not.toContain('86420975');
      expect(printed).not.toContain(changeToken);
      expect(printed).not.toContain(setup.confirmation);
      expect(printed).not.toContain(code);
      expect(printed).toContain(PIN_CHANGE);
    }
    const bodies = custom.requests.map((request) => request.json());
    expect(bodies).toContainEqual({
      Token: changeToken,
      Password: 'CANARY-PASS-1',
      PasswordConfirmation: 'CANARY-PASS-2',
    });
    expect(bodies).toContainEqual({
      Token: setup.confirmation,
      Pin: 86420975,
      ImageName: 'apple.png',
      PersonalPhrase: 'CANARY-PHRASE',
    });
    expect(bodies).toContainEqual({ User: 'canary', SecretQuestionAnswer: 'CANARY-ANSWER' });
    expect(bodies).toContainEqual({ Code: code });
    expect(custom.requests[0]?.json()).toBeUndefined();
  });
});

async function frankSetupFor(target: FakeEtnaServer, username: string) {
  const reply = await postToken({ Username: username, Password: 'pw' }, target);
  return { token: reply.body.Token ?? 'missing', confirmation: reply.body.ConfirmationToken ?? 'missing' };
}

describe('each server its own copy of the users', () => {
  it('changes its own table only: not DEMO_USERS, not the options table, not another server', async () => {
    const demoBefore = structuredClone(DEMO_USERS);
    const table: FakeEtnaUser[] = [{ username: 'erin', password: 'erin-password', passwordExpired: true }];
    const tableBefore = structuredClone(table);
    const custom = await startExtra({ users: table });
    expect(custom.users).toEqual(table);
    expect(custom.users).not.toBe(table);

    const token = await erinToken(custom);
    expect(
      (
        await passwordChange(
          { Token: token, Password: 'changed-1', PasswordConfirmation: 'changed-1' },
          custom,
        )
      ).body,
    ).toEqual(SUCCEEDED);
    const { token: setup, confirmation } = await frankSetup();
    expect(
      (
        await pinChange(setup, {
          Token: confirmation,
          Pin: 77,
          ImageName: 'apple.png',
          PersonalPhrase: 'mine',
        })
      ).body,
    ).toEqual(SUCCEEDED);

    expect(custom.users[0]).toMatchObject({ password: 'changed-1', passwordExpired: false });
    expect(table).toEqual(tableBefore);
    expect(DEMO_USERS).toEqual(demoBefore);
    expect(Object.isFrozen(DEMO_USERS)).toBe(true);
    expect(DEMO_USERS.every((user) => Object.isFrozen(user))).toBe(true);

    const another = await startExtra({});
    expect(another.users.find((user) => user.username === 'frank')).toEqual(
      DEMO_USERS.find((user) => user.username === 'frank'),
    );
    expect((await postToken(credentials('frank'), another)).body.Reason).toBe('PIN code is not init');
    expect((await postToken(credentials('erin'), another)).body.Reason).toBe(
      'Your Password has expired and must be changed',
    );
  });
});

describe('the demo users', () => {
  it('keeps alice to frank and adds grace, henry and ivy, each row saying its journey', () => {
    expect(DEMO_USERS.map((user) => [user.username, user.password, describeDemoUserSteps(user)])).toEqual([
      ['alice', 'alice-password', 'single factor, reset without a question'],
      ['bob', 'bob-password', 'PIN 1234, phrase + image'],
      ['carol', 'carol-password', 'code 123456'],
      ['dave', 'dave-password', 'code 654321, PIN 4321'],
      ['erin', 'erin-password', 'password expired'],
      ['frank', 'frank-password', 'PIN not set up'],
      ['grace', 'grace-password', 'secret question: Rex'],
      ['henry', 'henry-password', 'single factor, reset without a question'],
      ['ivy', 'ivy-password', 'codes by mail'],
    ]);
    expect(DEMO_USERS.find((user) => user.username === 'bob')).toMatchObject({
      personalPhrase: 'Blue heron at dawn',
      securityImage: 'heron.png',
    });
    expect(DEMO_USERS.find((user) => user.username === 'grace')?.secretQuestion).toEqual({
      question: 'What was the name of your first pet?',
      answer: 'Rex',
    });
    expect(DEMO_USERS.find((user) => user.username === 'henry')?.secretQuestion).toBeUndefined();
    expect(DEMO_USERS.find((user) => user.username === 'ivy')?.rotatingCodes).toBe(true);
  });

  it('lets every demo user reset the password', async () => {
    for (const user of DEMO_USERS) {
      const code = await mailedResetCode(user.username, user.secretQuestion?.answer);
      const traded = await resetCode({ Code: code });
      const changed = await passwordChange({
        Token: traded.body.Model,
        Password: `${user.username}-new-1`,
        PasswordConfirmation: `${user.username}-new-1`,
      });
      expect(changed.body, user.username).toEqual(SUCCEEDED);
    }
  });
});
