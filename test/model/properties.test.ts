import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { headerValueProblem } from '../../src/contract/header-value.js';
import { Secret } from '../../src/contract/secret.js';
import type { TokenAnswer } from '../../src/contract/token-request.js';
import { createEtnaAuthMachine, selectToken } from '../../src/index.js';
import { EtnaAuthError } from '../../src/services/errors/etna-auth-error.js';
import { parseTokenResponse } from '../../src/services/parse-token-response.js';

const KINDS = ['network', 'timeout', 'http', 'protocol', 'appKey', 'rateLimited'];
const SECRETS = ['prop-password', 'prop-interim'];

/** Strings over the characters that matter to a header: controls, blanks, ASCII, Latin-1, beyond. */
const headerChar = fc.oneof(
  fc.constantFrom('\t', ' ', '\r', '\n', '\0', '\x7f', '\x1f', 'é', 'ÿ', '\x80', '€', '密'),
  fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x00, max: 0x1ff }).map((code) => String.fromCharCode(code)),
  fc.constant('🔑'),
);
const headerString = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 12 }),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  // Mostly sendable: printable ASCII and Latin-1 letters, so both outcomes are common.
  {
    arbitrary: fc.string({
      unit: fc.constantFrom('a', 'Z', '7', '+', '/', '=', ' ', '\t', 'é', 'ÿ'),
      minLength: 1,
      maxLength: 12,
    }),
    weight: 3,
  },
);

/** A key of the ETNA answer in a random case: 'State', 'state', 'sTaTe'… */
const randomCase = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) =>
      [...name].map((char, index) => (upper[index] ? char.toUpperCase() : char.toLowerCase())).join(''),
    );

const anyValue = fc.oneof(
  fc.constantFrom(
    '',
    ' tok',
    'tok\r\n',
    'tok€n',
    'a'.repeat(4097),
    'prop-password',
    'Succeeded',
    'SecutityPin',
  ),
  headerString,
  fc.jsonValue({ maxDepth: 1 }),
);
const stateValue = fc.oneof(
  {
    arbitrary: fc.constantFrom('Succeeded', 'Expecting', 'Failed', 'succeeded', 'EXPECTING', 'Locked'),
    weight: 3,
  },
  anyValue,
);
const stepValue = fc.oneof(
  {
    arbitrary: fc.constantFrom('SecutityPin', 'SecurityPin', 'VerificationCode', 'securitypin', 'Other'),
    weight: 3,
  },
  anyValue,
);
const tokenValue = fc.oneof(
  { arbitrary: fc.base64String({ minLength: 4, maxLength: 40 }), weight: 3 },
  anyValue,
);

/** An ETNA-like answer: each of State, Token, Step, Reason maybe present under a random-cased key, plus extra fields. */
const etnaLikeObject = fc
  .tuple(
    fc.option(fc.tuple(randomCase('State'), stateValue), { nil: undefined, freq: 4 }),
    fc.option(fc.tuple(randomCase('Token'), tokenValue), { nil: undefined, freq: 3 }),
    fc.option(fc.tuple(randomCase('Step'), stepValue), { nil: undefined }),
    fc.option(fc.tuple(randomCase('Reason'), anyValue), { nil: undefined }),
    fc.array(fc.tuple(fc.oneof(randomCase('Token'), fc.string({ maxLength: 8 })), anyValue), {
      maxLength: 3,
    }),
  )
  .chain(([state, token, step, reason, extra]) => {
    const entries = [state, token, step, reason, ...extra];
    // Every entry, in a random order: which of two same-named keys comes first matters.
    return fc.shuffledSubarray(entries, { minLength: entries.length });
  })
  .map((entries) =>
    JSON.stringify(Object.fromEntries(entries.filter((entry) => entry !== undefined) as [string, unknown][])),
  );

const anyStatus = fc.oneof(
  { arbitrary: fc.constantFrom(200, 202), weight: 2 },
  fc.constantFrom(401, 403, 429),
  fc.integer({ min: 100, max: 599 }),
);

const body = fc.oneof(fc.string(), fc.json(), { arbitrary: etnaLikeObject, weight: 4 });

const retryAfter = fc.oneof(
  fc.constant(null),
  fc.string(),
  fc.nat().map(String),
  fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
);

/** The Token field as `parseTokenResponse` reads it: the exact name first, then the first key in another case. */
function tokenField(text: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  if (Object.hasOwn(record, 'Token')) return record.Token;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === 'token');
  return key === undefined ? undefined : record[key];
}

