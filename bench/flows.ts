// The four login flows of the benchmarks, driven through the machine, written by hand with ky, and run by the
// two floors (a minimal XState machine invoking a plain or a careful ky request).
import ky, { type KyInstance } from 'ky';
import { assign, createActor, fromPromise, type SnapshotFrom, setup } from 'xstate';
import { type createEtnaAuthMachine, selectToken } from '../src/index.js';

export interface BenchUser {
  readonly username: string;
  readonly password: string;
  readonly pin?: string;
  readonly verificationCode?: string;
}

export const FLOW_USERS = {
  single: { username: 'alice', password: 'alice-password' },
  pin: { username: 'bob', password: 'bob-password', pin: '1234' },
  code: { username: 'carol', password: 'carol-password', verificationCode: '246810' },
  pinAndCode: { username: 'dave', password: 'dave-password', pin: '4321', verificationCode: '654321' },
} as const satisfies Record<string, BenchUser>;

/** Users for the concurrency run: a quarter each single factor, PIN, code, and code then PIN. */
export function benchUsers(count: number): BenchUser[] {
  return Array.from({ length: count }, (_, index) => ({
    username: `user-${index}`,
    password: `password-${index}`,
    ...(index % 4 === 1 || index % 4 === 3 ? { pin: '4321' } : {}),
    ...(index % 4 >= 2 ? { verificationCode: '654321' } : {}),
  }));
}

type Machine = ReturnType<typeof createEtnaAuthMachine>;

/** Logs `user` in through the machine, as an application would: subscribe, answer each prompt. */
export function machineLogin(machine: Machine, user: BenchUser): Promise<string> {
  return new Promise((resolve, reject) => {
    const actor = createActor(machine);
    const onSnapshot = (snapshot: SnapshotFrom<Machine>) => {
      if (snapshot.hasTag('busy')) return;
      const { value } = snapshot;
      if (typeof value === 'object' && 'succeeded' in value) {
        const token = selectToken(snapshot);
        actor.stop();
        if (token) resolve(token);
        else reject(new Error('succeeded without a token'));
      } else if (typeof value === 'object' && 'expecting' in value) {
        if (value.expecting === 'securityPin') actor.send({ type: 'SUBMIT_PIN', pin: user.pin ?? '' });
        else actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: user.verificationCode ?? '' });
      } else if (value !== 'idle') {
        actor.stop();
        const error = (snapshot.context as { error?: { kind?: string; message?: string } }).error;
        reject(new Error(`login ended in ${JSON.stringify(value)}: ${error?.kind} ${error?.message}`));
      }
    };
    actor.subscribe({ next: onSnapshot, error: reject });
    actor.start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: user.username, password: user.password });
  });
}

export function handClient(fetch?: typeof globalThis.fetch): KyInstance {
  return ky.create({ retry: 0, timeout: 60_000, throwHttpErrors: false, ...(fetch ? { fetch } : {}) });
}

interface TokenBody {
  State?: string;
  Step?: string;
  Token?: string;
}

/** The same login written by hand with ky and no machine: what a careful application would write. */
export async function handLogin(client: KyInstance, tokenUrl: string, appKey: string, user: BenchUser) {
  const base = {
    Accept: 'application/json',
    'Et-App-Key': appKey,
    Username: user.username,
    Password: user.password,
  };
  let body = await client.post(tokenUrl, { headers: base }).json<TokenBody>();
  for (let steps = 0; body.State === 'Expecting' && steps < 5; steps++) {
    const pinStep = /^secu[rt]itypin$/i.test(body.Step ?? '');
    body = await client
      .post(tokenUrl, {
        headers: {
          ...base,
          Authorization: `Bearer ${body.Token}`,
          ...(pinStep ? { PinCode: user.pin ?? '' } : { VerificationCode: user.verificationCode ?? '' }),
        },
      })
      .json<TokenBody>();
  }
  if (body.State !== 'Succeeded' || !body.Token) throw new Error(`login ended in ${body.State}`);
  return body.Token;
}

/** One `/token` POST of a floor: its headers, and the invoked actor's signal (stopped actor: aborted). */
export type FloorPost = (
  tokenUrl: string,
  headers: Record<string, string>,
  signal: AbortSignal,
) => Promise<TokenBody>;

/** The plain floor's request: `ky.post(...).json()` and nothing else. */
export const plainPost =
  (client: KyInstance): FloorPost =>
  (tokenUrl, headers) =>
    client.post(tokenUrl, { headers }).json<TokenBody>();

