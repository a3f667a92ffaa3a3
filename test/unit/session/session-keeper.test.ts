// The stored-session checks (createSessionKeeper): what a stored session must look like to be restored.
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/contract/secret.js';
import { memoryStorage } from '../../../src/index.js';
import { createSessionKeeper } from '../../../src/session/session-keeper.js';

describe('the stored-session checks', () => {
  const now = 1_800_000_000_000;
  const keeperWith = (value: unknown, lifetime = 60_000) => {
    const storage = memoryStorage();
    storage.setItem('k', JSON.stringify(value));
    return { storage, keeper: createSessionKeeper(storage, 'k', lifetime) };
  };

  it('accepts an expiry up to a full lifetime ahead, and a token of 4 096 characters', () => {
    expect(keeperWith({ token: 'a', expiresAt: now + 60_000 }).keeper.load(now)?.expiresAt).toBe(
      now + 60_000,
    );
    expect(
      keeperWith({ token: 'a', expiresAt: now + 1 })
        .keeper.load(now)
        ?.token.reveal(),
    ).toBe('a');
    const long = 'x'.repeat(4096);
    expect(
      keeperWith({ token: long, expiresAt: now + 1 })
        .keeper.load(now)
        ?.token.reveal(),
    ).toBe(long);
  });

  it('refuses and clears an expiry at now or past a lifetime (and a minute of clock slack), a numeric string, and a longer token', () => {
    for (const value of [
      { token: 'a', expiresAt: now },
      { token: 'a', expiresAt: now + 60_000 + 60_001 },
      { token: 'a', expiresAt: String(now + 1_000) },
      { token: 'x'.repeat(4097), expiresAt: now + 1 },
    ]) {
      const { storage, keeper } = keeperWith(value);
      expect(keeper.load(now), JSON.stringify(value).slice(0, 60)).toBeUndefined();
      expect(storage.getItem('k')).toBeNull();
    }
  });

  it("takes an expiry up to a minute past a full lifetime: another tab's clock a moment ahead", () => {
    expect(keeperWith({ token: 'a', expiresAt: now + 60_000 + 60_000 }).keeper.load(now)?.expiresAt).toBe(
      now + 120_000,
    );
  });

  it('keeps a Secret, so a loaded token never prints', () => {
    const session = keeperWith({ token: 'canary-token', expiresAt: now + 1 }).keeper.load(now);
    expect(JSON.stringify(session)).not.toContain('canary-token');
    expect(Secret.is(session?.token)).toBe(true);
  });
});
