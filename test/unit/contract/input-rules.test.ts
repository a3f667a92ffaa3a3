// The input rules: each field's documented maximum, and a code for every refusal that a catalog of words reads.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  headerProblem,
  INPUT_LIMITS,
  newPinProblem,
  textProblem,
} from '../../../src/contract/input-rules.js';
import { createEtnaAuthMachine } from '../../../src/index.js';

describe('INPUT_LIMITS', () => {
  it.each([
    ['username', INPUT_LIMITS.username],
    ['password', INPUT_LIMITS.password],
    ['pin', INPUT_LIMITS.pin],
    ['code', INPUT_LIMITS.code],
  ])('takes a %s of %i characters in a header, and refuses one more as tooLong', (field, max) => {
    expect(headerProblem(field, 'a'.repeat(max), max)).toBeUndefined();
    expect(headerProblem(field, 'a'.repeat(max + 1), max)).toEqual({
      kind: 'input',
      field,
      problem: 'tooLong',
      limit: max,
      message: `${field} is longer than ${max} characters`,
    });
  });

  it.each([
    ['personalPhrase', INPUT_LIMITS.personalPhrase],
    ['answer', INPUT_LIMITS.answer],
    ['code', INPUT_LIMITS.resetCode],
  ])('takes a %s of %i characters in a body, and refuses one more as tooLong', (field, max) => {
    expect(textProblem(field, 'a'.repeat(max), max)).toBeUndefined();
    expect(textProblem(field, 'a'.repeat(max + 1), max)).toMatchObject({ problem: 'tooLong', limit: max });
  });

  it('codes every refusal of a new PIN', () => {
    expect(newPinProblem('')).toMatchObject({ problem: 'required' });
    expect(newPinProblem('12a4')).toMatchObject({ problem: 'notDigits' });
    expect(newPinProblem('0123')).toMatchObject({ problem: 'leadingZero' });
    expect(newPinProblem('123')).toMatchObject({ problem: 'tooShort', limit: 4 });
    expect(newPinProblem('1'.repeat(16))).toMatchObject({ problem: 'tooLong', limit: 15 });
    expect(newPinProblem('1'.repeat(15))).toBeUndefined();
  });

  it('keeps the machine from sending 5 000 pasted characters: refused in place, nothing sent', () => {
    const sent: unknown[] = [];
    const machine = createEtnaAuthMachine({
      baseUrl: 'http://127.0.0.1:9/api/',
      appKey: 'limits-app-key',
      fetch: async (input) => {
        sent.push(input);
        return new Response('{}');
      },
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'u'.repeat(5_000), password: 'p'.repeat(5_000) });
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context.error).toMatchObject({
      kind: 'input',
      field: 'username',
      problem: 'tooLong',
      limit: INPUT_LIMITS.username,
    });
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'p'.repeat(5_000) });
    expect(actor.getSnapshot().context.error).toMatchObject({ field: 'password', problem: 'tooLong' });
    expect(sent).toHaveLength(0);
    actor.stop();
  });
});
