import { describe, expect, it, vi } from 'vitest';
import { Secret } from '../../../src/contract/secret.js';
import type { TokenAnswer } from '../../../src/contract/token-request.js';
import { AppKeyError } from '../../../src/services/errors/app-key-error.js';
import { EtnaAuthError } from '../../../src/services/errors/etna-auth-error.js';
import { HttpStatusError } from '../../../src/services/errors/http-status-error.js';
import { ProtocolError } from '../../../src/services/errors/protocol-error.js';
import { RateLimitedError } from '../../../src/services/errors/rate-limited-error.js';
import { parseTokenResponse } from '../../../src/services/parse-token-response.js';

const PASSWORD = 'canary-password-7Q9';
const PIN = '8642';
const INTERIM = 'interim+canary/token==';
const SECRETS = [PASSWORD, INTERIM, PIN];

const json = (value: unknown) => JSON.stringify(value);

/** Parses an answer with the usual secrets of a continuation request. */
const parse = (status: number, body: string, retryAfter: string | null = null): TokenAnswer =>
  parseTokenResponse(status, retryAfter, body, SECRETS);

/** The error `parse` throws; fails the test if it returns instead. */
function parseError(status: number, body: string, retryAfter: string | null = null): EtnaAuthError {
  try {
    const answer = parse(status, body, retryAfter);
    throw new Error(`expected a rejection, got ${json(answer)}`);
  } catch (error) {
    if (!(error instanceof EtnaAuthError)) throw error;
    return error;
  }
}

/** The token of a succeeded answer, revealed; fails the test for any other answer. */
function tokenOf(answer: TokenAnswer): string {
  if (answer.state !== 'succeeded') throw new Error(`expected succeeded, got ${answer.state}`);
  return answer.token.reveal();
}

/** An expecting answer without its Secret, so it can be compared with toEqual. */
function expectingOf(answer: TokenAnswer) {
  if (answer.state !== 'expecting') throw new Error(`expected expecting, got ${answer.state}`);
  return { ...answer, interimToken: answer.interimToken?.reveal() };
}

