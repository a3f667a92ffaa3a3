// What the runner needs from a flavour, for one path: the app opened on the path's server, its screen, its clock,
// another tab of its storage, and what it printed. The Node flavour and the Playwright flavour each make one.
import type { FakeFault } from '../fake/index.js';
import type { ModelUserEvent } from '../model/user.js';
import type { ModelAppSettings, ScreenReading } from './types.js';

/** The app under test, opened for one path. */
export interface Stage {
  /**
   * Opens the app with `settings`; with `storedSession`, the storage holds it first (a restored start); with
   * `readLater`, the storage answers later and its first read waits for `restore` (a restoring start).
   */
  open(settings: ModelAppSettings, storedSession: string | undefined, readLater?: boolean): Promise<void>;
  /**
   * Answers the storage's held first read as a `storage` outcome says (`respond`: what it holds, `''` for
   * nothing; `drop`: a failed read). Absent where the app's storage cannot answer later: those paths are skipped.
   */
  restore?(answer: FakeFault): Promise<void>;
  read(): Promise<ScreenReading>;
  submit(event: ModelUserEvent): Promise<void>;
  callApi(): Promise<void>;
  /** The app's clock now, in ms: the clock its machine's timers run on. */
  now(): Promise<number>;
  /** When a time read off `Date.now()` (a stored session's end) falls due on the app's clock. */
  dueAt(epochMs: number): Promise<number>;
  /** Runs the app's clock on by `ms`, firing the timers due. */
  advance(ms: number): Promise<void>;
  /** Another tab of the app's storage writes the session (or removes it: `null`). */
  otherTab(value: string | null): Promise<void>;
  /** The session the app keeps in its storage, or null; undefined when the flavour cannot read it. */
  stored(): Promise<string | null | undefined>;
  /** What went wrong outside the screen so far: uncaught errors, a secret in the console. */
  troubles(): readonly string[];
  close(): Promise<void>;
}

/** A flavour: a fresh stage for each path, and what the paths shared (pages, say) closed after the last. */
export interface Flavour {
  stage(): Promise<Stage>;
  close(): Promise<void>;
  /** Whether its storage can answer later (the `restoring` paths run), and if not, why. */
  readonly readsLater: true | { readonly skipped: string };
}
