import { assign, fromCallback } from 'xstate';
import { JOURNEY_CALL_NAMES, type JourneyCall, type JourneyRequests } from './contract/calls.js';
import type { JourneyService } from './contract/journey.js';
import type { Secret } from './contract/secret.js';
import type { TokenAnswer, TokenRequest } from './contract/token-request.js';
import { etnaAuthMachineWith } from './machine/etna-auth-machine.js';
import { fromRequest, INTERRUPTED_BY_RESTORE } from './machine/restore-safe.js';
import type { EtnaAuthEvent } from './machine/types.js';
import type { EtnaAuthOptions } from './options.js';
import { resolveOptions } from './options.js';
import { createJourneyServices } from './services/journey/index.js';
import { createLogout } from './services/logout.js';
import { createRequestToken } from './services/request-token.js';
import type { SessionKeeper, StoredSession } from './session/session-keeper.js';
import { createSessionKeeper } from './session/session-keeper.js';

/**
 * The login machine for one ETNA environment: its settings from the options, joined to the `/token` and
 * `/logout` services, the calls beside them (PIN set-up, password change and reset) and, with `persist`, to
 * the storage. Only I/O is provided; limits and lifetimes are the
 * machine's own settings (`context.settings`).
 * Throws `EtnaConfigurationError` for options that cannot work, before any login.
 * Swap the services in tests with `.provide({ actors: { requestToken: … } })`.
 * @example const actor = createActor(createEtnaAuthMachine({ baseUrl: 'https://broker.example/api/', appKey })).start();
 */
export function createEtnaAuthMachine(options: EtnaAuthOptions) {
  const config = resolveOptions(options);
  const machine = etnaAuthMachineWith({
    maxSteps: config.maxSteps,
    sessionLifetime: config.sessionLifetime,
    apiRoot: config.apiRoot,
    appKey: config.appKey,
    resendCooldown: config.resendCooldown,
    sessionWarning: config.sessionWarning,
    slidingSession: config.slidingSession,
  });
  const requestToken = createRequestToken(config);
  const journey = createJourneyServices(config);
  // Each call beside /token as a restore-safe actor: a restored snapshot lands in `error` until RETRY.
  const side = <TCall extends JourneyCall>(call: TCall) =>
    fromRequest<Awaited<ReturnType<JourneyService<TCall>>>, JourneyRequests[TCall]>(journey[call], () =>
      Promise.reject(INTERRUPTED_BY_RESTORE),
    );
  const journeyActors = Object.fromEntries(JOURNEY_CALL_NAMES.map((call) => [call, side(call)])) as {
    readonly [K in JourneyCall]: ReturnType<typeof side<K>>;
  };
  // Without server logout, the bare machine's logout actor stays: it ends at once, sending nothing.
  const logout = config.serverLogout ? createLogout(config) : undefined;
  const keeper = config.persist
    ? createSessionKeeper(config.persist, config.persistKey, config.sessionLifetime)
    : undefined;
  // The stored session for the context, when there is a valid one: at start, and on entering idle beside other tabs.
  const stored = () => (keeper ? heldSession(keeper.load(Date.now())) : {});
  return machine.provide({
    actors: {
      // A snapshot restored mid-request must not send the request again by itself.
      requestToken: fromRequest<TokenAnswer, TokenRequest>(requestToken, () =>
        Promise.reject(INTERRUPTED_BY_RESTORE),
      ),
      ...journeyActors,
      ...(logout && {
        logout: fromRequest<void, Secret>(logout, () => Promise.resolve()),
      }),
      ...(keeper && { sessionSync: sessionSync(keeper) }),
    },
    actions: {
      ...(keeper && {
        restoreSession: assign(stored),
        // Only a storage that tabs share can hold a session this tab did not store itself. Not when this tab's
        // session just ended for another tab's (perhaps another user's): that one waits for the user, in idle.
        ...(keeper.shared && {
          adoptStoredSession: assign(({ context }) => (context.reason === 'endedElsewhere' ? {} : stored())),
        }),
        persistSession: ({ context }) => {
          const { sessionToken, sessionExpiresAt, username } = context;
          if (sessionToken && sessionExpiresAt)
            keeper.save({ token: sessionToken, expiresAt: sessionExpiresAt, username });
        },
        // Another tab's newer session stays.
        forgetStoredSession: ({ context }) => keeper.clear(context.sessionToken),
      }),
    },
  });
}

/** A stored session as the machine's context holds it; nothing when there is none. */
function heldSession(session: StoredSession | undefined) {
  return session
    ? { sessionToken: session.token, sessionExpiresAt: session.expiresAt, username: session.username }
    : {};
}

/**
 * What other tabs do to the shared session, as events: whenever the storage says the session changed, it is
 * read from the storage (the tabs' message carries no token) and adopted, or ended when it is gone.
 */
function sessionSync(keeper: SessionKeeper) {
  return fromCallback(({ sendBack }) =>
    keeper.subscribe(() => {
      const session = keeper.load(Date.now());
      const event: EtnaAuthEvent = session
        ? {
            type: 'SESSION_ADOPTED',
            token: session.token,
            expiresAt: session.expiresAt,
            username: session.username,
          }
        : { type: 'SESSION_ENDED_ELSEWHERE' };
      sendBack(event);
    }),
  );
}