describe('parseTokenResponse: the rows of the Responses table', () => {
  it('reads 200 Succeeded as succeeded with the session token kept as a Secret', () => {
    const answer = parse(200, json({ State: 'Succeeded', Token: 'sess+ion/tok=en==' }));

    expect(answer.state).toBe('succeeded');
    expect(tokenOf(answer)).toBe('sess+ion/tok=en==');
    expect(answer.state === 'succeeded' && Secret.is(answer.token)).toBe(true);
    expect(json(answer)).toBe('{"state":"succeeded","token":"[redacted]"}');
  });

  it('reads 202 Expecting VerificationCode as a verification-code prompt with the interim token', () => {
    const answer = parse(
      202,
      json({
        State: 'Expecting',
        Step: 'VerificationCode',
        Reason: 'Expecting confirmation code',
        Token: 'T1',
      }),
    );

    expect(expectingOf(answer)).toEqual({
      state: 'expecting',
      next: 'verificationCode',
      step: 'VerificationCode',
      reason: 'Expecting confirmation code',
      interimToken: 'T1',
    });
  });

  it('reads 202 Expecting SecutityPin (the platform spelling) as a PIN prompt with the interim token', () => {
    const answer = parse(
      202,
      json({ State: 'Expecting', Step: 'SecutityPin', Reason: 'Invalid pin', Token: 'T2' }),
    );

    expect(expectingOf(answer)).toEqual({
      state: 'expecting',
      next: 'securityPin',
      step: 'SecutityPin',
      reason: 'Invalid pin',
      interimToken: 'T2',
    });
  });

  it('reads 401 Failed as failed with the server Step and Reason', () => {
    const answer = parse(
      401,
      json({ State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' }),
    );

    expect(answer).toEqual({
      state: 'failed',
      code: 'rejected',
      step: 'BaseAuthentication',
      reason: 'Invalid credentials',
    });
  });

  it('reads 403 {"error":…} as an AppKeyError carrying status 403', () => {
    const error = parseError(403, json({ error: 'Application key is not defined or does not exist' }));

    expect(error).toBeInstanceOf(AppKeyError);
    expect(error.kind).toBe('appKey');
    expect(error.name).toBe('AppKeyError');
    expect(error.status).toBe(403);
    expect(error.message).toBe('the server refused the application key (HTTP 403)');
  });

  it('reads 401 {"error":…} (the status of some copies) as an AppKeyError carrying status 401', () => {
    const error = parseError(401, json({ error: 'Application key is not defined or does not exist' }));

    expect(error).toBeInstanceOf(AppKeyError);
    expect(error.kind).toBe('appKey');
    expect(error.status).toBe(401);
  });
});

describe('parseTokenResponse: tolerant reading', () => {
  it.each(['SecutityPin', 'SecurityPin', 'secutitypin', 'SECURITYPIN', 'securityPin', 'sEcUtItYpIn'])(
    'accepts the PIN step spelled %s as a PIN prompt',
    (step) => {
      const answer = parse(
        202,
        json({ State: 'Expecting', Step: step, Reason: 'Expecting pin code', Token: 'T' }),
      );

      expect(expectingOf(answer)).toEqual({
        state: 'expecting',
        next: 'securityPin',
        step,
        reason: 'Expecting pin code',
        interimToken: 'T',
      });
    },
  );

  it('accepts the verification-code step in any case', () => {
    const answer = parse(202, json({ State: 'Expecting', Step: 'verificationcode', Token: 'T' }));

    expect(answer.state === 'expecting' && answer.next).toBe('verificationCode');
  });

  it('reads camelCase field names and State values in another case', () => {
    const succeeded = parse(200, json({ state: 'succeeded', token: 'camel-token' }));
    const expecting = parse(202, json({ state: 'EXPECTING', step: 'SecutityPin', reason: 'r', token: 'T' }));
    const failed = parse(
      401,
      json({ state: 'failed', code: 'rejected', step: 'BaseAuthentication', reason: 'Invalid credentials' }),
    );

    expect(tokenOf(succeeded)).toBe('camel-token');
    expect(expectingOf(expecting)).toEqual({
      state: 'expecting',
      next: 'securityPin',
      step: 'SecutityPin',
      reason: 'r',
      interimToken: 'T',
    });
    expect(failed).toEqual({
      state: 'failed',
      code: 'rejected',
      step: 'BaseAuthentication',
      reason: 'Invalid credentials',
    });
  });

  it('ignores extra fields such as ConfirmationToken, PersonalPhrase and Image', () => {
    const answer = parse(
      200,
      json({
        State: 'Succeeded',
        Token: 'tok',
        ConfirmationToken: 'other',
        PersonalPhrase: null,
        Image: { data: [1, 2, 3] },
        Unknown: true,
      }),
    );

    expect(answer.state).toBe('succeeded');
    expect(tokenOf(answer)).toBe('tok');
    expect(Object.keys(answer)).toEqual(['state', 'token']);
  });

  it('prefers the exact ETNA field name over another casing of it', () => {
    const answer = parse(200, json({ token: 'camel', State: 'Succeeded', Token: 'exact' }));

    expect(tokenOf(answer)).toBe('exact');
  });

  it('reads a Failed answer without Step or Reason as failed with empty strings', () => {
    expect(parse(401, json({ State: 'Failed' }))).toEqual({
      state: 'failed',
      code: 'rejected',
      step: '',
      reason: '',
    });
  });
});

describe('parseTokenResponse: Succeeded must carry a usable token at a 2xx status', () => {
  it.each([
    ['no Token', { State: 'Succeeded' }],
    ['an empty Token', { State: 'Succeeded', Token: '' }],
    ['a Token with CR-LF', { State: 'Succeeded', Token: 'abc\r\nSet-Cookie: x=1' }],
    ['a Token outside Latin-1', { State: 'Succeeded', Token: 'tok€n' }],
    ['a numeric Token', { State: 'Succeeded', Token: 12345 }],
    ['a Token with a leading space', { State: 'Succeeded', Token: ' tok' }],
    ['a Token longer than 4096 characters', { State: 'Succeeded', Token: 'a'.repeat(4097) }],
  ])('refuses a Succeeded answer with %s as a ProtocolError', (_, body) => {
    const error = parseError(200, json(body));

    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.kind).toBe('protocol');
    expect(error.name).toBe('ProtocolError');
    expect(error.status).toBe(200);
    expect(error.message).toBe('a Succeeded answer has no usable Token');
  });

  it('accepts a token of exactly 4096 characters', () => {
    expect(tokenOf(parse(200, json({ State: 'Succeeded', Token: 'a'.repeat(4096) })))).toHaveLength(4096);
  });

  it('refuses a Succeeded answer at HTTP 401 as a ProtocolError', () => {
    const error = parseError(401, json({ State: 'Succeeded', Token: 'tok' }));

    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.status).toBe(401);
    expect(error.message).toBe('a Succeeded answer came with HTTP 401');
  });
});

