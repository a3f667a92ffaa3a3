import {
  BFF_CSRF_HEADER,
  BFF_CSRF_VALUE,
  BFF_REFUSAL_HEADER,
  BFF_ROUTES,
  BFF_USER_EVENTS,
  type BffErrorBody,
  type BffLoginView,
  type BffUserEventType,
  DEFAULT_BFF_PATH,
} from '../contract/bff.js';
import type { Secret } from '../contract/secret.js';
import { DEFAULT_MAX_STEPS, DEFAULT_RESEND_COOLDOWN_MS, DEFAULT_SESSION_LIFETIME_MS } from '../defaults.js';
import type { EtnaAuthEvent } from '../machine/types.js';
import { type EtnaRemoteSnapshot, snapshotOf } from './remote-snapshot.js';
import { serverSentEvents } from './view-stream.js';

/**
 * The events the browser sends: the chart's user events, with the same payloads.
 * @example const event: EtnaRemoteEvent = { type: 'SUBMIT_PIN', pin: '1234' }; actor.send(event);
 */
export type EtnaRemoteEvent = Extract<EtnaAuthEvent, { readonly type: BffUserEventType }>;

/**
 * Where the backend is, and how the page reaches it.
 * @example createEtnaRemoteActor({ url: '/etna-auth/' } satisfies EtnaRemoteActorOptions)
 */
export interface EtnaRemoteActorOptions {
  /**
   * Where the backend's handler answers (its `basePath`), relative to the page or absolute.
   * @default '/etna-auth/'
   */
  readonly url?: string;
  /** Replaces the global `fetch` (tests in Node: one that keeps cookies). @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
}

type Observer = { next?: (snapshot: EtnaRemoteSnapshot) => void };

/**
 * A login that runs on the backend, with the interface screens use on a local actor of the machine.
 * @example const actor: EtnaRemoteActor = createEtnaRemoteActor().start();
 */
export interface EtnaRemoteActor {
  getSnapshot(): EtnaRemoteSnapshot;
  subscribe(observer: ((snapshot: EtnaRemoteSnapshot) => void) | Observer): { unsubscribe(): void };
  /** Sends a user event to the backend; the snapshot changes when the backend's view does. */
  send(event: EtnaRemoteEvent): void;
  /** Reads the view and watches it change; returns the actor. */
  start(): EtnaRemoteActor;
  /** Stops watching; the login goes on at the backend (a reload takes it up again). */
  stop(): void;
  /** Reads the view again (after an API call's 401, say). */
  refresh(): Promise<void>;
  /** Resolves once the first view has arrived. */
  readonly ready: Promise<void>;
  /** The API proxy's root (`…/api/`): `createEtnaRemoteClient` sends calls below it. */
  readonly apiRoot: string;
  /** The fetch the adapter uses, with the CSRF header added: for API calls of your own below `apiRoot`. */
  readonly fetch: typeof globalThis.fetch;
}

/** The snapshot before the first view: the form's state, waiting (`busy`, `connecting`), offering nothing. */
const CONNECTING: BffLoginView = {
  login: '',
  seq: -1,
  value: 'idle',
  tags: ['busy', 'connecting'],
  can: Object.fromEntries(Object.keys(BFF_USER_EVENTS).map((type) => [type, false])) as BffLoginView['can'],
  context: {
    settings: {
      maxSteps: DEFAULT_MAX_STEPS,
      sessionLifetime: DEFAULT_SESSION_LIFETIME_MS,
      resendCooldown: DEFAULT_RESEND_COOLDOWN_MS,
      sessionWarning: 0,
      slidingSession: false,
    },
    username: undefined,
    step: undefined,
    reason: undefined,
    failure: undefined,
    error: undefined,
    sessionExpiresAt: undefined,
    personalPhrase: undefined,
    securityImage: undefined,
    securityImages: undefined,
    secretQuestion: undefined,
    serverErrors: undefined,
    codeResent: false,
    resendAvailableAt: undefined,
    retryAvailableAt: undefined,
  },
};

/** A field's value as the wire carries it: a `Secret` is revealed here, for the request to the backend only. */
const plain = (value: unknown) =>
  typeof (value as Secret | undefined)?.reveal === 'function' ? (value as Secret).reveal() : value;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The refusals after which nothing was done, so the same request goes again: how often, after how long (then longer). */
const RESENT: Readonly<Record<string, { readonly times: number; readonly afterMs: number }>> = {
  sessionRenewed: { times: 5, afterMs: 200 },
  misdirected: { times: 5, afterMs: 1_500 },
  storeUnavailable: { times: 2, afterMs: 500 },
};

/**
 * The browser's side of `etna-auth/server`: a login actor whose chart runs on the backend. Its snapshot has
 * `value`, `matches`, `hasTag`, `can`, `context` and `status` as a local actor's; it follows the backend's views
 * (server-sent events over fetch). It holds no token, no interim token and no app key: none ever reaches the page.
 * @example
 * const actor = createEtnaRemoteActor().start();
 * actor.subscribe((snapshot) => render(snapshot));
 * actor.send({ type: 'SUBMIT_CREDENTIALS', username, password: new Secret(password) });
 */
export function createEtnaRemoteActor(options: EtnaRemoteActorOptions = {}): EtnaRemoteActor {
  const url = options.url ?? DEFAULT_BFF_PATH;
  const base = url.endsWith('/') ? url : `${url}/`;
  const baseFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  /**
   * Every request to the backend: the CSRF header added, and sent again a moment later (a few times) when the
   * backend refused it before doing anything: the cookie was just renewed by a login whose answer (with the new
   * cookie) is still on its way, a process is still handing a login over (it died), or the session store is away.
   */
  const send: typeof globalThis.fetch = async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set(BFF_CSRF_HEADER, BFF_CSRF_VALUE);
    for (let attempt = 0; ; attempt++) {
      const sent = input instanceof Request ? input.clone() : input;
      const response = await baseFetch(sent, { credentials: 'same-origin', ...init, headers });
      const again = RESENT[response.headers.get(BFF_REFUSAL_HEADER) ?? ''];
      if (again === undefined || attempt >= again.times) return response;
      await response.body?.cancel().catch(() => {});
      await sleep(again.afterMs * (attempt + 1));
    }
  };
  const observers = new Set<Observer>();
  let view = CONNECTING;
  let status: 'active' | 'stopped' = 'active';
  let offline = false;
  /** Events on their way: the snapshot is `busy` meanwhile, as the chart is once it has them. */
  let sending = 0;
  let refusal: BffLoginView['context']['error'];
  let snapshot = snapshotOf(view, status);
  let stream: AbortController | undefined;
  let streamLogin: string | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const publish = () => {
    const tags = [...(offline ? ['offline'] : []), ...(sending > 0 ? ['busy', 'sending'] : [])];
    const shown = refusal ? { ...view, context: { ...view.context, error: refusal } } : view;
    snapshot = snapshotOf(shown, status, tags);
    for (const observer of observers) observer.next?.(snapshot);
  };
  /** Takes a view unless an older one of the same login; a new login gets a new stream. */
  const apply = (next: BffLoginView) => {
    if (next.login === view.login && next.seq <= view.seq) return;
    view = next;
    refusal = undefined;
    markReady();
    publish();
    if (status === 'active' && streamLogin !== undefined && next.login !== streamLogin) watch();
  };

