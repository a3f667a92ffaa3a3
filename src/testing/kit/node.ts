// The Node flavour: the app's UI rendered in-process (jsdom, a terminal, any renderer), its actor on the kit's
// simulated clock, its session in a storage the kit shares with "another tab".
import { SimulatedClock } from 'xstate';
import { createEtnaAuthMachine } from '../../create-etna-auth-machine.js';
import { DEFAULT_PERSIST_KEY } from '../../defaults.js';
import type { EtnaAuthMachine } from '../../machine/etna-auth-machine.js';
import { type AsyncTestStorage, createAsyncStorage } from '../async-storage.js';
import { createSharedMemoryStorage, type SharedStorageTab } from '../shared-storage.js';
import type { Stage } from './stage.js';
import type { ModelAppSettings, ScreenDriver } from './types.js';

/**
 * What the app gets for one path, in Node: a machine ready to render, and what it was made of.
 * @example start: ({ machine, actorOptions }: ModelAppSetup) => void render(<EtnaLogin machine={machine} options={actorOptions} />)
 */
export interface ModelAppSetup {
  /** `createEtnaAuthMachine({ ...settings, persist: storage })`: render your UI with it. */
  readonly machine: EtnaAuthMachine;
  /**
   * Options for the actor your UI creates (`createActor`, `useActorRef`, `useMachine`): `clock` is the kit's, whose
   * time runs only when a step needs it (a wait, a session's end). Without it, those steps fail.
   * @example render(<EtnaLogin machine={machine} options={actorOptions} />)
   */
  readonly actorOptions: { readonly clock: SimulatedClock };
  /**
   * The storage `machine` persists into; for a restored path it holds a session when `start` is called. For a
   * restoring path, `machine` persists into a storage that answers later over it (its first read held by the kit).
   */
  readonly storage: SharedStorageTab;
  /** The settings `machine` was made with, for an app that creates its machine itself (with `persist: storage`). */
  readonly settings: ModelAppSettings;
}

/**
 * The driver of an app rendered in-process: `start` renders it for a path, `stop` removes it; `read`, `submit` and
 * `callApi` act on what is rendered (the `target` argument is undefined: leave it out).
 * @example
 * const driver: ModelDriver = {
 *   start: ({ machine, actorOptions }) => void render(<EtnaLogin machine={machine} options={actorOptions} />),
 *   stop: () => cleanup(),
 *   read: () => readScreen(document.body),
 *   submit: (_, event) => fillAndPress(document.body, event),
 *   callApi: async () => screen.getByRole('button', { name: /call the api/i }).click(),
 * };
 */
export interface ModelDriver extends ScreenDriver<undefined> {
  /** Renders the app for one path, with the path's machine (or one made from `settings`) and actor options. */
  start(setup: ModelAppSetup): void | Promise<void>;
  /** Removes what `start` rendered (unmount, cleanup), so the next path starts afresh. */
  stop(): void | Promise<void>;
}

/** A stage of the Node flavour: a fresh storage, clock and machine for each path. */
export function nodeStage(driver: ModelDriver): Stage {
  const shared = createSharedMemoryStorage();
  const storage = shared.openTab();
  const otherTab = shared.openTab();
  const clock = new SimulatedClock();
  let started = false;
  let later: AsyncTestStorage | undefined;
  return {
    open: async (settings, storedSession, readLater) => {
      if (storedSession !== undefined) storage.setItem(DEFAULT_PERSIST_KEY, storedSession);
      later = readLater ? createAsyncStorage(storage, { held: true }) : undefined;
      const machine = createEtnaAuthMachine({ ...settings, persist: later ?? storage });
      started = true;
      await driver.start({ machine, actorOptions: { clock }, storage, settings });
    },
    restore: async (answer) => {
      if (answer.kind === 'respond' && typeof answer.body === 'string' && answer.body !== '')
        storage.setItem(DEFAULT_PERSIST_KEY, answer.body);
      later?.release(answer.kind === 'respond' ? 'answer' : 'fail');
    },
    read: async () => driver.read(undefined),
    submit: (event) => driver.submit(undefined, event),
    callApi: () => driver.callApi(undefined),
    now: async () => clock.now(),
    // The machine reads `Date.now()`; its timers run on the simulated clock, from where it stands now.
    dueAt: async (epochMs) => clock.now() + epochMs - Date.now(),
    advance: async (ms) => clock.increment(Math.ceil(ms)),
    otherTab: async (value) => {
      if (value === null) otherTab.removeItem(DEFAULT_PERSIST_KEY);
      else otherTab.setItem(DEFAULT_PERSIST_KEY, value);
    },
    stored: async () => storage.getItem(DEFAULT_PERSIST_KEY),
    troubles: () => [],
    close: async () => {
      if (started) await driver.stop();
    },
  };
}