describe('parseTokenResponse: Expecting', () => {
  it('refuses an Expecting answer without Step as a ProtocolError', () => {
    const error = parseError(202, json({ State: 'Expecting', Reason: 'r', Token: 'T' }));

    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.kind).toBe('protocol');
    expect(error.status).toBe(202);
    expect(error.message).toBe('an Expecting answer has no Step');
  });

  it('refuses an Expecting answer with a non-string Step as a ProtocolError', () => {
    const error = parseError(202, json({ State: 'Expecting', Step: 7, Token: 'T' }));

    expect(error.kind).toBe('protocol');
    expect(error.message).toBe('an Expecting answer has no Step');
  });

  it.each(['SecutityPin', 'VerificationCode'])(
    'refuses an Expecting %s answer without Token as a ProtocolError',
    (step) => {
      const error = parseError(202, json({ State: 'Expecting', Step: step, Reason: 'r' }));

      expect(error).toBeInstanceOf(ProtocolError);
      expect(error.status).toBe(202);
      expect(error.message).toBe('an Expecting answer has no usable Token');
    },
  );

  it('refuses an Expecting answer whose Token has a line break as a ProtocolError', () => {
    const error = parseError(202, json({ State: 'Expecting', Step: 'SecutityPin', Token: 'T\n1' }));

    expect(error.kind).toBe('protocol');
  });

  it('reads an Expecting answer for a step it cannot prompt for as failed with code unsupportedStep', () => {
    const answer = parse(
      202,
      json({ State: 'Expecting', Step: 'SecurityQuestion', Reason: 'Answer it', Token: 'T1' }),
    );

    expect(answer).toEqual({
      state: 'failed',
      code: 'unsupportedStep',
      step: 'SecurityQuestion',
      reason: 'Answer it',
    });
  });

  it('reads an Expecting answer that asks for a password change without a token as failed with code passwordExpired', () => {
    const answer = parse(
      202,
      json({
        State: 'Expecting',
        Step: 'ChangePassword',
        Reason: 'Your Password has expired and must be changed',
      }),
    );

    expect(answer).toEqual({
      state: 'failed',
      code: 'passwordExpired',
      step: 'ChangePassword',
      reason: 'Your Password has expired and must be changed',
    });
  });

  it('reads an Expecting answer at HTTP 401 as failed, since a non-2xx status ends the attempt', () => {
    const answer = parse(
      401,
      json({ State: 'Expecting', Step: 'SecutityPin', Reason: 'Invalid pin', Token: 'T' }),
    );

    expect(answer).toEqual({ state: 'failed', code: 'rejected', step: 'SecutityPin', reason: 'Invalid pin' });
  });
});

describe('parseTokenResponse: Failed is failed whatever the status', () => {
  it.each([200, 202, 401, 400])('reads Failed at HTTP %i as failed', (status) => {
    const answer = parse(status, json({ State: 'Failed', Step: 'SecutityPin', Reason: 'Invalid pin' }));

    expect(answer).toEqual({ state: 'failed', code: 'rejected', step: 'SecutityPin', reason: 'Invalid pin' });
  });

  it('reads "PIN code is not init" as failed', () => {
    const answer = parse(401, json({ State: 'Failed', Step: 'SecutityPin', Reason: 'PIN code is not init' }));

    expect(answer).toEqual({
      state: 'failed',
      code: 'pinNotInitialized',
      step: 'SecutityPin',
      reason: 'PIN code is not init',
    });
  });
});