  /** Watches the views; reconnects after a `renew`, a dropped stream, or the backend away (then `offline`). */
  const watch = () => {
    stream?.abort();
    const controller = new AbortController();
    stream = controller;
    streamLogin = view.login;
    void (async () => {
      for (let failures = 0; !controller.signal.aborted; ) {
        try {
          const response = await send(`${base}${BFF_ROUTES.watch}`, {
            headers: { accept: 'text/event-stream' },
            signal: controller.signal,
          });
          if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
          if (offline) {
            offline = false;
            publish();
          }
          failures = 0;
          for await (const { event, data } of serverSentEvents(response.body)) {
            if (controller.signal.aborted) return;
            if (event === 'renew') break;
            if (event === 'view') {
              const next = JSON.parse(data) as BffLoginView;
              streamLogin = next.login;
              apply(next);
            }
          }
        } catch {
          if (controller.signal.aborted) return;
          failures++;
          if (failures > 1 && !offline) {
            offline = true;
            publish();
          }
          await sleep(Math.min(250 * 2 ** failures, 5_000));
        }
      }
    })();
  };

  const refresh = async () => {
    const response = await send(`${base}${BFF_ROUTES.view}`);
    if (response.ok) apply((await response.json()) as BffLoginView);
  };

  const post = async (event: EtnaRemoteEvent) => {
    const body = JSON.stringify(
      Object.fromEntries(Object.entries(event).map(([key, value]) => [key, plain(value)])),
    );
    let response: Response;
    try {
      response = await send(`${base}${BFF_ROUTES.events}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    } catch {
      refusal = { kind: 'network', message: 'the login service could not be reached: try again' };
      publish();
      return;
    }
    const answer = (await response.json().catch(() => undefined)) as
      | (BffLoginView & Partial<BffErrorBody>)
      | undefined;
    if (response.ok && answer) {
      apply(answer);
      return;
    }
    // An event the state does not take is ignored, as the chart ignores it; the view it met is taken.
    if (answer?.error?.kind === 'notAccepted') {
      if (answer.view) apply(answer.view);
      return;
    }
    refusal = {
      kind: 'http',
      status: response.status,
      message: answer?.error?.message ?? `the login service answered with HTTP ${response.status}`,
    };
    publish();
  };

  const actor: EtnaRemoteActor = {
    getSnapshot: () => snapshot,
    subscribe(observer) {
      const entry: Observer = typeof observer === 'function' ? { next: observer } : observer;
      observers.add(entry);
      return { unsubscribe: () => observers.delete(entry) };
    },
    send(event) {
      if (status === 'stopped') return;
      sending++;
      publish();
      void post(event).finally(() => {
        sending--;
        publish();
      });
    },
    start() {
      status = 'active';
      publish();
      watch();
      return actor;
    },
    stop() {
      status = 'stopped';
      stream?.abort();
      stream = undefined;
      publish();
    },
    refresh: () => refresh().catch(() => {}),
    ready,
    apiRoot: `${base}${BFF_ROUTES.api}`,
    fetch: send,
  };
  return actor;
}
