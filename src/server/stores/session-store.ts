/**
 * Where the backend keeps what several processes share: opaque values (already encrypted, see
 * `session-records.ts`) under keys that expire, and a channel on which every process hears of a change.
 * `memorySessionStore()` is the default; `redisSessionStore()` shares it between processes.
 * @example const store: EtnaBffStore = redisSessionStore({ url: process.env.REDIS_URL ?? '' });
 */
export interface EtnaBffStore {
  /** The value, or `undefined` when the key is absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Sets the value, to expire `ttlMs` from now. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Moves the key's expiry to `ttlMs` from now; false when the key is gone. */
  expire(key: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Tells every process (this one included) `message`. */
  publish(message: string): Promise<void>;
  /** Calls `onMessage` for every published message; returns what stops it. */
  subscribe(onMessage: (message: string) => void): () => void;
  /** Lets go of connections and timers; never rejects. */
  close(): Promise<void>;
}

/**
 * A store that cannot answer now (Redis down, or slower than its deadline): the handler answers 503.
 * @example if (error instanceof EtnaStoreUnavailableError) res.statusCode = 503;
 */
export class EtnaStoreUnavailableError extends Error {
  override readonly name = 'EtnaStoreUnavailableError';
  readonly kind = 'storeUnavailable';
}

/** Runs a store call within `ms`, turning every failure into an `EtnaStoreUnavailableError` that quotes no value. */
export async function withinDeadline<T>(ms: number, call: () => Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EtnaStoreUnavailableError(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([call(), late]);
  } catch (error) {
    if (error instanceof EtnaStoreUnavailableError) throw error;
    // The client's own error may quote a command's arguments: only its name is kept.
    const name = error instanceof Error ? error.name : 'error';
    throw new EtnaStoreUnavailableError(`${what}: ${name}`);
  } finally {
    clearTimeout(timer);
  }
}