function expectValidAnswer(answer: TokenAnswer) {
  switch (answer.state) {
    case 'succeeded':
      expect(Secret.is(answer.token)).toBe(true);
      break;
    case 'expecting':
      expect(['securityPin', 'verificationCode']).toContain(answer.next);
      expect(typeof answer.step).toBe('string');
      expect(typeof answer.reason).toBe('string');
      expect(answer.step.length).toBeLessThanOrEqual(201);
      expect(answer.reason.length).toBeLessThanOrEqual(201);
      expect(headerValueProblem('Token', answer.interimToken.reveal())).toBeUndefined();
      break;
    case 'failed':
      expect(['rejected', 'passwordExpired', 'pinNotInitialized', 'unsupportedStep']).toContain(answer.code);
      expect(typeof answer.step).toBe('string');
      expect(typeof answer.reason).toBe('string');
      expect(answer.reason.length).toBeLessThanOrEqual(201);
      break;
    default:
      throw new Error(`unknown answer ${JSON.stringify(answer)}`);
  }
  expect(JSON.stringify(answer)).not.toContain('prop-password');
}

describe('properties', () => {
  it('parseTokenResponse returns a valid answer or throws an EtnaAuthError of a known kind, never anything else', () => {
    fc.assert(
      fc.property(anyStatus, retryAfter, body, (status, header, text) => {
        let answer: TokenAnswer;
        try {
          answer = parseTokenResponse(status, header, text, SECRETS);
        } catch (error) {
          expect(error).toBeInstanceOf(EtnaAuthError);
          const { kind, message } = error as EtnaAuthError;
          expect(KINDS).toContain(kind);
          expect(message).not.toContain('prop-password');
          return;
        }
        expectValidAnswer(answer);
        if (answer.state === 'succeeded') {
          const token = tokenField(text);
          expect(status >= 200 && status < 300).toBe(true);
          expect(typeof token).toBe('string');
          expect(headerValueProblem('Token', token)).toBeUndefined();
          expect(answer.token.reveal()).toBe(token);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('headerValueProblem accepts exactly the non-empty Latin-1 strings without controls or surrounding blanks', () => {
    const PROBLEMS = [
      'field is required',
      'field contains a line break or control character, which cannot travel in an HTTP header',
      'field contains a character outside Latin-1, which cannot travel in an HTTP header',
      'field starts or ends with a space or tab, which HTTP headers drop',
    ];
    const sendable = (value: string) =>
      value.length > 0 && /^[\t\x20-\x7e\x80-\xff]*$/.test(value) && !/^[ \t]|[ \t]$/.test(value);
    fc.assert(
      fc.property(headerString, (value) => {
        const problem = headerValueProblem('field', value);
        expect(problem === undefined).toBe(sendable(value));
        // One of a fixed set of sentences, so the value itself can never be in it.
        if (problem !== undefined) expect(PROBLEMS).toContain(problem);
      }),
      { numRuns: 5000 },
    );
  });

  it('the machine sends arbitrary credentials exactly as typed, or refuses them before any request', async () => {
    await fc.assert(
      fc.asyncProperty(headerString, headerString, async (username, password) => {
        const requests: Request[] = [];
        const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
          requests.push(new Request(input, init));
          return new Response(JSON.stringify({ State: 'Succeeded', Token: 'prop+session/token=' }), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          });
        };
        const machine = createEtnaAuthMachine({
          baseUrl: 'http://127.0.0.1:9/api/',
          appKey: 'prop-app-key',
          fetch: fetch as typeof globalThis.fetch,
        });
        const actor = createActor(machine).start();

        actor.send({ type: 'SUBMIT_CREDENTIALS', username, password });
        const refused = actor.getSnapshot().value === 'idle';
        const valid =
          headerValueProblem('username', username) === undefined &&
          headerValueProblem('password', password) === undefined;

        if (refused) {
          expect(valid).toBe(false);
          expect(actor.getSnapshot().context.error?.kind).toBe('input');
          expect(['username', 'password']).toContain(actor.getSnapshot().context.error?.field);
          await Promise.resolve();
          expect(requests).toHaveLength(0);
        } else {
          expect(valid).toBe(true);
          const snapshot = await waitFor(actor, (next) => !next.hasTag('busy'));
          expect(snapshot.value).toEqual({ succeeded: 'active' });
          expect(selectToken(snapshot)).toBe('prop+session/token=');
          expect(requests).toHaveLength(1);
          expect(requests[0]?.headers.get('Username')).toBe(username);
          expect(requests[0]?.headers.get('Password')).toBe(password);
          expect(requests[0]?.headers.get('Et-App-Key')).toBe('prop-app-key');
        }
        actor.stop();
      }),
      { numRuns: 300 },
    );
  });
});
