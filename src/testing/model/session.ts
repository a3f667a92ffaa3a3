// The session region's model: logging out (and its answers), the warning before the end, how a session ends
// without the user, what other tabs sharing the storage do, and a successful API call.
import type { AnyEventObject } from 'xstate';
import { Secret } from '../../contract/secret.js';
import { DEFAULT_SESSION_LIFETIME_MS } from '../../defaults.js';
import type { RegionModel } from './answers.js';
import { MODEL_SESSION_TOKEN } from './login.js';
import { MODEL_USER, type ModelUserEvent } from './user.js';

/**
 * The model's `sessionWarning`: the warning begins a minute before the session's end.
 * @example clock.setSystemTime(snapshot.context.sessionExpiresAt! - MODEL_SESSION_WARNING_MS);
 */
export const MODEL_SESSION_WARNING_MS = 60_000;

/**
 * The model's settings beside `maxSteps`: a warning `MODEL_SESSION_WARNING_MS` before the end, and a sliding
 * session (each successful API call moves the end on). `createModelMachine` runs with the same.
 * @example createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey, ...MODEL_SESSION_SETTINGS })
 */
export const MODEL_SESSION_SETTINGS = {
  sessionWarning: MODEL_SESSION_WARNING_MS,
  slidingSession: true,
} as const;

/** The warning's start, as the machine's timer sends it. */
export const WARNING_WAIT_EVENT = { type: 'SESSION_ENDING_SOON' } as const;

/**
 * What another tab sharing the storage does: `login` (it stores a session of the model's user: this tab adopts
 * it), `otherUser` (it stores another user's session: this tab's session ends with reason `endedElsewhere`, and
 * a tab with no session adopts it) or `logout` (it clears the stored session: this tab's ends with reason
 * `endedElsewhere`).
 * @example if (step.kind === 'otherTab') otherTab.setItem(DEFAULT_PERSIST_KEY, modelOtherTabWrite(step.action)!);
 */
export type ModelOtherTab = 'login' | 'otherUser' | 'logout';

/** Another tab's session, stored a moment before: a second short of a full lifetime from when the model loads. */
const OTHER_TAB_EXPIRES_AT = Date.now() + DEFAULT_SESSION_LIFETIME_MS - 1_000;

/**
 * The session of another user that another tab stores in an `otherUser` step.
 * @example expect(screen.getByRole('status')).not.toHaveTextContent(MODEL_OTHER_USER.username);
 */
export const MODEL_OTHER_USER = { username: 'other-model-user', token: 'other+session/token==' } as const;

/**
 * The events the storage's other tabs cause, as the machine sees them.
 * @example actor.send(MODEL_OTHER_TAB_EVENTS.logout);
 */
export const MODEL_OTHER_TAB_EVENTS: Readonly<Record<ModelOtherTab, AnyEventObject>> = {
  login: {
    type: 'SESSION_ADOPTED',
    token: new Secret(MODEL_SESSION_TOKEN),
    expiresAt: OTHER_TAB_EXPIRES_AT,
    username: MODEL_USER.username,
  },
  otherUser: {
    type: 'SESSION_ADOPTED',
    token: new Secret(MODEL_OTHER_USER.token),
    expiresAt: OTHER_TAB_EXPIRES_AT,
    username: MODEL_OTHER_USER.username,
  },
  logout: { type: 'SESSION_ENDED_ELSEWHERE' },
};

/**
 * What another tab writes to the storage shared by tabs (under `DEFAULT_PERSIST_KEY`) in an `otherTab` step:
 * the stored session, as `persist` stores it, or `null` for a removal. A driver writes it through a second view
 * of the storage (`createModelMachine`'s `otherTab`; in a browser, `localStorage` of a second page).
 * @example const written = modelOtherTabWrite('login'); // null for 'logout'
 */
export function modelOtherTabWrite(action: ModelOtherTab): string | null {
  if (action === 'logout') return null;
  const { token, expiresAt, username } = MODEL_OTHER_TAB_EVENTS[action] as unknown as {
    token: Secret;
    expiresAt: number;
    username: string;
  };
  return JSON.stringify({ token: token.reveal(), expiresAt, username });
}

/**
 * A successful API call through `createEtnaClient`: with the model's `slidingSession`, it moves the end on.
 * @example actor.send(MODEL_API_SUCCESS_EVENT);
 */
export const MODEL_API_SUCCESS_EVENT: AnyEventObject = { type: 'SESSION_ACTIVITY' };

/**
 * How a session ends without the user: `expired` (its lifetime passed) or `revoked` (the API answered 401).
 * @example const end: ModelSessionEnd = 'revoked';
 */
export type ModelSessionEnd = 'expired' | 'revoked';

/**
 * The events of the session's ends, as the machine sees them.
 * @example actor.send(MODEL_SESSION_EVENTS.expired);
 */
export const MODEL_SESSION_EVENTS: Readonly<Record<ModelSessionEnd, AnyEventObject>> = {
  expired: { type: 'SESSION_EXPIRED' },
  revoked: { type: 'SESSION_REVOKED' },
};

/**
 * The session a restored path starts with, as `persist` stores it: put it in the storage under
 * `DEFAULT_PERSIST_KEY` before creating the machine (`createModelMachine` does).
 * @example storage.setItem(DEFAULT_PERSIST_KEY, modelStoredSession(Date.now() + 3_600_000));
 */
export function modelStoredSession(expiresAt: number): string {
  return JSON.stringify({ token: MODEL_SESSION_TOKEN, expiresAt, username: MODEL_USER.username });
}

/** The stored session a storage that answers later holds in a `restoring` path, ending an hour from now. */
const RESTORED_EXPIRES_AT = Date.now() + 3_600_000;

export const sessionModel: RegionModel<ModelUserEvent> = {
  userEvents: [{ type: 'LOGOUT' }],
  refusedEvents: [],
  outcomes: [
    {
      endpoint: 'storage',
      name: 'storage: session read',
      output: {
        token: new Secret(MODEL_SESSION_TOKEN),
        expiresAt: RESTORED_EXPIRES_AT,
        username: MODEL_USER.username,
      },
      answer: { kind: 'respond', status: 200, body: modelStoredSession(RESTORED_EXPIRES_AT) },
    },
    {
      endpoint: 'storage',
      name: 'storage: nothing stored',
      output: undefined,
      answer: { kind: 'respond', status: 200, body: '' },
    },
    {
      endpoint: 'storage',
      name: 'storage: read failed',
      error: { kind: 'network', message: 'the storage could not be read' },
      answer: { kind: 'drop' },
    },
    {
      endpoint: 'logout',
      name: 'logout confirmed',
      output: undefined,
      answer: { kind: 'respond', status: 200, body: {} },
    },
    {
      endpoint: 'logout',
      name: 'logout failed',
      error: { kind: 'http', message: 'the server answered with HTTP 500', status: 500 },
      answer: { kind: 'serverError' },
    },
  ],
};
