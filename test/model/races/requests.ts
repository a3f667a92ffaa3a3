// The requests of a race: each one the tab or the app sends is followed from its fetch to the fake server, where
// it is held until a task answers it, and back; which are in flight, and whether the world has settled.
import type { FakeEtnaServer, FakeFault, RecordedRequest } from '../../../src/testing/index.js';
import { HELD_ROUTES, type HeldRoute } from './menus.js';

/** The header that ties a request at the server to the fetch that sent it. */
const RACE_HEADER = 'x-race-request';

/** Where a request goes: a route whose answer a task gives, or the API (answered at once, as the app's task says). */
export type Route = HeldRoute | 'api';

/** A request someone sent, followed from fetch to the server and back. */
export interface Sent {
  readonly id: number;
  readonly from: 'machine' | 'app';
  /** The task during which it was sent. */
  readonly task: number;
  /** Date.now() when it was sent, and the session the tab held then. */
  readonly at: number;
  readonly held: { readonly token: string | undefined; readonly expiresAt: number | undefined };
  route?: Route;
  request?: RecordedRequest;
  aborted: boolean;
  settled: boolean;
  ended: boolean;
  released: boolean;
}

/** What a request is sent in: the task, the time, and the session the tab holds. */
export interface SendingContext {
  readonly task: number;
  readonly at: number;
  readonly held: Sent['held'];
}

export class RaceRequests {
  readonly sent: Sent[] = [];

  /** Every request the server gets is held at once, and `arrived` says what it answers, and when. */
  constructor(
    private readonly server: FakeEtnaServer,
    private readonly arrived: (sent: Sent, request: RecordedRequest) => Promise<FakeFault | undefined>,
  ) {
    for (const route of [...HELD_ROUTES, 'api' as const]) this.hold(route);
  }

  /** Keeps a hold queued at `route`: each request that arrives there waits for what `arrived` answers. */
  private hold(route: Route): void {
    const fault: FakeFault = {
      kind: 'hold',
      until: (request) => {
        this.hold(route);
        return this.arrival(route, request);
      },
    };
    if (route === 'token') this.server.inject(fault);
    else if (route === 'logout') this.server.injectLogout(fault);
    else if (route === 'api') this.server.injectApi(fault);
    else this.server.injectAt(route, fault);
  }

  private arrival(route: Route, request: RecordedRequest): Promise<FakeFault | undefined> {
    const sent = this.sent.find((candidate) => String(candidate.id) === request.header(RACE_HEADER));
    if (!sent)
      return Promise.reject(new Error(`a request to ${request.path} came from nowhere the race knows`));
    sent.route = route;
    sent.request = request;
    void this.server.waitForEnd(this.server.requests.indexOf(request)).then(() => {
      sent.ended = true;
    });
    return this.arrived(sent, request);
  }

  /** fetch, followed: each request carries its id, so that the server's record of it can be found. */
  tracked(from: Sent['from'], context: () => SendingContext): typeof fetch {
    return async (input, init) => {
      const request = new Request(input, init);
      const sent: Sent = {
        id: this.sent.length + 1,
        from,
        ...context(),
        aborted: request.signal.aborted,
        settled: false,
        ended: false,
        released: false,
      };
      this.sent.push(sent);
      request.signal.addEventListener('abort', () => {
        sent.aborted = true;
      });
      request.headers.set(RACE_HEADER, String(sent.id));
      try {
        return await fetch(request);
      } finally {
        sent.settled = true;
      }
    };
  }

  /** The tab's requests in flight: at the server, neither answered nor given up by the client. */
  live(): Sent[] {
    return this.sent.filter(
      (sent) => sent.from === 'machine' && sent.request && !sent.aborted && !sent.released,
    );
  }

  /**
   * Why the requests are not settled yet, if they are not: each at the server, each abort seen there, each answer
   * read; and the tab, `busy` or not, waits on exactly as many requests in flight.
   */
  unsettled(busy: boolean, state: string): string | undefined {
    for (const sent of this.sent) {
      if (!sent.request && !sent.settled) return `request ${sent.id} has not reached the server`;
      if (sent.aborted && sent.request && !sent.ended)
        return `the server has not seen the abort of request ${sent.id}`;
      if (sent.released && !sent.settled) return `the answer to request ${sent.id} has not arrived`;
    }
    const live = this.live();
    if (live.length > 1)
      return `${live.length} requests in flight at once (${live.map((sent) => sent.route).join(', ')})`;
    if (busy && live.length === 0) return `busy in ${state} with no request in flight (stuck busy)`;
    if (!busy && live.length === 1)
      return `${state} is not busy, yet its ${live[0]?.route} request is still in flight (not aborted)`;
    return undefined;
  }
}
