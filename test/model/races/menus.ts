// What each source of events can do in a race: the user (the model's events, with canary secrets), the world
// (the clock, another tab, the app's API calls) and the server (the model's answers, route by route).
import type { EtnaAuthEvent } from '../../../src/index.js';
import type { FakeFault, FakeJourneyRoute } from '../../../src/testing/index.js';
import {
  FAKE_ETNA_ROUTES,
  isRefusedModelEvent,
  MODEL_INTERIM_TOKENS,
  MODEL_OUTCOMES,
  MODEL_PASSWORD_CHANGE_TOKEN,
  MODEL_PIN_SETUP_TOKENS,
  MODEL_RESET_TOKEN,
  MODEL_SESSION_TOKEN,
  MODEL_USER,
  MODEL_USER_EVENTS,
} from '../../../src/testing/index.js';

/** The secrets the race's user types, each one a canary that no snapshot may hold. */
const CANARY_OF: Readonly<Record<string, string>> = {
  [MODEL_USER.password]: 'race-password-canary-1',
  [MODEL_USER.pin]: 'race-pin-canary-2',
  [MODEL_USER.code]: 'race-code-canary-3',
  [MODEL_USER.newPin]: '97531086421357',
  [MODEL_USER.newPassword]: 'race-new-password-canary-4',
  [MODEL_USER.secretAnswer]: 'race-answer-canary-5',
  [MODEL_USER.resetCode]: 'race-reset-code-canary-6',
};

/** A second login that another tab, or this tab's user, may use. */
export const CAROL = { username: 'carol', password: 'race-carol-password-canary-7' } as const;

/** Every secret of a race: what the user types, and every token the server's answers and the other tab hold. */
export const CANARIES: readonly string[] = [
  ...Object.values(CANARY_OF),
  CAROL.password,
  MODEL_SESSION_TOKEN,
  ...Object.values(MODEL_INTERIM_TOKENS),
  ...Object.values(MODEL_PIN_SETUP_TOKENS),
  MODEL_PASSWORD_CHANGE_TOKEN,
  MODEL_RESET_TOKEN,
];

/** A user event of the race, and how a path line names it. */
export interface RaceUserEvent {
  readonly event: EtnaAuthEvent;
  readonly name: string;
  /** The model refuses its payload before sending. */
  readonly refused: boolean;
}

const withCanaries = (event: object) =>
  Object.fromEntries(
    Object.entries(event).map(([key, value]) => [key, CANARY_OF[value as string] ?? value]),
  ) as EtnaAuthEvent;

/** Every user event of the model with canary secrets, and a login as another user. */
export const RACE_USER_EVENTS: readonly RaceUserEvent[] = [
  ...MODEL_USER_EVENTS.map((event) => ({
    event: withCanaries(event),
    name: `${event.type}${isRefusedModelEvent(event) ? ' (refused)' : ''}`,
    refused: isRefusedModelEvent(event),
  })),
  {
    event: { type: 'SUBMIT_CREDENTIALS', username: CAROL.username, password: CAROL.password },
    name: 'SUBMIT_CREDENTIALS as carol',
    refused: false,
  },
];

/** What the user does in one task: one event, the same event twice at once (a double click), or whatever the screen offers. */
export type UserAction =
  | { readonly kind: 'send'; readonly user: RaceUserEvent }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'twice'; readonly user: RaceUserEvent }
  | { readonly kind: 'offered'; readonly pick: number };

export const userActionLabel = (action: UserAction): string => {
  if (action.kind === 'offered') return 'user: an event the screen offers';
  if (action.kind === 'wait') return `${clockLabel(action.ms)} (the user waits)`;
  return `user: ${action.user.name}${action.kind === 'twice' ? ', twice at once' : ''}`;
};

/**
 * How a race starts: a fresh tab, one restored from a storage that answers at once, or one whose storage answers
 * later (its every call answered by a task of its own, in order): holding a session, nothing, or failing the first read.
 */
export type RaceStart =
  | 'fresh'
  | 'restored'
  | 'restoring a session'
  | 'restoring nothing'
  | 'restoring, the read fails';

export const RACE_STARTS: readonly RaceStart[] = [
  'fresh',
  'restored',
  'restoring a session',
  'restoring nothing',
  'restoring, the read fails',
];

