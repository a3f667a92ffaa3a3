import type { KyInstance, Options } from 'ky';
import ky from 'ky';
import { selectToken } from '../machine/select-token.js';
import { apiRootOf, tokenUrlOf } from '../services/config.js';
import { EtnaConfigurationError } from '../services/errors/configuration-error.js';
import { endpointOf } from '../services/registry.js';
import { EtnaClientError } from './etna-client-error.js';

/** The part of a login actor the client uses: any actor of a machine from `createEtnaAuthMachine`. */
export interface EtnaSessionActor {
  getSnapshot(): { readonly value: unknown; readonly context: { readonly sessionToken?: unknown } };
  send(event: { readonly type: 'SESSION_REVOKED' }): void;
  readonly logic?: unknown;
}

/**
 * `ky` options for the client; `prefixUrl` is the API root. `baseUrl`, `appKey` and `fetch` default to
 * those the actor's machine was created with, and are required for a machine `createEtnaAuthMachine` did not make.
 */
export type EtnaClientOptions = Omit<Options, 'prefixUrl' | 'fetch'> & {
  readonly baseUrl?: string;
  readonly appKey?: string;
  readonly fetch?: typeof globalThis.fetch;
};

/**
 * A `ky` instance for the ETNA API that sends the actor's session token as `Authorization: Bearer …` and
 * `Et-App-Key` on every request. Without a session it sends nothing and rejects with an `EtnaClientError`
 * (`notLoggedIn`); a URL outside the API root is refused (`foreignUrl`) so the token never leaves for
 * another host. A 401 to the current token ends the session: the actor gets `SESSION_REVOKED`.
 *
 * The token is added to a copy of each request just before it leaves, so the `Request` objects that ky's
 * errors carry (and that logging an error prints) never hold it.
 */
export function createEtnaClient(actor: EtnaSessionActor, options: EtnaClientOptions = {}): KyInstance {
  const { baseUrl, appKey: appKeyOption, fetch: fetchOption, retry, ...kyOptions } = options;
  const known = endpointOf(actor.logic);
  const apiRoot = baseUrl !== undefined ? apiRootOf(tokenUrlOf(baseUrl)) : known?.apiRoot;
  const appKey = appKeyOption ?? known?.appKey;
  if (apiRoot === undefined) {
    throw new EtnaConfigurationError(
      'baseUrl',
      'is required for a machine not made by createEtnaAuthMachine',
    );
  }
  if (typeof appKey !== 'string' || appKey === '') {
    throw new EtnaConfigurationError('appKey', 'is required for a machine not made by createEtnaAuthMachine');
  }
  const send = fetchOption ?? known?.fetch ?? globalThis.fetch;

  const authorizedFetch: typeof globalThis.fetch = async (input, init) => {
    const token = selectToken(actor.getSnapshot());
    if (token === undefined) throw new EtnaClientError('notLoggedIn', 'no session: log in first');
    const request = new Request(input, init);
    if (!request.url.startsWith(apiRoot)) {
      throw new EtnaClientError('foreignUrl', `refused to send the session token outside ${apiRoot}`);
    }
    const headers = new Headers(request.headers);
    headers.set('Authorization', `Bearer ${token}`);
    headers.set('Et-App-Key', appKey);
    const response = await send(new Request(request, { headers }));
    // A late 401 to an earlier session's token must not end the current one.
    if (response.status === 401 && selectToken(actor.getSnapshot()) === token) {
      actor.send({ type: 'SESSION_REVOKED' });
    }
    return response;
  };

  const retryOptions = typeof retry === 'number' ? { limit: retry } : (retry ?? {});
  const userShouldRetry = retryOptions.shouldRetry;
  return ky.create({
    ...kyOptions,
    prefixUrl: apiRoot,
    fetch: authorizedFetch,
    retry: {
      ...retryOptions,
      // Refusals are final: retrying would only delay the same answer.
      shouldRetry: (state) => (state.error instanceof EtnaClientError ? false : userShouldRetry?.(state)),
    },
  });
}
