import { assign, fromPromise } from 'xstate';
import type { Secret } from './contract/secret.js';
import type { TokenAnswer, TokenRequest } from './contract/token-request.js';
import { etnaAuthMachine } from './machine/etna-auth-machine.js';
import { INTERRUPTED_BY_RESTORE, isRestoredInput, restoreSafe } from './machine/restore-safe.js';
import type { EtnaAuthOptions } from './services/config.js';
import { resolveConfig } from './services/config.js';
import { createLogout } from './services/logout.js';
import { registerEndpoint } from './services/registry.js';
import { createRequestToken } from './services/request-token.js';
import { createSessionKeeper } from './session/session-keeper.js';

/**
 * The login machine joined to the `/token` service for one ETNA environment.
 * Throws `EtnaConfigurationError` for options that cannot work, before any login.
 * Swap the service in tests with `.provide({ actors: { requestToken: … } })`.
 */
export function createEtnaAuthMachine(options: EtnaAuthOptions) {
  const config = resolveConfig(options);
  const requestToken = createRequestToken(config);
  // Without server logout, the bare machine's logout actor stays: it ends at once, sending nothing.
  const logout = config.serverLogout ? createLogout(config) : undefined;
  const keeper = config.persist
    ? createSessionKeeper(config.persist, config.persistKey, config.sessionLifetime)
    : undefined;
  const machine = etnaAuthMachine.provide({
    actors: {
      // A snapshot restored mid-request must not send the request again by itself.
      requestToken: restoreSafe(
        fromPromise<TokenAnswer, TokenRequest>(async ({ input, signal }) => {
          if (isRestoredInput(input)) throw INTERRUPTED_BY_RESTORE;
          return requestToken(input, signal);
        }),
      ),
      ...(logout && {
        logout: restoreSafe(
          fromPromise<void, Secret | undefined>(async ({ input, signal }) => {
            if (isRestoredInput(input)) return;
            return logout(input, signal);
          }),
        ),
      }),
    },
    guards: {
      tooManySteps: ({ context }) => context.stepCount >= config.maxSteps,
    },
    actions: {
      stampSession: assign({ sessionExpiresAt: () => Date.now() + config.sessionLifetime }),
      ...(keeper && {
        restoreSession: assign(() => {
          const session = keeper.load(Date.now());
          return session ? { sessionToken: session.token, sessionExpiresAt: session.expiresAt } : {};
        }),
        persistSession: ({ context }) => {
          const { sessionToken, sessionExpiresAt } = context;
          if (sessionToken && sessionExpiresAt)
            keeper.save({ token: sessionToken, expiresAt: sessionExpiresAt });
        },
        forgetStoredSession: () => keeper.clear(),
      }),
    },
  });
  registerEndpoint(machine, { apiRoot: config.apiRoot, appKey: config.appKey, fetch: config.fetch });
  return machine;
}