describe('parseTokenResponse: answers that are not /token answers', () => {
  it('reads {"error":…} at HTTP 404 as an HttpStatusError, not an app-key problem', () => {
    const error = parseError(404, json({ error: 'Not found' }));

    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.kind).toBe('http');
    expect(error.name).toBe('HttpStatusError');
    expect(error.status).toBe(404);
    expect(error.message).toBe('the server answered with HTTP 404');
  });

  it.each([500, 502, 503, 599])('reads HTTP %i with a JSON /token body as an HttpStatusError', (status) => {
    const error = parseError(status, json({ State: 'Succeeded', Token: 'tok' }));

    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.kind).toBe('http');
    expect(error.status).toBe(status);
  });

  it('reads a 500 HTML page as an HttpStatusError', () => {
    const error = parseError(500, '<html><body><h1>500 Internal Server Error</h1></body></html>');

    expect(error.kind).toBe('http');
    expect(error.status).toBe(500);
  });

  it.each([200, 202, 204])('reads a non-JSON body at HTTP %i as a ProtocolError', (status) => {
    const error = parseError(status, '{"State":"Succ');

    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.status).toBe(status);
    expect(error.message).toBe('the answer is not a JSON object');
  });

  it('reads an empty body at HTTP 200 as a ProtocolError', () => {
    expect(parseError(200, '').kind).toBe('protocol');
  });

  it.each([400, 401, 403, 404, 411])('reads a non-JSON body at HTTP %i as an HttpStatusError', (status) => {
    const error = parseError(status, 'Length Required');

    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.status).toBe(status);
  });

  it.each([
    ['an array', '[{"State":"Succeeded","Token":"t"}]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"Succeeded"'],
  ])('reads a JSON body that is %s at HTTP 200 as a ProtocolError', (_, body) => {
    const error = parseError(200, body);

    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.status).toBe(200);
    expect(error.message).toBe('the answer is not a JSON object');
  });

  it('reads a JSON object without State at HTTP 200 as a ProtocolError', () => {
    const error = parseError(200, json({ Token: 'tok' }));

    expect(error.kind).toBe('protocol');
    expect(error.message).toBe('the answer has no State');
  });

  it('reads {"error":…} at HTTP 200 as a ProtocolError, not an app-key problem', () => {
    expect(parseError(200, json({ error: 'x' })).kind).toBe('protocol');
  });

  it('reads an unknown State as a ProtocolError whose message scrubs the secrets it echoes', () => {
    const error = parseError(200, json({ State: `Locked ${PASSWORD} ${INTERIM} ${PIN}`, Token: 'tok' }));

    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.status).toBe(200);
    expect(error.message).toBe('the answer has an unknown State "Locked [redacted] [redacted] [redacted]"');
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).not.toContain(INTERIM);
    expect(String(error)).not.toContain(PASSWORD);
    expect(error.stack).not.toContain(PASSWORD);
  });

  it('cuts a very long unknown State in the error message', () => {
    const error = parseError(200, json({ State: 'S'.repeat(1000) }));

    expect(error.message).toBe(`the answer has an unknown State "${'S'.repeat(200)}…"`);
  });
});

describe('parseTokenResponse: server text shown to users', () => {
  it('replaces the password, PIN and interim token echoed in Reason by [redacted]', () => {
    const answer = parse(
      401,
      json({ State: 'Failed', Step: 'BaseAuthentication', Reason: `bad ${PASSWORD} / ${PIN} / ${INTERIM}` }),
    );

    expect(answer).toEqual({
      state: 'failed',
      code: 'rejected',
      step: 'BaseAuthentication',
      reason: 'bad [redacted] / [redacted] / [redacted]',
    });
  });

  it('replaces a secret echoed in Step by [redacted]', () => {
    const answer = parse(202, json({ State: 'Expecting', Step: `X${PASSWORD}X`, Reason: '' }));

    expect('step' in answer && answer.step).toBe('X[redacted]X');
  });

  it('cuts a Reason longer than 200 characters to 200 characters followed by …', () => {
    const reason = `${'r'.repeat(150)}${'s'.repeat(150)}`;
    const answer = parse(401, json({ State: 'Failed', Step: 'BaseAuthentication', Reason: reason }));

    expect(answer).toEqual({
      state: 'failed',
      code: 'rejected',
      step: 'BaseAuthentication',
      reason: `${'r'.repeat(150)}${'s'.repeat(50)}…`,
    });
    expect(answer.state === 'failed' && answer.reason).toHaveLength(201);
  });

  it('keeps a Reason of exactly 200 characters whole', () => {
    const answer = parse(401, json({ State: 'Failed', Reason: 'x'.repeat(200) }));

    expect(answer).toEqual({ state: 'failed', code: 'rejected', step: '', reason: 'x'.repeat(200) });
  });

  it('redacts a secret before cutting, so no prefix of it survives the cut', () => {
    const answer = parse(401, json({ State: 'Failed', Reason: `${'x'.repeat(195)}${PASSWORD}` }));

    expect(answer.state === 'failed' && answer.reason).toBe(`${'x'.repeat(195)}[reda…`);
  });

  it('reads a non-string Reason as an empty one', () => {
    expect(parse(401, json({ State: 'Failed', Step: 'S', Reason: { text: PASSWORD } }))).toEqual({
      state: 'failed',
      code: 'rejected',
      step: 'S',
      reason: '',
    });
  });
});

