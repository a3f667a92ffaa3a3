// The stored-session checks (createSessionKeeper): what a stored session must look like to be restored.
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/contract/secret.js';
import { type EtnaSessionStorage, memoryStorage } from '../../../src/index.js';
import { createSessionKeeper } from '../../../src/session/session-keeper.js';
import { createAsyncStorage } from '../../../src/testing/async-storage.js';

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

/** A storage that answers later over `backing`, and a promise of the moment every call made so far has answered. */
function countedAsyncStorage(backing: EtnaSessionStorage) {
  const storage = createAsyncStorage(backing);
  const pending = new Set<Promise<unknown>>();
  const counted =
    <A extends unknown[], T>(method: (...args: A) => Promise<T>) =>
    (...args: A) => {
      const answer = method(...args);
      pending.add(answer);
      void answer.finally(() => pending.delete(answer)).catch(() => {});
      return answer;
    };
  return {
    storage: {
      ...storage,
      getItem: counted(storage.getItem),
      setItem: counted(storage.setItem),
      removeItem: counted(storage.removeItem),
    },
    /** Resolves once no call is waiting, and none followed the last answer. */
    async quiet() {
      for (let calm = 0; calm < 3; calm = pending.size === 0 ? calm + 1 : 0)
        await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

describe('a storage that answers later, called in turn', () => {
  const now = 1_800_000_000_000;
  const stored = (token: string) => JSON.stringify({ token, expiresAt: now + 30_000, username: 'alice' });

  it('a read after a clear finds the session gone: it waits for the clear to read and remove it', async () => {
    const backing = memoryStorage();
    backing.setItem('k', stored('ended'));
    const { storage, quiet } = countedAsyncStorage(backing);
    const keeper = createSessionKeeper(storage, 'k', 60_000);
    keeper.clear(new Secret('ended'));
    expect(await keeper.read(() => now)).toBeUndefined();
    await quiet();
    expect(backing.getItem('k')).toBeNull();
  });

  it("a clear's removal never lands after a newer save: the new session stays stored", async () => {
    const backing = memoryStorage();
    backing.setItem('k', stored('ended'));
    const { storage, quiet } = countedAsyncStorage(backing);
    const keeper = createSessionKeeper(storage, 'k', 60_000);
    keeper.clear(new Secret('ended'));
    keeper.save({ token: new Secret('next'), expiresAt: now + 30_000, username: 'alice' });
    await quiet();
    expect(JSON.parse(backing.getItem('k') ?? 'null')).toMatchObject({ token: 'next' });
  });

  it('counts its saves and clears, so that a read begun before one of them is known to be older', () => {
    const keeper = createSessionKeeper(createAsyncStorage(memoryStorage()), 'k', 60_000);
    expect(keeper.writes).toBe(0);
    keeper.save({ token: new Secret('a'), expiresAt: now + 30_000, username: 'alice' });
    keeper.clear(new Secret('a'));
    expect(keeper.writes).toBe(2);
  });
});

describe('the stored session of a storage that answers later', () => {
  it('is checked when the storage answers: a session that ended while it was read is not restored, and is cleared', async () => {
    const backing = memoryStorage();
    const storage = createAsyncStorage(backing);
    let time = 1_800_000_000_000;
    backing.setItem('k', JSON.stringify({ token: 'a', expiresAt: time + 1_000 }));
    const keeper = createSessionKeeper(storage, 'k', 60_000);
    storage.hold();
    const reading = keeper.read(() => time);
    // The read began a second before the end; the storage answers at the end.
    time += 1_000;
    storage.release('answer');
    expect(await reading).toBeUndefined();
    await expect.poll(() => backing.getItem('k')).toBeNull();
  });

  it('restores a session still running when the storage answers', async () => {
    const backing = memoryStorage();
    const time = 1_800_000_000_000;
    backing.setItem('k', JSON.stringify({ token: 'a', expiresAt: time + 1_000 }));
    const keeper = createSessionKeeper(createAsyncStorage(backing), 'k', 60_000);
    expect((await keeper.read(() => time + 999))?.expiresAt).toBe(time + 1_000);
  });
});
