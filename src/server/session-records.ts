// What the store holds for one browser: a record under a key derived from its cookie, encrypted with another key
// derived from the same cookie. Without the cookie a store's dump is noise; the cookie itself is never stored.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { EtnaBffStore } from './stores/session-store.js';

/**
 * One browser's record: a login in flight (held in the memory of `owner`, nothing of it here but who holds it), a
 * session, or what became of one (`ended`; `moved` to a new id after a login in place). Never a password, PIN,
 * code, answer or interim token.
 */
export type BrowserRecord =
  | { readonly t: 'login'; readonly owner: string }
  | {
      readonly t: 'session';
      readonly token: string;
      readonly expiresAt: number;
      readonly username: string | undefined;
      /** When the user logged in (epoch ms): the absolute timeout counts from here. */
      readonly loggedInAt: number;
    }
  | { readonly t: 'ended' }
  | { readonly t: 'moved' };

/** A browser's id (the cookie's value) as the store knows it: the key, and the cipher key, derived once. */
export interface BrowserKeys {
  /** Public within the backend: it names the record in the store and in change messages. */
  readonly hash: string;
  readonly cipherKey: Buffer;
}

/** 32 random bytes, base64url: 43 characters. */
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new browser id: 256 random bits. */
export function newBrowserId(): string {
  return randomBytes(32).toString('base64url');
}

/** True for a string shaped like a browser id; anything else is never looked up. */
export function isBrowserId(value: string | undefined): value is string {
  return value !== undefined && ID_PATTERN.test(value);
}

/** Derived keys of the ids seen lately: a browser's every request would derive them again otherwise. */
const derived = new Map<string, BrowserKeys>();
const DERIVED_KEPT = 10_000;

export function keysOf(id: string): BrowserKeys {
  const known = derived.get(id);
  if (known) return known;
  const keys = deriveKeys(id);
  // The oldest go first once the map is full.
  if (derived.size >= DERIVED_KEPT) derived.delete(derived.keys().next().value as string);
  derived.set(id, keys);
  return keys;
}

function deriveKeys(id: string): BrowserKeys {
  const secret = Buffer.from(id, 'base64url');
  const hash = createHash('sha256').update('etna-auth record name\0').update(secret).digest('base64url');
  const cipherKey = Buffer.from(hkdfSync('sha256', secret, 'etna-auth', 'record cipher', 32));
  return { hash, cipherKey };
}

function seal(keys: BrowserKeys, record: BrowserRecord): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.cipherKey, iv);
  cipher.setAAD(Buffer.from(keys.hash));
  const body = Buffer.concat([cipher.update(JSON.stringify(record), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

function open(keys: BrowserKeys, sealed: string): BrowserRecord | undefined {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keys.cipherKey, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(keys.hash));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const text = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
    const record = JSON.parse(text.toString('utf8')) as BrowserRecord;
    return typeof record === 'object' && record !== null && typeof record.t === 'string' ? record : undefined;
  } catch {
    // Tampered with, or written under another key: as good as absent.
    return undefined;
  }
}

/** The records of a store, by browser keys, and the heartbeats that say which processes are alive. */
export class BrowserRecords {
  readonly #store: EtnaBffStore;

  constructor(store: EtnaBffStore) {
    this.#store = store;
  }

  async read(keys: BrowserKeys): Promise<BrowserRecord | undefined> {
    const sealed = await this.#store.get(`b:${keys.hash}`);
    return sealed === undefined ? undefined : open(keys, sealed);
  }

  write(keys: BrowserKeys, record: BrowserRecord, ttlMs: number): Promise<void> {
    return this.#store.set(`b:${keys.hash}`, seal(keys, record), ttlMs);
  }

  /** Moves the record's expiry on (activity); false when it is gone (expired). */
  extend(keys: BrowserKeys, ttlMs: number): Promise<boolean> {
    return this.#store.expire(`b:${keys.hash}`, ttlMs);
  }

  remove(keys: BrowserKeys): Promise<void> {
    return this.#store.delete(`b:${keys.hash}`);
  }

  /** Tells every process that the record of `hash` changed; `from` is the process that changed it. */
  announce(from: string, hash: string): Promise<void> {
    return this.#store.publish(`${from} ${hash}`);
  }

  /** Hears announcements of other processes: `(hash)`. */
  listen(self: string, onChange: (hash: string) => void): () => void {
    return this.#store.subscribe((message) => {
      const [from, hash] = message.split(' ');
      if (from !== self && hash) onChange(hash);
    });
  }

  beat(instance: string, ttlMs: number): Promise<void> {
    return this.#store.set(`i:${instance}`, '1', ttlMs);
  }

  async isAlive(instance: string): Promise<boolean> {
    return (await this.#store.get(`i:${instance}`)) !== undefined;
  }

  stopBeating(instance: string): Promise<void> {
    return this.#store.delete(`i:${instance}`);
  }
}
