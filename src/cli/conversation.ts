// What the login's prompts share: the actor, the questions and the lines said on stderr, and what was said once.
import type { Actor, SnapshotFrom } from 'xstate';
import type { EtnaAuthEvent, EtnaAuthMachine } from '../index.js';
import type { Demo } from './demo.js';
import { printable } from './failure.js';
import type { LoginOptions } from './options.js';
import type { Prompter } from './prompter.js';
import type { Spinner } from './spinner.js';

export type LoginActor = Actor<EtnaAuthMachine>;
export type LoginSnapshot = SnapshotFrom<EtnaAuthMachine>;

/** One pass of the loop: a state that asks something (busy states never do). */
export interface Turn {
  readonly snapshot: LoginSnapshot;
  /** The state as one dotted name, e.g. `expecting.securityPin`. */
  readonly state: string;
  /** The state is not the one asked last. */
  readonly entered: boolean;
  /** The top-level state is not the one asked last: a region was just entered. */
  readonly enteredTop: boolean;
}

/** The login's terminal, as the prompts of each region use it. */
export interface Conversation {
  readonly actor: LoginActor;
  readonly options: LoginOptions;
  readonly prompter: Prompter;
  readonly spinner: Spinner;
  /** True once Ctrl-C or a signal cancelled the login. */
  cancelled(): boolean;
  /** `etna-auth: <text>` on stderr, made printable: parts of it come from the server or echo what was typed. */
  line(text: string): string;
  say(text: string): void;
  ask(question: string): Promise<string>;
  /** Asks without echoing the answer on a terminal. */
  askSecret(question: string): Promise<string>;
  /** Sends `event`, unless the login was cancelled while a question waited. */
  send(event: EtnaAuthEvent): void;
  /** True the first time it is given `value`: an error, the server's Errors or a mail is said once. */
  first(value: object | undefined): value is object;
  /** With --demo, the code the fake server last "e-mailed" `username`, said once. */
  showDemoMail(username: string | undefined, kind: Parameters<Demo['lastMail']>[1]): void;
}

export interface ConversationParts {
  readonly actor: LoginActor;
  readonly options: LoginOptions;
  readonly prompter: Prompter;
  readonly spinner: Spinner;
  readonly stderr: NodeJS.WritableStream;
  readonly demo: Demo | undefined;
  readonly cancelled: () => boolean;
}

export function createConversation(parts: ConversationParts): Conversation {
  const { actor, prompter, stderr, demo, cancelled } = parts;
  const told = new WeakSet<object>();
  const line = (text: string) => `etna-auth: ${printable(text)}`;
  const say = (text: string) => {
    stderr.write(`${line(text)}\n`);
  };
  const first = (value: object | undefined): value is object => {
    if (value === undefined || told.has(value)) return false;
    told.add(value);
    return true;
  };
  return {
    actor,
    options: parts.options,
    prompter,
    spinner: parts.spinner,
    cancelled,
    line,
    say,
    ask: (question) => prompter.ask(question),
    askSecret: (question) => prompter.ask(question, { hidden: true }),
    send: (event) => {
      if (!cancelled()) actor.send(event);
    },
    first,
    showDemoMail: (username, kind) => {
      const mail = demo?.lastMail(username ?? '', kind);
      if (first(mail))
        say(
          `Demo mail to ${username}: ${kind === 'passwordReset' ? 'reset' : 'verification'} code ${mail.code}`,
        );
    },
  };
}

/** `idle`, `expecting.securityPin`, …: a state value as one dotted name. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? ['', ''];
  return `${key}.${stateName(child)}`;
}

/** Whole seconds until `at` (epoch ms), at least 1: said while a wait still holds. */
export function secondsUntil(at: number | undefined): number {
  return Math.max(1, Math.ceil(((at ?? 0) - Date.now()) / 1000));
}
