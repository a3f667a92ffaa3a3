// Every route the fake server answers, by name: `/token` (login), the session's two, one per call of
// `JOURNEY_CALLS` (read off that list, never typed again), and the aliases only the fake adds.
import { JOURNEY_CALL_NAMES, JOURNEY_CALLS, type JourneyCall } from '../../contract/calls.js';
import { TOKEN_ROUTE } from './login.js';
import { PASSWORD_RESET_ALIASES } from './password-reset.js';
import { SESSION_ROUTES } from './session.js';

/**
 * A journey route, by the name `injectAt` queues faults for (an alias counts as its call): `JourneyCall`.
 * @example server.injectAt('resetCode', { kind: 'serverError' });
 */
export type FakeJourneyRoute = JourneyCall;

/** A route as the server matches it: the method in upper case, the path relative to the base path. */
interface FakeRoute {
  readonly method: string;
  readonly path: string;
}

type JourneyRoutes = {
  readonly [K in JourneyCall]: {
    readonly method: Uppercase<(typeof JOURNEY_CALLS)[K]['method']>;
    readonly path: (typeof JOURNEY_CALLS)[K]['path'];
  };
};

/** One route per call beside `/token`: its method and path as `JOURNEY_CALLS` declares them. */
const JOURNEY_ROUTES = Object.fromEntries(
  JOURNEY_CALL_NAMES.map((name) => {
    const { method, path } = JOURNEY_CALLS[name];
    return [name, { method: method.toUpperCase(), path }];
  }),
) as JourneyRoutes;

type AliasName = keyof typeof PASSWORD_RESET_ALIASES;

const ALIAS_ROUTES = Object.fromEntries(
  Object.entries(PASSWORD_RESET_ALIASES).map(([name, { method, path }]) => [name, { method, path }]),
) as {
  readonly [K in AliasName]: {
    readonly method: (typeof PASSWORD_RESET_ALIASES)[K]['method'];
    readonly path: (typeof PASSWORD_RESET_ALIASES)[K]['path'];
  };
};

/** A route beside `/token` and the session's: a call of `JOURNEY_CALLS`, or an alias of one. */
export type JourneyRouteName = JourneyCall | AliasName;

/**
 * Every route the fake server answers, relative to its base path: `token`, `logout`, `userInfo`, one per call
 * of `JOURNEY_CALLS` under the same name, and `identifierResetCode`. The demo server (`npm start`) forwards
 * these, and nothing else, to it.
 * @example const { method, path } = FAKE_ETNA_ROUTES.pinChange; // POST v1.0/users/pincode/change
 */
export const FAKE_ETNA_ROUTES = {
  token: TOKEN_ROUTE,
  ...SESSION_ROUTES,
  ...JOURNEY_ROUTES,
  ...ALIAS_ROUTES,
} as const;

/**
 * True when `method` and `path` (relative to the base path, without a query, exactly as sent: no
 * normalisation, no percent-decoding) name one of `FAKE_ETNA_ROUTES`.
 * @example if (!isFakeEtnaRoute(req.method, pathname.slice('/api/'.length))) return notFound(res);
 */
export function isFakeEtnaRoute(method: string | undefined, path: string): boolean {
  return Object.values(FAKE_ETNA_ROUTES).some(
    (route: FakeRoute) => route.method === method && route.path === path,
  );
}

const JOURNEY_ROUTE_NAMES = [
  ...JOURNEY_CALL_NAMES,
  ...Object.keys(ALIAS_ROUTES),
] as readonly JourneyRouteName[];

/** The journey route a path (relative to the base path, without a query) names, whatever the method. */
export function journeyRouteOf(path: string): JourneyRouteName | undefined {
  return JOURNEY_ROUTE_NAMES.find((name) => FAKE_ETNA_ROUTES[name].path === path);
}

/** The call a journey route answers, whose fault queue it plays from. */
export const callOf = (name: JourneyRouteName): JourneyCall =>
  Object.hasOwn(PASSWORD_RESET_ALIASES, name)
    ? PASSWORD_RESET_ALIASES[name as AliasName].call
    : (name as JourneyCall);
