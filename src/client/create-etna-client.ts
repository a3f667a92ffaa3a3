import type { KyInstance, Options } from 'ky';
import ky from 'ky';
import { EtnaConfigurationError } from '../configuration-error.js';
import { withoutUserinfo } from '../contract/userinfo.js';
import { selectToken } from '../machine/select-token.js';
import { apiRootOf, tokenUrlOf } from '../options.js';
import { EtnaClientError } from './etna-client-error.js';

/**
 * The part of a login actor the client uses: any actor of the login machine, `.provide()`d or not.
 * @example const api = createEtnaClient(createActor(machine).start());
 */
export interface EtnaSessionActor {
  getSnapshot(): {
    readonly value: unknown;
    readonly status?: string;
    readonly context: {
      readonly sessionToken?: unknown;
      readonly sessionExpiresAt?: number | undefined;
      readonly settings?: {
        readonly apiRoot?: string | undefined;
        readonly appKey?: string | undefined;
        readonly slidingSession?: boolean | undefined;
      };
    };
  };
  send(event: { readonly type: 'SESSION_REVOKED' | 'SESSION_EXPIRED' | 'SESSION_ACTIVITY' }): void;
}

/** How many redirects under the API root are followed, as fetch does. */
const MAX_REDIRECTS = 20;

/** `accounts` is a path; `https:…` after the root is an absolute URL string that ky appended to it. */
const SCHEME = /^[a-z][a-z\d+.-]*:/i;

const isRedirect = (response: Response) =>
  response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);

/**
 * `ky` options for the client; `prefixUrl` is the API root. `baseUrl` and `appKey` default to the machine's
 * settings (`context.settings`, set by `createEtnaAuthMachine`), and are required for the bare machine.
 * `fetch` defaults to `globalThis.fetch`.
 * @example createEtnaClient(actor, { timeout: 15_000, hooks: { beforeRequest: [logRequest] } })
 */
export type EtnaClientOptions = Omit<Options, 'prefixUrl' | 'fetch'> & {
  readonly baseUrl?: string;
  readonly appKey?: string;
  readonly fetch?: typeof globalThis.fetch;
};

/**
 * A `ky` instance for the ETNA API that sends the actor's session token as `Authorization: Bearer …` and
 * `Et-App-Key` on every request. Without a session it sends nothing and rejects with an `EtnaClientError`
 * (`notLoggedIn`), and past the session's end it ends the session (`SESSION_EXPIRED`, for a timer that fired
 * late after a sleep) and sends nothing; a URL outside the API root is refused (`foreignUrl`) so the token never
 * leaves for another host. A 401 to the current token ends the session: the actor gets `SESSION_REVOKED`; with
 * `slidingSession`, a successful answer sends `SESSION_ACTIVITY`, which moves the end on.
 *
 * The token is added to a copy of each request just before it leaves, so the `Request` objects that ky's
 * errors carry (and that logging an error prints) never hold it.
 * @example const me = await createEtnaClient(actor).get('v1.0/users/@me/info').json();
 */
