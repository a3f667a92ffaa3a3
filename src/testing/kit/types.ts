// What an app writes to run the model paths through its own UI: the settings its machine is created with, what
// its screen shows (`ScreenReading`), and the methods of its driver; and what a run reports.
import type { ModelCoverage } from '../model/coverage.js';
import type { ModelPath } from '../model/steps.js';
import type { ModelUserEvent } from '../model/user.js';

/**
 * The settings the app under test must create its machine with for one path: spread them into
 * `createEtnaAuthMachine` (with the app's own `persist`). `baseUrl` and `appKey` are the path's fresh fake server;
 * the rest are the settings the model paths were generated for.
 * @example createEtnaAuthMachine({ ...settings, persist: browserLocalStorage() })
 */
export interface ModelAppSettings {
  /** The path's own fake ETNA server (behind the kit's gateway, which holds each request while the busy screen is read). */
  readonly baseUrl: string;
  /** The fake server's application key. */
  readonly appKey: string;
  /** Short (2 s) on a path where the server never answers, long (10 min) elsewhere, so a run of the clock never times a request out. */
  readonly timeout: number;
  /** The `maxSteps` the paths were generated for. @default 2 */
  readonly maxSteps: number;
  /** The model's warning, a minute before the session's end (`MODEL_SESSION_WARNING_MS`). */
  readonly sessionWarning: number;
  /** The model's sliding session: a successful API call moves the end on. */
  readonly slidingSession: boolean;
  /** The resend cooldown the model waits out (the machine's default, `DEFAULT_RESEND_COOLDOWN_MS`). */
  readonly resendCooldown: number;
}

/**
 * What the app's screen shows, as its driver reads it: `screen`, `busy` and `actions` are required; each optional
 * property, when the driver returns it, is checked too.
 * @example { screen: 'securityPin', busy: false, actions: ['SUBMIT_PIN', 'CANCEL'], fields: ['pin'] }
 */
export interface ScreenReading {
  /**
   * Which screen is shown, in the app's own names: the kit compares it with the driver's `screenOf(state)` for the
   * state the path expects (the state's dotted name itself when the driver has no `screenOf`).
   */
  readonly screen: string;
  /** Whether the screen says it waits for the server (a spinner, `aria-busy`, a disabled form). */
  readonly busy: boolean;
  /**
   * The user events the screen offers now, by type (`SUBMIT_PIN`, `CANCEL`, `LOGOUT`…): an enabled button or form
   * for each. It must be exactly the events the machine takes (`snapshot.can()`): no missing button, no dead one.
   */
  readonly actions: readonly string[];
  /** The `name`s of the fields on the screen: each value an offered event carries must have one. */
  readonly fields?: readonly string[];
  /** The names of the fields marked invalid: exactly the field of a refused value (`error.kind` `input`). */
  readonly invalid?: readonly string[];
  /**
   * What the screen says went wrong (alerts: a refusal, an error, the server's Errors), or undefined: shown
   * exactly while the machine holds an error, a failure or the server's Errors and is not busy.
   */
  readonly problem?: string | undefined;
  /**
   * All the text the screen shows: it must never contain a secret (password, PIN, code, answer, token), nor a
   * word of `forbiddenText`; it must contain the personal phrase on the PIN prompt and the secret question.
   */
  readonly text?: string;
}

/**
 * The part of a driver both flavours share: reading the screen, and acting on it as a person does.
 * @example const screen: ScreenDriver<Page> = { read: (page) => page.evaluate(readScreen), submit: fillAndPress, callApi: (page) => page.click('#call-api') };
 */
export interface ScreenDriver<TTarget> {
  /** Reads what the screen shows now. Called often: keep it quick, and let it throw while nothing is shown. */
  read(target: TTarget): ScreenReading | Promise<ScreenReading>;
  /**
   * Performs a user event as a person does: fills the fields its payload names (the values are in the event:
   * `event.username`, `event.pin`…; a read-only field is left as it is) and presses its button.
   */
  submit(target: TTarget, event: ModelUserEvent): Promise<void>;
  /** Calls the app's protected API with the session (e.g. presses its "Call the API" button). */
  callApi(target: TTarget): Promise<void>;
  /**
   * The app's screen for a state of the machine (`expecting.securityPin` → `'securityPin'`).
   * @default the state's dotted name itself
   */
  screenOf?(state: string): string;
}

/**
 * What one run of the paths reports.
 * @example const report: ModelPathsReport = await runModelPaths(driver); console.log(report.summary);
 */
export interface ModelPathsReport {
  /** The paths run, in order. */
  readonly paths: readonly ModelPath[];
  /**
   * The paths not run, and why: in a browser, those whose storage answers later (`restoring`), since a page's
   * storage answers at once (the Node flavour runs them).
   */
  readonly skipped: readonly { readonly description: string; readonly reason: string }[];
  /** The paths that passed. */
  readonly passed: readonly ModelPath[];
  /** The paths that failed: the path's description, the step (1-based; 0 is the start) and what was wrong. */
  readonly failed: readonly ModelPathFailure[];
  /** What the passed paths cover of the machine (states, transitions, targets). */
  readonly coverage: ModelCoverage;
  /** The whole run's duration, and per path on average, in ms. */
  readonly ms: number;
  readonly msPerPath: number;
  /** A few lines for a test's output: paths passed, steps, state and transition coverage, time per path. */
  readonly summary: string;
}

/**
 * One failed path of a run.
 * @example for (const failure of report.failed) console.log(`${failure.description}, step ${failure.step}: ${failure.message}`);
 */
export interface ModelPathFailure {
  readonly description: string;
  /** The failing step, 1-based; 0 when the screen was wrong before the first step. */
  readonly step: number;
  readonly message: string;
}

/**
 * Options both flavours take.
 * @example runModelPaths(driver, { throwOnFailure: false, onPath: (path, failure) => failure && console.log(path.description) } satisfies RunModelPathsOptions)
 */
export interface RunModelPathsOptions {
  /**
   * The paths to run.
   * @default getEtnaAuthPaths({ maxSteps })
   */
  readonly paths?: readonly ModelPath[];
  /** The `maxSteps` of the paths and of the app's machine. @default 2 */
  readonly maxSteps?: number;
  /** How long the screen may take to show what a step expects, in ms. @default 5000 */
  readonly settleMs?: number;
  /**
   * Words no screen may show (internal names a person should never read), compared case-sensitively with
   * `ScreenReading.text`.
   * @default [] (e.g. ['SecutityPin', 'BaseAuthentication', 'rateLimited'])
   */
  readonly forbiddenText?: readonly string[];
  /** Called after each path, passed or failed (to print progress). */
  readonly onPath?: (path: ModelPath, failure: ModelPathFailure | undefined) => void;
  /**
   * Whether a run with a failed path rejects (with `ModelPathsError`, which names each failed path) rather than
   * resolving with the report. @default true
   */
  readonly throwOnFailure?: boolean;
}
