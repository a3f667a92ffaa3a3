import { fromPromise } from 'xstate';
import type { TokenAnswer, TokenRequest } from './contract/token-request.js';
import { etnaAuthMachine } from './machine/etna-auth-machine.js';
import type { EtnaAuthOptions } from './services/config.js';
import { resolveConfig } from './services/config.js';
import { createRequestToken } from './services/request-token.js';

/**
 * The login machine joined to the `/token` service for one ETNA environment.
 * Throws `EtnaConfigurationError` for options that cannot work, before any login.
 * Swap the service in tests with `.provide({ actors: { requestToken: … } })`.
 */
export function createEtnaAuthMachine(options: EtnaAuthOptions) {
  const config = resolveConfig(options);
  const requestToken = createRequestToken(config);
  return etnaAuthMachine.provide({
    actors: {
      requestToken: fromPromise<TokenAnswer, TokenRequest>(({ input, signal }) =>
        requestToken(input, signal),
      ),
    },
    guards: {
      tooManySteps: ({ context }) => context.stepCount >= config.maxSteps,
    },
  });
}