/** The careful floor's deadline (the machine's default timeout) and body cap (the service's). */
const CAREFUL_TIMEOUT_MS = 10_000;
const CAREFUL_MAX_BYTES = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The careful floor's request: the same ky POST with what any client of a credential endpoint needs, written as
 * cheaply as it can be. A deadline that covers the body too (one timer, the actor's signal joined to it, both
 * handed to fetch, not to ky, whose `AbortSignal.any` is slow on Node 20), no redirect followed, a bounded body
 * read as strict UTF-8, and JSON checked to be an object.
 */
export function carefulPost(fetch: typeof globalThis.fetch = globalThis.fetch): FloorPost {
  const client = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, redirect: 'manual' });
  return async (tokenUrl, headers, signal) => {
    const controller = new AbortController();
    const abort = () => controller.abort();
    const timer = setTimeout(abort, CAREFUL_TIMEOUT_MS);
    signal.addEventListener('abort', abort, { once: true });
    try {
      const response = await client.post(tokenUrl, {
        headers,
        fetch: (input, init) => fetch(input, { ...init, redirect: 'manual', signal: controller.signal }),
      });
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        void response.body?.cancel().catch(() => {});
        throw new Error(`redirect ${response.status}, not followed`);
      }
      const reader = response.body?.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (;;) {
        if (!reader) break;
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > CAREFUL_MAX_BYTES) {
          void reader.cancel().catch(() => {});
          throw new Error('body too large');
        }
        chunks.push(value);
      }
      const bytes = chunks.length === 1 ? (chunks[0] as Uint8Array) : new Uint8Array(size);
      if (chunks.length > 1) {
        let offset = 0;
        for (const chunk of chunks) {
          bytes.set(chunk, offset);
          offset += chunk.byteLength;
        }
      }
      const json: unknown = JSON.parse(utf8.decode(bytes));
      if (typeof json !== 'object' || json === null || Array.isArray(json))
        throw new Error('not a JSON object');
      return json as TokenBody;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
    }
  };
}

/**
 * A floor: the hand-written requests, each one run by an invoked promise actor of a minimal XState machine
 * (one event per step, no etna-auth code at all). With `plainPost`, what XState itself costs per login; with
 * `carefulPost`, what XState and a careful ky request cost: the machine's own bar.
 */
const floorMachine = setup({
  types: {
    context: {} as {
      body: TokenBody | undefined;
      headers: Record<string, string>;
      post: FloorPost;
      tokenUrl: string;
    },
    events: {} as { type: 'SEND'; headers: Record<string, string> },
    input: {} as { post: FloorPost; tokenUrl: string },
  },
  actors: {
    post: fromPromise<TokenBody, { post: FloorPost; tokenUrl: string; headers: Record<string, string> }>(
      ({ input, signal }) => input.post(input.tokenUrl, input.headers, signal),
    ),
  },
}).createMachine({
  context: ({ input }) => ({ body: undefined, headers: {}, ...input }),
  initial: 'waiting',
  states: {
    waiting: { on: { SEND: { target: 'busy', actions: assign({ headers: ({ event }) => event.headers }) } } },
    busy: {
      invoke: {
        src: 'post',
        input: ({ context }) => ({
          post: context.post,
          tokenUrl: context.tokenUrl,
          headers: context.headers,
        }),
        onDone: { target: 'waiting', actions: assign({ body: ({ event }) => event.output }) },
      },
    },
  },
});

export function floorLogin(
  post: FloorPost,
  tokenUrl: string,
  appKey: string,
  user: BenchUser,
  onActor?: (actor: { stop(): void }) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const base = {
      Accept: 'application/json',
      'Et-App-Key': appKey,
      Username: user.username,
      Password: user.password,
    };
    let steps = 0;
    const actor = createActor(floorMachine, { input: { post, tokenUrl } });
    actor.subscribe({
      next: (snapshot) => {
        const { body } = snapshot.context;
        if (snapshot.value !== 'waiting' || !body) return;
        if (body.State === 'Expecting' && steps++ < 5) {
          const pinStep = /^secu[rt]itypin$/i.test(body.Step ?? '');
          actor.send({
            type: 'SEND',
            headers: {
              ...base,
              Authorization: `Bearer ${body.Token}`,
              ...(pinStep ? { PinCode: user.pin ?? '' } : { VerificationCode: user.verificationCode ?? '' }),
            },
          });
          return;
        }
        actor.stop();
        if (body.State === 'Succeeded' && body.Token) resolve(body.Token);
        else reject(new Error(`login ended in ${body.State}`));
      },
      error: reject,
    });
    onActor?.(actor);
    actor.start();
    actor.send({ type: 'SEND', headers: base });
  });
}