describe('parseTokenResponse: 429', () => {
  it('reads 429 with Retry-After seconds as a RateLimitedError with retryAfterMs', () => {
    const error = parseError(429, 'Too Many Requests', '2');

    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.kind).toBe('rateLimited');
    expect(error.name).toBe('RateLimitedError');
    expect(error.status).toBe(429);
    expect((error as RateLimitedError).retryAfterMs).toBe(2000);
    expect(error.message).toBe('too many login attempts; retry after 2 s');
  });

  it('reads 429 with a JSON /token body as rate limited all the same', () => {
    const error = parseError(429, json({ State: 'Succeeded', Token: 'tok' }), '30');

    expect(error.kind).toBe('rateLimited');
    expect((error as RateLimitedError).retryAfterMs).toBe(30_000);
  });

  it('reads 429 with an HTTP-date Retry-After as a RateLimitedError waiting until that date', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2025, 0, 1, 12, 0, 0) });
    try {
      const error = parseError(429, '', 'Wed, 01 Jan 2025 12:01:30 GMT') as RateLimitedError;

      expect(error.kind).toBe('rateLimited');
      expect(error.retryAfterMs).toBe(90_000);
      expect(error.message).toBe('too many login attempts; retry after 90 s');
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    ['garbage', 'soon'],
    ['a negative number', '-5'],
    ['an empty value', ''],
  ])('reads 429 with %s as Retry-After as a RateLimitedError without retryAfterMs', (_, header) => {
    const error = parseError(429, 'Too Many Requests', header) as RateLimitedError;

    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toBe('too many login attempts');
  });

  it('reads 429 without Retry-After as a RateLimitedError without retryAfterMs', () => {
    const error = parseError(429, 'Too Many Requests', null) as RateLimitedError;

    expect(error.retryAfterMs).toBeUndefined();
  });
});

describe('status and body edges', () => {
  it('refuses Succeeded with HTTP 300: only 2xx carries a session', () => {
    expect(() => parseTokenResponse(300, null, '{"State":"Succeeded","Token":"t"}', [])).toThrow(
      ProtocolError,
    );
    expect(parseTokenResponse(299, null, '{"State":"Succeeded","Token":"t"}', []).state).toBe('succeeded');
  });

  it('reads a 401 JSON body without State or error as an HTTP error, not a bad app key', () => {
    expect(() => parseTokenResponse(401, null, '{"message":"Unauthorized"}', [])).toThrow(
      expect.objectContaining({ kind: 'http', status: 401 }),
    );
  });

  it('does not take a field named "undefined" for a missing Token', () => {
    expect(() => parseTokenResponse(200, null, '{"State":"Succeeded","undefined":"t"}', [])).toThrow(
      ProtocolError,
    );
  });

  it('redacts echoed secrets of three characters or more, and leaves shorter ones (too common to tell)', () => {
    const answer = parseTokenResponse(401, null, '{"State":"Failed","Step":"s","Reason":"pin 123 or 12"}', [
      '123',
      '12',
    ]);
    expect(answer).toEqual({ state: 'failed', code: 'rejected', step: 's', reason: 'pin [redacted] or 12' });
  });
});

