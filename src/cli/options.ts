import { parseArgs } from 'node:util';

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

Ctrl-C cancels at any prompt or wait: the request in flight is aborted.

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
`;

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

/** A number option as given: undefined when absent, NaN when not a number (the machine's check names it). */
function numberOption(value: string | undefined): number | undefined {
  return value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

/** Reads the command line and the environment; never throws. */
export function parseCommand(args: readonly string[], env: NodeJS.ProcessEnv): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, ...extra] = positionals;
  if (command !== 'login') {
    return usageError(command === undefined ? 'missing the command: login' : `unknown command "${command}"`);
  }
  if (extra.length > 0) return usageError(`unexpected argument "${extra[0]}"`);
  if (values.demo && (values['base-url'] !== undefined || values['app-key'] !== undefined)) {
    return usageError('--demo brings its own server: drop --base-url and --app-key');
  }
  const baseUrl = values.demo ? undefined : (values['base-url'] ?? env.ETNA_BASE_URL);
  const appKey = values.demo ? undefined : (values['app-key'] ?? env.ETNA_APP_KEY);
  if (!values.demo && !baseUrl) return usageError('missing --base-url (or ETNA_BASE_URL)');
  if (!values.demo && !appKey) return usageError('missing --app-key (or ETNA_APP_KEY)');
  return {
    command: 'login',
    options: {
      baseUrl,
      appKey,
      username: values.username,
      timeout: numberOption(values.timeout),
      maxSteps: numberOption(values['max-steps']),
      resendCooldown: numberOption(values['resend-cooldown']),
      forgotPassword: values['forgot-password'] ?? false,
      demo: values.demo ?? false,
    },
  };
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
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
    },
  });
}

/** The command-line flag for an option of `createEtnaAuthMachine`, to name it in a usage error. */
export function flagOf(option: string): string {
  return `--${option.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
