import { enqueueActions } from 'xstate';
import { JOURNEY_CALL_NAMES, type JourneyCall, type JourneyRequests } from './contract/calls.js';
import type { JourneyService } from './contract/journey.js';
import type { Secret } from './contract/secret.js';
import type { EtnaSessionEndReason } from './contract/session.js';
import type { TokenAnswer, TokenRequest } from './contract/token-request.js';
import { etnaAuthMachineWith } from './machine/etna-auth-machine.js';
import { fromRequest, INTERRUPTED_BY_RESTORE } from './machine/restore-safe.js';
import type { EtnaAuthOptions } from './options.js';
import { resolveOptions } from './options.js';
import { createJourneyServices } from './services/journey/index.js';
import { createLogout } from './services/logout.js';
import { createRequestToken } from './services/request-token.js';
import { adoptWhenRead, persistenceActors, storedContext } from './session/persistence.js';
import { createSessionKeeper } from './session/session-keeper.js';

/** `context.reason` in idle after a session of this tab ended. */
const SESSION_ENDS: ReadonlySet<string> = new Set<EtnaSessionEndReason>([
  'expired',
  'revoked',
  'loggedOut',
  'endedElsewhere',
]);

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
  const keeper = config.persist
    ? createSessionKeeper(config.persist, config.persistKey, config.sessionLifetime)
    : undefined;
  const machine = etnaAuthMachineWith(
    {
      maxSteps: config.maxSteps,
      sessionLifetime: config.sessionLifetime,
      apiRoot: config.apiRoot,
      appKey: config.appKey,
      resendCooldown: config.resendCooldown,
      sessionWarning: config.sessionWarning,
      slidingSession: config.slidingSession,
    },
    keeper?.async === true,
  );
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
      ...(keeper && persistenceActors(keeper)),
    },
    actions: {
      ...(keeper && {
        restoreSession: enqueueActions(({ enqueue }) => {
          // A storage that answers later is read in `restoring`; one that answers at once, here.
          enqueue.assign(keeper.async ? { restorePending: true } : storedContext(keeper));
          // What the other tabs do to the session, for as long as the actor runs.
          if (keeper.shared) enqueue.spawnChild('sessionSync', { id: 'sessionSync' });
        }),
        // Only a storage that tabs share can hold a session this tab did not store itself. Not right after this
        // tab's own session ended (it expired, was revoked, logged out, or ended for another tab's, perhaps another
        // user's): a stored session then waits for the user in idle, and the screen never goes from one user to
        // another in one step. Taken later, by another tab's next write (SESSION_ADOPTED in idle).
        ...(keeper.shared && {
          adoptStoredSession: enqueueActions(({ context, self, enqueue }) => {
            if (SESSION_ENDS.has(context.reason ?? '') || context.restorePending) return;
            if (keeper.async) adoptWhenRead(keeper, self);
            else enqueue.assign(storedContext(keeper));
          }),
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
