import type { KyInstance, Options } from 'ky';
import ky from 'ky';
import type { EtnaRemoteActor } from './create-etna-remote-actor.js';

/**
 * `ky` options for the remote client; `prefixUrl` is the backend's API proxy and `fetch` the adapter's.
 * @example createEtnaRemoteClient(actor, { retry: 0 } satisfies EtnaRemoteClientOptions)
 */
export type EtnaRemoteClientOptions = Omit<Options, 'prefixUrl' | 'fetch' | 'credentials'>;

/**
 * A `ky` instance for the ETNA API through the backend's proxy, as `createEtnaClient` is for a local actor: the
 * same paths (`client.get('v1.0/users/@me/info')`), the cookie and the CSRF header sent, the token and the app key
 * added by the backend. No retry by default; a 401 (the session ended at ETNA, and so at the backend) reads the
 * login's view again, so the screens show why.
 * @example const api = createEtnaRemoteClient(actor); await api.get('v1.0/users/@me/info').json();
 */
export function createEtnaRemoteClient(
  actor: EtnaRemoteActor,
  options: EtnaRemoteClientOptions = {},
): KyInstance {
  const { hooks, retry, ...kyOptions } = options;
  return ky.create({
    retry: retry ?? 0,
    ...kyOptions,
    prefixUrl: actor.apiRoot,
    credentials: 'same-origin',
    fetch: actor.fetch,
    hooks: {
      ...hooks,
      afterResponse: [
        async (_request, _options, response) => {
          if (response.status === 401) await actor.refresh();
        },
        ...(hooks?.afterResponse ?? []),
      ],
    },
  });
}
