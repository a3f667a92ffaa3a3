import type { EtnaBffStore } from './session-store.js';
import { withinDeadline } from './session-store.js';

/**
 * The Redis server that holds the sessions, and the prefix of its keys.
 * @example redisSessionStore({ url: 'redis://127.0.0.1:6379', keyPrefix: 'broker:' } satisfies RedisSessionStoreOptions)
 */
export interface RedisSessionStoreOptions {
  /**
   * The Redis server: `redis://[[user]:password@]host:port[/db]`, or `rediss://…` for TLS.
   * @example 'redis://127.0.0.1:6379'
   */
  readonly url: string;
  /**
   * Put before every key and the change channel, so several applications can share one Redis.
   * @default 'etna-auth:'
   */
  readonly keyPrefix?: string;
  /**
   * Milliseconds one Redis command (or the first connection) may take before the request is answered 503.
   * @default 2000
   */
  readonly commandTimeout?: number;
}

/** The part of a `redis` client this store uses. */
interface RedisClient {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  connect(): Promise<unknown>;
  duplicate(): RedisClient;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: { expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  pExpire(key: string, ms: number): Promise<number>;
  del(key: string): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  close(): Promise<void>;
  destroy(): void;
}

/** The longest wait between two reconnection attempts. */
const MAX_RECONNECT_WAIT_MS = 2_000;

/**
 * Sessions in Redis, shared by every process that uses the same server and prefix: a logout or a 401 in one ends
 * the session in all, and a restarted process loses only the logins that were in flight in it. The `redis`
 * package is loaded (by a dynamic import) on first use, so an application without Redis never needs it: install
 * it beside etna-auth (`npm install redis`). Keys expire by themselves (TTLs); values are encrypted with a key only
 * the browser's cookie carries. While Redis cannot be reached, requests are answered 503 and nothing is lost.
 * @example createEtnaBff({ etna, allowedOrigins, store: redisSessionStore({ url: 'redis://127.0.0.1:6379' }) })
 */
export function redisSessionStore(options: RedisSessionStoreOptions): EtnaBffStore {
  const prefix = options.keyPrefix ?? 'etna-auth:';
  const timeout = options.commandTimeout ?? 2_000;
  const channel = `${prefix}changes`;
  const listeners = new Set<(message: string) => void>();
  let closed = false;
  let opened: Promise<{ client: RedisClient; subscriber: RedisClient }> | undefined;

  const open = async () => {
    const { createClient } = (await import('redis')) as unknown as {
      createClient(options: object): RedisClient;
    };
    const client = createClient({
      url: options.url,
      // Commands fail at once while Redis is away (the request gets its 503) instead of waiting in a queue.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: timeout,
        reconnectStrategy: (retries: number) =>
          Math.min(50 * 2 ** Math.min(retries, 6), MAX_RECONNECT_WAIT_MS),
      },
    });
    // The client reconnects by itself; an error event left unheard would end the process.
    client.on('error', () => {});
    const subscriber = client.duplicate();
    subscriber.on('error', () => {});
    await Promise.all([client.connect(), subscriber.connect()]);
    await subscriber.subscribe(channel, (message) => {
      for (const listener of listeners) listener(message);
    });
    return { client, subscriber };
  };
  const connected = () => {
    if (closed) return Promise.reject(new Error('closed'));
    opened ??= open();
    // A failed first connection is tried again by the next request.
    opened.catch(() => {
      opened = undefined;
    });
    return opened;
  };
  const run = <T>(what: string, call: (client: RedisClient) => Promise<T>) =>
    withinDeadline(timeout, async () => call((await connected()).client), `redis ${what}`);

  return {
    get: (key) => run('GET', async (client) => (await client.get(prefix + key)) ?? undefined),
    set: (key, value, ttlMs) =>
      run('SET', async (client) => {
        await client.set(prefix + key, value, {
          expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
        });
      }),
    expire: (key, ttlMs) =>
      run(
        'PEXPIRE',
        async (client) => (await client.pExpire(prefix + key, Math.max(1, Math.ceil(ttlMs)))) === 1,
      ),
    delete: (key) =>
      run('DEL', async (client) => {
        await client.del(prefix + key);
      }),
    publish: (message) =>
      run('PUBLISH', async (client) => {
        await client.publish(channel, message);
      }),
    subscribe: (onMessage) => {
      listeners.add(onMessage);
      // Connects now, so changes are heard before the first request needs the store.
      connected().catch(() => {});
      return () => listeners.delete(onMessage);
    },
    close: async () => {
      closed = true;
      listeners.clear();
      const clients = await opened?.catch(() => undefined);
      for (const client of clients ? [clients.client, clients.subscriber] : []) {
        await client.close().catch(() => client.destroy());
      }
    },
  };
}
