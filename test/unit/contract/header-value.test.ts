// headerValueProblem: whether a value can travel in an HTTP header, and why not, never quoting it.
import { describe, expect, it } from 'vitest';
import { headerValueProblem } from '../../../src/contract/header-value.js';

describe('headerValueProblem', () => {
  const VALUE_CANARY = 'hv-canary';

  it.each([
    ['empty', ''],
    ['undefined', undefined],
    ['a number', 1234],
    ['null', null],
  ])('refuses a value that is %s as required', (_, value) => {
    expect(headerValueProblem('password', value)).toBe('password is required');
  });

  it.each([
    ['CR', `${VALUE_CANARY}\r`],
    ['LF', `${VALUE_CANARY}\n`],
    ['NUL', `${VALUE_CANARY}\0x`],
    ['DEL', `${VALUE_CANARY}\x7fx`],
    ['a vertical tab', `${VALUE_CANARY}\vx`],
  ])('refuses a value with %s, naming the field and not the value', (_, value) => {
    const problem = headerValueProblem('username', value);

    expect(problem).toBe(
      'username contains a line break or control character, which cannot travel in an HTTP header',
    );
    expect(problem).not.toContain(VALUE_CANARY);
  });

  it.each([
    ['€', `${VALUE_CANARY}€`],
    ['an emoji', `${VALUE_CANARY}🔑`],
    ['a CJK character', `${VALUE_CANARY}密`],
  ])('refuses a value with %s, which is outside Latin-1', (_, value) => {
    const problem = headerValueProblem('pin', value);

    expect(problem).toBe('pin contains a character outside Latin-1, which cannot travel in an HTTP header');
    expect(problem).not.toContain(VALUE_CANARY);
  });

  it.each([
    ['a leading space', ` ${VALUE_CANARY}`],
    ['a trailing space', `${VALUE_CANARY} `],
    ['a leading tab', `\t${VALUE_CANARY}`],
    ['a trailing tab', `${VALUE_CANARY}\t`],
    ['only a space', ' '],
  ])('refuses a value with %s, which HTTP drops', (_, value) => {
    const problem = headerValueProblem('code', value);

    expect(problem).toBe('code starts or ends with a space or tab, which HTTP headers drop');
    expect(problem).not.toContain(VALUE_CANARY);
  });

  it.each([
    ['plain ASCII', 'alice'],
    ['a tab inside', 'pass\tword'],
    ['a space inside', 'pass word'],
    ['Latin-1 é', 'motdepassé'],
    ['Latin-1 ÿ and ©', 'ÿ©'],
    ['a single character', 'x'],
    ['the whole printable ASCII range', '!"#$%&\'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~'],
  ])('accepts a value with %s', (_, value) => {
    expect(headerValueProblem('password', value)).toBeUndefined();
  });
});
