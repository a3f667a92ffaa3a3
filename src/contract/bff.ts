// What the backend-for-frontend (`etna-auth/server`) and the browser's adapter (`etna-auth/remote`) say to each
// other: the routes, the CSRF header, the user events the browser may send, and the view of a login it reads.
import type { EtnaAuthErrorData } from './auth-error.js';
import type { SecurityImage } from './journey.js';
import type { EtnaFailureCode } from './session.js';

/**
 * Where the handler answers unless told otherwise, and where the adapter looks for it.
 * @example createEtnaRemoteActor({ url: DEFAULT_BFF_PATH })
 */
export const DEFAULT_BFF_PATH = '/etna-auth/';

/**
 * The header every state-changing request carries (events, logout, every API call). A page of another origin
 * cannot add it without a CORS preflight, which the handler never grants.
 * @example fetch('/etna-auth/login/events', { method: 'POST', headers: { [BFF_CSRF_HEADER]: BFF_CSRF_VALUE } })
 */
export const BFF_CSRF_HEADER = 'x-etna-auth-csrf';
/**
 * The value of `BFF_CSRF_HEADER`.
 * @example headers: { [BFF_CSRF_HEADER]: BFF_CSRF_VALUE }
 */
export const BFF_CSRF_VALUE = '1';

/** The header of every refusal that names its kind, so the adapter can tell one without reading the body. */
export const BFF_REFUSAL_HEADER = 'x-etna-auth-refusal';

/**
 * The routes under the handler's path.
 * @example fetch(`${DEFAULT_BFF_PATH}${BFF_ROUTES.login}`)
 */
export const BFF_ROUTES = {
  /** `GET`: the view of this browser's login. */
  view: 'login',
  /** `GET`: the views as they change, as server-sent events (`event: view`, `event: renew`). */
  watch: 'login/watch',
  /** `POST` one user event as JSON: the answer is the view right after it (the watch stream shows the rest). */
  events: 'login/events',
  /** `POST`: ends the session (and the login in flight) and clears the cookie. */
  logout: 'logout',
  /** Any method on an allow-listed path below it: forwarded to ETNA with the session's token and the app key. */
  api: 'api/',
} as const;

/** How each user event's fields travel: `text` as typed, `secret` wrapped in a `Secret` by the server. */
export type BffFieldKind = 'text' | 'secret';

/** The events the browser may send, each with its fields. Others (the machine's own timers, tabs) are refused. */
export const BFF_USER_EVENTS = {
  SUBMIT_CREDENTIALS: { username: 'text', password: 'secret' },
  SUBMIT_PIN: { pin: 'secret' },
  SUBMIT_VERIFICATION_CODE: { code: 'secret' },
  RESEND_CODE: {},
  SUBMIT_NEW_PIN: { pin: 'secret', imageName: 'text', personalPhrase: 'text' },
  SUBMIT_NEW_PASSWORD: { password: 'secret', confirmation: 'secret' },
  FORGOT_PASSWORD: { username: 'text' },
  SUBMIT_SECRET_ANSWER: { answer: 'secret' },
  SUBMIT_RESET_CODE: { code: 'secret' },
  CANCEL: {},
  RETRY: {},
  LOGOUT: {},
} as const satisfies Readonly<Record<string, Readonly<Record<string, BffFieldKind>>>>;

/** The type of an event the browser may send. */
export type BffUserEventType = keyof typeof BFF_USER_EVENTS;

/** The settings a screen may read; the API root and the app key stay on the server. */
export interface BffSettingsView {
  readonly maxSteps: number;
  readonly sessionLifetime: number;
  readonly resendCooldown: number;
  readonly sessionWarning: number;
  readonly slidingSession: boolean;
}

/** The context a screen reads, as the server sends it: never a secret, never a token. */
export interface BffContextView {
  readonly settings: BffSettingsView;
  readonly username: string | undefined;
  readonly step: string | undefined;
  readonly reason: string | undefined;
  readonly failure:
    | { readonly step: string; readonly reason: string; readonly code: EtnaFailureCode }
    | undefined;
  readonly error: EtnaAuthErrorData | undefined;
  readonly sessionExpiresAt: number | undefined;
  readonly personalPhrase: string | undefined;
  readonly securityImage: SecurityImage | undefined;
  readonly securityImages: readonly SecurityImage[] | undefined;
  readonly secretQuestion: string | undefined;
  readonly serverErrors: readonly string[] | undefined;
  readonly codeResent: boolean;
  readonly resendAvailableAt: number | undefined;
  readonly retryAvailableAt: number | undefined;
}

/**
 * A state value: `idle`, or nested, `{ expecting: 'securityPin' }`.
 * @example const value: BffStateValue = view.value; // 'idle', { succeeded: 'active' }
 */
export type BffStateValue = string | { readonly [key: string]: BffStateValue };

/**
 * One login as the browser sees it.
 * @example const view: BffLoginView = await (await fetch('/etna-auth/login')).json();
 */
export interface BffLoginView {
  /** Which login on the server this is (not the cookie): `''` before the first event. Views of one login count up in `seq`. */
  readonly login: string;
  readonly seq: number;
  readonly value: BffStateValue;
  readonly tags: readonly string[];
  /** What `snapshot.can()` says for each user event (its payload is checked when it is sent). */
  readonly can: Readonly<Record<BffUserEventType, boolean>>;
  readonly context: BffContextView;
}

/**
 * Why the handler refused a request; the body of every refusal is `{ error: { kind, message } }`.
 * @example if ((body as { error: BffErrorKind }).error === 'csrf') reportBug();
 */
export type BffErrorKind =
  | 'notFound'
  | 'method'
  | 'csrf'
  | 'origin'
  | 'mediaType'
  | 'tooLarge'
  | 'badEvent'
  | 'notAccepted'
  | 'noSession'
  | 'sessionRenewed'
  | 'misdirected'
  | 'tooManyLogins'
  | 'pathNotAllowed'
  | 'redirect'
  | 'upstreamTimeout'
  | 'upstreamUnreachable'
  | 'upstreamTooLarge'
  | 'storeUnavailable'
  | 'bodyConsumed';

/** The body of a refusal; a `notAccepted` one carries the view the event met. */
export interface BffErrorBody {
  readonly error: { readonly kind: BffErrorKind; readonly message: string };
  readonly view?: BffLoginView;
}