describe('parseTokenResponse: answers that start a journey the chart finishes', () => {
  const EXPIRED = 'Your Password has expired and must be changed';
  /** The answer with each Secret shown as `secret:<value>`, to compare with toEqual. */
  const reveal = (answer: TokenAnswer) =>
    Object.fromEntries(
      Object.entries(answer).map(([key, value]) => [
        key,
        Secret.is(value) ? `secret:${value.reveal()}` : value,
      ]),
    );

  it.each([
    [202, 'Expecting', { ConfirmationToken: 'conf' }, 'secret:conf'],
    [401, 'Failed', { ConfirmationToken: 'conf' }, 'secret:conf'],
    [202, 'Expecting', { Token: 'tok' }, 'secret:tok'],
    [401, 'Failed', { Token: 'tok', ConfirmationToken: 'conf' }, 'secret:conf'],
    [202, 'BaseAuthentication', { ConfirmationToken: 'conf' }, 'secret:conf'],
  ])(
    'reads an expired password at HTTP %i, State %s, with %o as a password change',
    (status, state, tokens, token) => {
      const answer = parse(
        status,
        json({ State: state, Step: 'BaseAuthentication', Reason: EXPIRED, ...tokens }),
      );
      expect(reveal(answer)).toEqual({
        state: 'passwordChange',
        step: 'BaseAuthentication',
        reason: EXPIRED,
        confirmationToken: token,
      });
    },
  );

  it('reads "PIN code is not init" with its tokens as a PIN set-up: Token authorizes, ConfirmationToken confirms', () => {
    const both = parse(
      202,
      json({
        State: 'Expecting',
        Step: 'SecutityPin',
        Reason: 'PIN code is not init',
        Token: 'T',
        ConfirmationToken: 'C',
      }),
    );
    expect(reveal(both)).toEqual({
      state: 'pinSetup',
      step: 'SecutityPin',
      reason: 'PIN code is not init',
      token: 'secret:T',
      confirmationToken: 'secret:C',
    });
    const confirmationOnly = parse(
      202,
      json({
        State: 'Expecting',
        Step: 'SecutityPin',
        Reason: 'PIN code is not init',
        ConfirmationToken: 'C',
      }),
    );
    expect(reveal(confirmationOnly)).toMatchObject({ token: 'secret:C', confirmationToken: 'secret:C' });
  });

  it('keeps a journey answer whose tokens cannot travel in a header a failure with its code', () => {
    const answer = parse(
      202,
      json({ State: 'Expecting', Step: 'SecutityPin', Reason: 'PIN code is not init', Token: 'a\nb' }),
    );
    expect(answer).toEqual({
      state: 'failed',
      code: 'pinNotInitialized',
      step: 'SecutityPin',
      reason: 'PIN code is not init',
    });
  });
});

describe('parseTokenResponse: the anti-phishing phrase and picture of the PIN step', () => {
  // A 1x1 PNG, base64.
  const PNG =
    'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGPIa1oARwzEcQCHMhkBM8t4LgAAAABJRU5ErkJggg==';
  const pinStep = (extra: object) =>
    parse(
      202,
      json({
        State: 'Expecting',
        Step: 'SecutityPin',
        Reason: 'Expecting pin code',
        Token: INTERIM,
        ...extra,
      }),
    );

  it('reads PersonalPhrase and a base64 Image as the phrase and a data: URL', () => {
    const answer = pinStep({ PersonalPhrase: '  Blue heron\u0007 at dawn ', Image: PNG });
    expect(answer).toMatchObject({
      state: 'expecting',
      next: 'securityPin',
      personalPhrase: 'Blue heron at dawn',
      securityImage: { fileName: 'security-image', dataUrl: `data:image/png;base64,${PNG}` },
    });
  });

  it.each([
    ['a remote URL', 'https://tracker.example/pixel.png'],
    ['an SVG data URL', 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4='],
    ['text that is not base64', 'not base64 at all!'],
    ['a number', 42],
  ])('leaves out %s as the picture, and keeps the prompt', (_name, image) => {
    const answer = pinStep({ PersonalPhrase: 'phrase', Image: image });
    expect(answer).toMatchObject({ state: 'expecting', personalPhrase: 'phrase', securityImage: undefined });
  });

  it('scrubs a secret of the request that the phrase quotes, and gives the code step no phrase', () => {
    expect(pinStep({ PersonalPhrase: `my ${PASSWORD}` })).toMatchObject({ personalPhrase: 'my [redacted]' });
    const code = parse(
      202,
      json({
        State: 'Expecting',
        Step: 'VerificationCode',
        Reason: 'x',
        Token: INTERIM,
        PersonalPhrase: 'p',
      }),
    );
    expect(code).not.toHaveProperty('personalPhrase');
  });
});
