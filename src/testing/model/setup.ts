// The one setup for running a model path with the real actor: a memory storage (holding the model's stored
// session for a `restored` start) and the machine with its services, configured as the paths expect.
import { createEtnaAuthMachine, DEFAULT_PERSIST_KEY, type EtnaAuthMachine } from '../../index.js';
import { createAsyncStorage } from '../async-storage.js';
import type { FakeFault } from '../fake/index.js';
import { createSharedMemoryStorage, type SharedStorageTab } from '../shared-storage.js';
import { MODEL_MAX_STEPS } from './events.js';
import { MODEL_SESSION_SETTINGS, modelStoredSession } from './session.js';
import type { ModelStart } from './steps.js';

/**
 * The options of `createModelMachine`: the fake server to log in at, and how the path starts.
 * @example createModelMachine({ baseUrl: server.url, appKey: server.appKey, start: path.start })
 */
export interface ModelMachineOptions {
  /** The API root the machine logs in at: a fake server's `url`. */
  readonly baseUrl: string;
  /** The application key: a fake server's `appKey`. */
  readonly appKey: string;
  /**
   * The path's `start`: for `restored`, the storage holds the model's session (`modelStoredSession`) under
   * `DEFAULT_PERSIST_KEY`, as after a reload; for `restoring`, the storage answers later (see `restore`).
   * @default 'fresh'
   */
  readonly start?: ModelStart;
  /**
   * For a `restored` start, how long the stored session has left, in ms from now.
   * @default 3_600_000 (one hour)
   */
  readonly storedSessionMs?: number;
  /**
   * The per-request timeout, in ms: short, since the `timeout` outcome is a server that never answers.
   * @default 400
   */
  readonly timeout?: number;
  /**
   * The machine's `maxSteps`: the one the paths were generated for (`getEtnaAuthPaths({ maxSteps })`).
   * @default 2 (the default of `getEtnaAuthPaths`)
   */
  readonly maxSteps?: number;
  /**
   * The machine's `resendCooldown`, in ms: how long `RESEND_CODE` waits after a code was sent.
   * @default 30000 (the machine's default; a `wait` step of the paths advances the clock past it)
   */
  readonly resendCooldown?: number;
}

/**
 * The machine a model path runs on: `createEtnaAuthMachine` at `baseUrl`, persisting into one tab of a fresh
 * shared memory storage (under `DEFAULT_PERSIST_KEY`), with the short timeout, the `maxSteps` and the session
 * settings of the paths (`MODEL_SESSION_SETTINGS`). Check the storage after each step: it holds a session
 * exactly while the machine is logged in. `otherTab` is a second tab's view of the same storage: an `otherTab`
 * step writes through it. For a `restoring` start, the tab answers later (an AsyncStorage-like storage) and its
 * first read waits: `restore(answer)` plays the path's first step, the storage's answer (`ModelOutcome.answer`
 * of a `storage` outcome).
 * @example const { machine, storage, otherTab } = createModelMachine({ baseUrl: server.url, appKey: server.appKey, start: path.start });
 */
export function createModelMachine(options: ModelMachineOptions): {
  readonly machine: EtnaAuthMachine;
  readonly storage: SharedStorageTab;
  readonly otherTab: SharedStorageTab;
  readonly restore: (answer: FakeFault) => void;
} {
  const shared = createSharedMemoryStorage();
  const storage = shared.openTab();
  const otherTab = shared.openTab();
  if (options.start === 'restored') {
    const expiresAt = Date.now() + (options.storedSessionMs ?? 3_600_000);
    storage.setItem(DEFAULT_PERSIST_KEY, modelStoredSession(expiresAt));
  }
  const later = options.start === 'restoring' ? createAsyncStorage(storage, { held: true }) : undefined;
  const machine = createEtnaAuthMachine({
    baseUrl: options.baseUrl,
    appKey: options.appKey,
    timeout: options.timeout ?? 400,
    maxSteps: options.maxSteps ?? MODEL_MAX_STEPS,
    ...(options.resendCooldown !== undefined && { resendCooldown: options.resendCooldown }),
    ...MODEL_SESSION_SETTINGS,
    persist: later ?? storage,
  });
  const restore = (answer: FakeFault) => {
    if (!later) throw new Error('only a restoring start reads its storage later');
    if (answer.kind === 'respond' && typeof answer.body === 'string' && answer.body !== '')
      storage.setItem(DEFAULT_PERSIST_KEY, answer.body);
    later.release(answer.kind === 'respond' ? 'answer' : 'fail');
  };
  return { machine, storage, otherTab, restore };
}
