// retryAfterMs: a Retry-After header (delay seconds or any of the three HTTP-date forms) as milliseconds.
import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../src/services/retry-after.js';

describe('retryAfterMs', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('reads delay seconds as milliseconds', () => {
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs(' 120 ', now)).toBe(120_000);
  });

  it('reads an HTTP date as the milliseconds from now until then', () => {
    expect(retryAfterMs('Wed, 01 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 01 Jan 2025 13:00:00 GMT', now)).toBe(3_600_000);
  });

  it('reads an HTTP date in the past as no wait at all', () => {
    expect(retryAfterMs('Tue, 31 Dec 2024 12:00:00 GMT', now)).toBe(0);
  });

  it('caps a wait at 24 hours', () => {
    expect(retryAfterMs('999999999', now)).toBe(86_400_000);
    expect(retryAfterMs('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(86_400_000);
  });

  it.each([
    ['null', null],
    ['an empty value', ''],
    ['blanks', '   '],
    ['garbage', 'soon'],
    ['a negative number', '-5'],
    ['a fraction', '1.5'],
    ['a number with a unit', '5 seconds'],
    ['a bare month name', 'May'],
  ])('reads %s as unusable', (_, header) => {
    expect(retryAfterMs(header, now)).toBeUndefined();
  });

  it.each(['hello 2020', 'soon 5', 'Tue 1'])(
    'reads garbage that V8 Date.parse happens to accept (%s) as unusable',
    (header) => {
      expect(retryAfterMs(header, now)).toBeUndefined();
    },
  );
});

describe('Retry-After in the older HTTP-date forms', () => {
  it('reads RFC 850 and asctime dates', () => {
    const now = Date.parse('Sun, 06 Nov 1994 08:49:00 GMT');
    expect(retryAfterMs('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(37_000);
    expect(retryAfterMs('Sun Nov  6 08:49:37 1994', now)).toBe(37_000);
  });
});