export function createEtnaClient(actor: EtnaSessionActor, options: EtnaClientOptions = {}): KyInstance {
  const { baseUrl, appKey: appKeyOption, fetch: fetchOption, retry, ...kyOptions } = options;
  // Read from the machine's own settings: any actor of it works, `.provide()`d or not.
  const settings = actor.getSnapshot().context.settings;
  const apiRoot = baseUrl !== undefined ? apiRootOf(tokenUrlOf(baseUrl)) : settings?.apiRoot;
  const appKey = appKeyOption ?? settings?.appKey;
  if (apiRoot === undefined) {
    throw new EtnaConfigurationError(
      'baseUrl',
      'is required for a machine without an API root in its settings',
    );
  }
  if (typeof appKey !== 'string' || appKey === '') {
    throw new EtnaConfigurationError(
      'appKey',
      'is required for a machine without an app key in its settings',
    );
  }
  const send = fetchOption ?? globalThis.fetch;
  // Settings never change while a machine runs: only a sliding session needs to hear of each successful call.
  const sliding = settings?.slidingSession === true;

  const running = () => actor.getSnapshot().status !== 'stopped';
  /** The token to send now: none without a session, and none past its end, whatever the actor's status. */
  const currentToken = (): string => {
    const snapshot = actor.getSnapshot();
    const token = selectToken(snapshot);
    if (token === undefined) throw new EtnaClientError('notLoggedIn', 'no session: log in first');
    const { sessionExpiresAt } = snapshot.context;
    if (sessionExpiresAt !== undefined && sessionExpiresAt <= Date.now()) {
      // A timer that fired late (sleep, a changed clock) has not ended it yet: end it now.
      if (running()) actor.send({ type: 'SESSION_EXPIRED' });
      throw new EtnaClientError('notLoggedIn', 'the session has ended: log in again');
    }
    return token;
  };
  const refuseOutsideRoot = (url: string) => {
    if (!url.startsWith(apiRoot) || SCHEME.test(url.slice(apiRoot.length))) {
      // The root is quoted, never the URL refused: a hostile Location may carry a user and password.
      throw new EtnaClientError(
        'foreignUrl',
        `refused to send the session token outside ${withoutUserinfo(apiRoot)}`,
      );
    }
  };
  /** The absolute URL a redirect points to; a Location that is no URL is refused without being quoted. */
  const targetOf = (location: string, base: string): string => {
    try {
      return new URL(location, base).href;
    } catch {
      // URL's own error keeps the Location it refused (its `input`), user and password included.
      throw new EtnaClientError(
        'redirect',
        'the API answered with a redirect to a Location that is not a URL',
      );
    }
  };

  // Redirects are followed here, one at a time, and only while they stay under the API root: fetch would
  // carry the token to any path of the origin (and drop it only across origins).
  const authorizedFetch: typeof globalThis.fetch = async (input, init) => {
    const first = new Request(input, init);
    refuseOutsideRoot(first.url);
    const mode = first.redirect;
    let url = first.url;
    let method = first.method;
    let body = first.body === null ? undefined : await first.arrayBuffer();
    const headers = new Headers(first.headers);
    for (let hop = 0; ; hop++) {
      const token = currentToken();
      headers.set('Authorization', `Bearer ${token}`);
      headers.set('Et-App-Key', appKey);
      const init: RequestInit = { method, headers, body, redirect: 'manual' };
      const response = await send(
        hop === 0
          ? new Request(first, init)
          : new Request(url, {
              ...init,
              signal: first.signal,
              credentials: first.credentials,
              cache: first.cache,
            }),
      );
      if (!isRedirect(response) || mode === 'manual') {
        // A late answer to an earlier session's token must not end (or extend) the current one.
        if (selectToken(actor.getSnapshot()) === token && running()) {
          if (response.status === 401) actor.send({ type: 'SESSION_REVOKED' });
          // With `slidingSession`, a successful call moves the session's end on.
          else if (response.ok && sliding) actor.send({ type: 'SESSION_ACTIVITY' });
        }
        return response;
      }
      void response.body?.cancel().catch(() => {});
      if (response.type === 'opaqueredirect') {
        throw new EtnaClientError('redirect', 'the API answered with a redirect whose target is hidden here');
      }
      if (mode === 'error') throw new EtnaClientError('redirect', 'the API answered with a redirect');
      const location = response.headers.get('Location');
      if (location === null) return response;
      if (hop + 1 >= MAX_REDIRECTS) throw new EtnaClientError('redirect', 'too many redirects');
      url = targetOf(location, url);
      refuseOutsideRoot(url);
      // As fetch does: 303 (and 301/302 after a POST) continue as a GET without a body.
      if (response.status === 303 ? method !== 'HEAD' : response.status <= 302 && method === 'POST') {
        method = 'GET';
        body = undefined;
        headers.delete('Content-Type');
        headers.delete('Content-Length');
      }
    }
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
