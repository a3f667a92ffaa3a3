import { describe, expect, it } from 'vitest';
import { matchesState } from '../../../src/remote/remote-snapshot.js';

describe('matchesState, as XState matches a state value', () => {
  it.each([
    ['idle', 'idle', true],
    ['idle', { expecting: 'securityPin' }, false],
    ['expecting', { expecting: 'securityPin' }, true],
    ['expecting.securityPin', { expecting: 'securityPin' }, true],
    ['expecting.verificationCode', { expecting: 'securityPin' }, false],
    [{ succeeded: 'endingSoon' }, { succeeded: { endingSoon: 'warning' } }, true],
    ['succeeded.endingSoon.warning', { succeeded: { endingSoon: 'warning' } }, true],
    ['succeeded.active', { succeeded: { endingSoon: 'warning' } }, false],
    [{ expecting: 'securityPin' }, 'expecting', false],
  ] as const)('%j in %j: %s', (wanted, state, expected) => {
    expect(matchesState(wanted, state)).toBe(expected);
  });
});
