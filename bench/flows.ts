// The three login flows of the benchmarks, driven through the machine and written by hand with ky.
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
  pinAndCode: { username: 'dave', password: 'dave-password', pin: '4321', verificationCode: '654321' },
} as const satisfies Record<string, BenchUser>;

/** Users for the concurrency run: a third each single factor, PIN, and code then PIN. */
export function benchUsers(count: number): BenchUser[] {
  return Array.from({ length: count }, (_, index) => ({
    username: `user-${index}`,
    password: `password-${index}`,
    ...(index % 3 === 1 ? { pin: '1234' } : {}),
    ...(index % 3 === 2 ? { pin: '4321', verificationCode: '654321' } : {}),
  }));
}

type Machine = ReturnType<typeof createEtnaAuthMachine>;

/** Logs `user` in through the machine, as an application would: subscribe, answer each prompt. */
export function machineLogin(machine: Machine, user: BenchUser): Promise<string> {
  return new Promise((resolve, reject) => {
    const actor = createActor(machine);
    const onSnapshot = (snapshot: SnapshotFrom<Machine>) => {
      if (snapshot.hasTag('busy')) return;
      if (snapshot.value === 'succeeded') {
        const token = selectToken(snapshot);
        actor.stop();
        if (token) resolve(token);
        else reject(new Error('succeeded without a token'));
      } else if (typeof snapshot.value === 'object') {
        if (snapshot.value.expecting === 'securityPin')
          actor.send({ type: 'SUBMIT_PIN', pin: user.pin ?? '' });
        else actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: user.verificationCode ?? '' });
      } else if (snapshot.value !== 'idle') {
        actor.stop();
        const error = (snapshot.context as { error?: { kind?: string; message?: string } }).error;
        reject(new Error(`login ended in ${snapshot.value}: ${error?.kind} ${error?.message}`));
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

/**
 * The floor: the hand-written requests, each one run by an invoked promise actor of a minimal XState machine
 * (one event per step, no etna-auth code at all). What XState itself costs per login, whatever the machine.
 */
const floorMachine = setup({
  types: {
    context: {} as {
      body: TokenBody | undefined;
      headers: Record<string, string>;
      client: KyInstance;
      tokenUrl: string;
    },
    events: {} as { type: 'SEND'; headers: Record<string, string> },
    input: {} as { client: KyInstance; tokenUrl: string },
  },
  actors: {
    post: fromPromise<TokenBody, { client: KyInstance; tokenUrl: string; headers: Record<string, string> }>(
      ({ input }) => input.client.post(input.tokenUrl, { headers: input.headers }).json<TokenBody>(),
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
          client: context.client,
          tokenUrl: context.tokenUrl,
          headers: context.headers,
        }),
        onDone: { target: 'waiting', actions: assign({ body: ({ event }) => event.output }) },
      },
    },
  },
});

export function floorLogin(
  client: KyInstance,
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
    const actor = createActor(floorMachine, { input: { client, tokenUrl } });
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
