import { parseArgs } from 'node:util';
import { withoutUserinfo } from '../contract/userinfo.js';

export const USAGE = `Usage: etna-auth login [options]

Logs in to ETNA Trader (POST /token) and prints the session token, alone, on stdout:
  TOKEN=$(etna-auth login --base-url https://broker.example/api/ --app-key KEY --username alice)
Prompts, progress and errors go to stderr. Every secret (password, PIN, verification or reset
code, the answer to the secret question) is asked for with hidden input on a terminal; without
one, answers are read as lines from stdin.

What the server asks for is asked in turn:
  security PIN          shown with your anti-phishing phrase ("Your phrase: ...")
  verification code     r or an empty line asks for a new code once the cooldown is over
  no PIN set up yet     pick a security image by number, type a new PIN twice and a personal phrase
  password expired      type a new password twice; the login then goes on with it
  rate limited          waits until retrying is possible, then asks "Try again?"
Other errors ask "Try again?" too (not a refused app key); no, or the end of the input, exits 3.

Options:
  --base-url <url>        the API root, /token is resolved against it   (or ETNA_BASE_URL)
  --app-key <key>         the application key sent as Et-App-Key         (or ETNA_APP_KEY)
  --username <name>       the login; asked for when absent
  --forgot-password       reset the password first: the answer to the secret question (if the
                          account has one), the code sent by e-mail, a new password; then log in
  --timeout <ms>          per request, answer included (default 10000)
  --max-steps <n>         PIN and code steps accepted in a row (default 5)
  --resend-cooldown <ms>  how long before a new verification code can be asked for (default 30000)
  --demo                  log in against an embedded fake ETNA server; its demo users are listed
  -h, --help              show this help
  -v, --version           show the version

Ctrl-C (or SIGTERM) cancels at any prompt or wait: the request in flight is aborted.

Exit codes:
  0    logged in: the token is on stdout
  1    the server refused the login (wrong password, PIN or code), or asked for a step this tool
       cannot answer
  2    bad usage (unknown option, missing --base-url or --app-key, a value that cannot work)
  3    no usable answer (network, timeout, HTTP error, malformed answer, app key refused, rate
       limited), not retried
  4    the password has expired and the server gave no way to change it here: change it with
       the broker, then log in again
  5    no security PIN is set up and none can be set up here: set one up with the broker, then
       log in again
  6    the password reset was refused: reset it with the broker, or ask the broker's support
  130  cancelled (Ctrl-C, or the input ended before the login finished)
  143  stopped by SIGTERM
`;

/** The line under every usage error, pointing at the help. */
export const TRY_HELP = "Try 'etna-auth --help'.";

/** A usage error as the CLI prints it: its message, then the pointer to the help. */
export function usageErrorText(message: string): string {
  return `etna-auth: ${message}\n${TRY_HELP}\n`;
}

export interface LoginOptions {
  readonly baseUrl: string | undefined;
  readonly appKey: string | undefined;
  readonly username: string | undefined;
  readonly timeout: number | undefined;
  readonly maxSteps: number | undefined;
  /** Milliseconds before `RESEND_CODE` is offered after a code was sent (the machine's `resendCooldown`). */
  readonly resendCooldown: number | undefined;
  /** Start with a password reset (FORGOT_PASSWORD) instead of the credentials. */
  readonly forgotPassword: boolean;
  readonly demo: boolean;
}

export type Command =
  | { readonly command: 'help' }
  | { readonly command: 'version' }
  | { readonly command: 'login'; readonly options: LoginOptions }
  | { readonly command: 'usage-error'; readonly message: string };

const usageError = (message: string): Command => ({ command: 'usage-error', message });

/** The number options: what each counts, and the largest value the machine takes. */
const NUMBER_OPTIONS = {
  timeout: { flag: '--timeout', unit: 'a whole number of milliseconds', max: 2_147_483_647 },
  maxSteps: { flag: '--max-steps', unit: 'a whole number of PIN and code steps', max: 100 },
  resendCooldown: { flag: '--resend-cooldown', unit: 'a whole number of milliseconds', max: 2_147_483_647 },
} as const;

type NumberOption = keyof typeof NUMBER_OPTIONS;

/**
 * A value as typed, to quote in a usage error: a URL's user and password hidden, wherever the value was typed
 * (a URL pasted after the wrong flag, or as a stray argument, is still a URL).
 */
const quoted = (value: string | undefined): string => `"${withoutUserinfo(value ?? '')}"`;

/** What a bad number option is told, in the CLI's words. */
function numberProblem(option: NumberOption, value: string): string {
  const { flag, unit, max } = NUMBER_OPTIONS[option];
  return `${flag} takes ${unit} from 1 to ${max}, not ${quoted(value)}`;
}