/** What another tab writes to the shared storage. */
export type OtherTabWrite = 'login as model-user' | 'login as carol' | 'logout' | 'moves the end';

/** The app's API call, answered as the server would: a session that works, or one it no longer accepts. */
export type ApiAnswer = 200 | 401;

/** What happens besides the user, each at any point of the race. */
export type WorldAction =
  | { readonly kind: 'clock'; readonly ms: number }
  | { readonly kind: 'otherTab'; readonly write: OtherTabWrite }
  | { readonly kind: 'api'; readonly status: ApiAnswer };

/**
 * The race machine's timings: a two-minute session warned of a minute before its end, and a resend cooldown as
 * short as the model's 429s ask to wait (2 s), so that a few clock steps cross every wait.
 */
export const RACE_TIMINGS = {
  sessionLifetime: 120_000,
  sessionWarning: 60_000,
  resendCooldown: 2_000,
} as const;

/** Clock steps that cross each wait: within one, a 429's Retry-After and the cooldown, the warning, the session's end. */
export const CLOCK_STEPS = [1_000, 2_000, 61_000, 120_000] as const;

export const clockLabel = (ms: number) =>
  `clock: +${ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1_000} s`}`;

export const worldActionLabel = (action: WorldAction): string => {
  if (action.kind === 'clock') return clockLabel(action.ms);
  if (action.kind === 'otherTab') return `other tab: ${action.write}`;
  return `app: API call, answered ${action.status}`;
};

/** Another tab's login: whose it is, and the session it stores (a token of its own), as `persist` stores it. */
export function otherTabLogin(write: 'login as model-user' | 'login as carol', now: number, serial: number) {
  const username = write === 'login as carol' ? CAROL.username : MODEL_USER.username;
  const token = `${username}+other-tab/${serial}=`;
  return {
    token,
    username,
    stored: JSON.stringify({ token, expiresAt: now + RACE_TIMINGS.sessionLifetime, username }),
  };
}

/** The session token a race may start with (a restored session), by its owner. */
export const STARTING_SESSIONS: Readonly<Record<string, string>> = {
  [MODEL_SESSION_TOKEN]: MODEL_USER.username,
};

/**
 * The model's answer with a session token of its own for each login, as a real server issues (the model's
 * answers all carry one token, which would make two logins, or two users, one session).
 */
export function withFreshToken(fault: FakeFault, token: string): FakeFault {
  if (fault.kind !== 'respond' || typeof fault.body !== 'object') return fault;
  const body = fault.body as Record<string, unknown>;
  return body.Token === MODEL_SESSION_TOKEN ? { ...fault, body: { ...body, Token: token } } : fault;
}

/** A route the race holds requests at: `/token`, `/logout` and the calls beside them. */
export type HeldRoute = 'token' | 'logout' | FakeJourneyRoute;

/** One answer the server may give at a route. */
export interface ServerAnswer {
  readonly name: string;
  readonly fault: FakeFault;
}

const statusOf = (fault: FakeFault): string => {
  switch (fault.kind) {
    case 'respond':
      return String(fault.status);
    case 'serverError':
      return '500';
    case 'rateLimited':
      return '429';
    case 'malformedJson':
      return String(fault.status ?? 200);
    case 'drop':
      return 'dropped';
    default:
      return fault.kind;
  }
};

/** The model's answers at each route, but a server that never answers (a race holds every request anyway). */
export const SERVER_ANSWERS: Readonly<Record<HeldRoute, readonly ServerAnswer[]>> = (() => {
  const menus: Record<string, ServerAnswer[]> = {};
  const seen = new Set<FakeFault>();
  for (const { endpoint, name, answer } of MODEL_OUTCOMES) {
    if (endpoint === 'storage' || answer.kind === 'hang' || seen.has(answer)) continue;
    seen.add(answer);
    menus[endpoint] = [...(menus[endpoint] ?? []), { name, fault: answer }];
  }
  return menus as Record<HeldRoute, ServerAnswer[]>;
})();

export const HELD_ROUTES = Object.keys(SERVER_ANSWERS) as HeldRoute[];

export const answerLabel = (route: HeldRoute, answer: ServerAnswer) =>
  `server: answer /${FAKE_ETNA_ROUTES[route].path} ${statusOf(answer.fault)} (${answer.name})`;