/** A number option as given: undefined when absent, or the usage error it deserves. */
function numberOption(option: NumberOption, value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return number >= 1 && number <= NUMBER_OPTIONS[option].max ? number : numberProblem(option, value);
}

/**
 * What an option the machine refused (`EtnaConfigurationError.option`) is told, in the CLI's words: the flag
 * and the value as typed (a URL's user and password hidden); for the base URL and the app key, whose rules the
 * machine alone knows, its reason.
 */
export function configurationProblem(option: string, reason: string, options: LoginOptions): string {
  if (option === 'timeout' || option === 'maxSteps' || option === 'resendCooldown') {
    return numberProblem(option, String(options[option]));
  }
  if (option === 'baseUrl') {
    return `--base-url ${quoted(options.baseUrl)} ${reason}; give the API root, e.g. https://broker.example/api/`;
  }
  if (option === 'appKey') return `--app-key cannot be sent as a header: it ${reason}`;
  return `${flagOf(option)} ${reason}`;
}

/** Reads the command line and the environment; never throws. */
export function parseCommand(args: readonly string[], env: NodeJS.ProcessEnv): Command {
  const parsed = parse(args);
  const problem = optionProblem(parsed.tokens);
  if (problem) return usageError(problem);
  const values = parsed.values as ParsedValues;
  const { positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, ...extra] = positionals;
  if (command !== 'login') {
    return usageError(
      command === undefined ? 'missing the command: login' : `unknown command ${quoted(command)}`,
    );
  }
  if (extra.length > 0) return usageError(`unexpected argument ${quoted(extra[0])}`);
  if (values.demo && (values['base-url'] !== undefined || values['app-key'] !== undefined)) {
    return usageError('--demo brings its own server: drop --base-url and --app-key');
  }
  const baseUrl = values.demo ? undefined : (values['base-url'] ?? env.ETNA_BASE_URL);
  const appKey = values.demo ? undefined : (values['app-key'] ?? env.ETNA_APP_KEY);
  if (!values.demo && !baseUrl) return usageError('missing --base-url (or ETNA_BASE_URL)');
  if (!values.demo && !appKey) return usageError('missing --app-key (or ETNA_APP_KEY)');
  const timeout = numberOption('timeout', values.timeout);
  const maxSteps = numberOption('maxSteps', values['max-steps']);
  const resendCooldown = numberOption('resendCooldown', values['resend-cooldown']);
  if (typeof timeout === 'string') return usageError(timeout);
  if (typeof maxSteps === 'string') return usageError(maxSteps);
  if (typeof resendCooldown === 'string') return usageError(resendCooldown);
  return {
    command: 'login',
    options: {
      baseUrl,
      appKey,
      username: values.username,
      timeout,
      maxSteps,
      resendCooldown,
      forgotPassword: values['forgot-password'] ?? false,
      demo: values.demo ?? false,
    },
  };
}

const OPTIONS = {
  'base-url': { type: 'string' },
  'app-key': { type: 'string' },
  username: { type: 'string' },
  timeout: { type: 'string' },
  'max-steps': { type: 'string' },
  'resend-cooldown': { type: 'string' },
  'forgot-password': { type: 'boolean' },
  demo: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

interface ParsedValues {
  readonly 'base-url'?: string;
  readonly 'app-key'?: string;
  readonly username?: string;
  readonly timeout?: string;
  readonly 'max-steps'?: string;
  readonly 'resend-cooldown'?: string;
  readonly 'forgot-password'?: boolean;
  readonly demo?: boolean;
  readonly help?: boolean;
  readonly version?: boolean;
}

/** Not strict: the options are checked by `optionProblem`, so every refusal is in the CLI's words. */
function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: false,
    tokens: true,
    options: OPTIONS,
  });
}

/** The first option that is unknown, lacks its value or has one it does not take; undefined when none. */
function optionProblem(tokens: ReturnType<typeof parse>['tokens']): string | undefined {
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const known = Object.hasOwn(OPTIONS, token.name)
      ? OPTIONS[token.name as keyof typeof OPTIONS]
      : undefined;
    if (!known) return `unknown option ${printableFlag(token.rawName)}`;
    if (known.type === 'string' && token.value === undefined) return `${token.rawName} needs a value`;
    if (known.type === 'boolean' && token.value !== undefined) return `${token.rawName} takes no value`;
  }
  return undefined;
}

/** An unknown flag as typed, bounded, a URL's user and password hidden: it is quoted back to whoever typed it. */
function printableFlag(flag: string): string {
  const shown = withoutUserinfo(flag);
  return shown.length > 40 ? `${shown.slice(0, 39)}…` : shown;
}

/** The command-line flag for an option of `createEtnaAuthMachine`, to name it in a usage error. */
export function flagOf(option: string): string {
  return `--${option.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
