// The misbehaviours a test scripts for the fake server, queued per route and played before the route's rules.
import { JOURNEY_CALL_NAMES, type JourneyCall } from '../../contract/calls.js';
import { type Exchange, JSON_TYPE } from './http-server.js';
import type { RecordedRequest } from './recorded-request.js';

/**
 * One scripted misbehaviour, consumed by the next `POST /token` (or `POST /logout`, see `injectLogout`, a
 * request to an API route, see `injectApi`, or to a journey route, see `injectAt`).
 * @example server.inject({ kind: 'delay', ms: 200 }, { kind: 'rateLimited', retryAfter: '1' });
 */
export type FakeFault =
  /** Wait, then answer normally by the protocol. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Never answer; the request ends only when the client aborts or the server closes. */
  | { readonly kind: 'hang' }
  /**
   * Hold the request until the promise `until(request)` returns settles (called once the request has arrived),
   * then play the fault it gives, or answer by the protocol for undefined: a test decides when, and what, the
   * server answers. A rejection answers 500.
   */
  | {
      readonly kind: 'hold';
      readonly until: (request: RecordedRequest) => PromiseLike<FakeFault | undefined>;
    }
  /** 500 with an HTML body, like a proxy in front of the platform. */
  | { readonly kind: 'serverError' }
  /** 429 with `Retry-After` (default '2') and a text/plain body. */
  | { readonly kind: 'rateLimited'; readonly retryAfter?: string }
  /** A truncated JSON body (status default 200). */
  | { readonly kind: 'malformedJson'; readonly status?: number }
  /** Destroy the socket without any answer. */
  | { readonly kind: 'drop' }
  /** Any answer: object bodies are sent as JSON, string bodies verbatim. */
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly body: string | object;
      readonly headers?: Readonly<Record<string, string>>;
    };

/** One server's fault queues: `/token`, `/logout`, the API routes, and one per call beside `/token`. */
export class FaultQueues {
  readonly token: FakeFault[] = [];
  readonly logout: FakeFault[] = [];
  readonly api: FakeFault[] = [];
  readonly journey = Object.fromEntries(
    JOURNEY_CALL_NAMES.map((name) => [name, [] as FakeFault[]]),
  ) as Readonly<Record<JourneyCall, FakeFault[]>>;

  /** Empties every queue, so a test that stopped early leaves none behind. */
  clear(): void {
    for (const queue of [this.token, this.logout, this.api, ...Object.values(this.journey)]) queue.length = 0;
  }
}

/** Plays a fault; resolves true when the request is dealt with, false to continue with the route's rules. */
export async function playFault(fault: FakeFault, exchange: Exchange): Promise<boolean> {
  const { record } = exchange;
  switch (fault.kind) {
    case 'delay':
      await exchange.delay(fault.ms);
      return false;
    case 'hang':
      record.outcome = 'hang';
      return true;
    case 'hold': {
      const next = await fault.until(record);
      return next !== undefined && playFault(next, exchange);
    }
    case 'drop':
      record.outcome = 'drop';
      exchange.req.socket.destroy();
      return true;
    case 'serverError':
      exchange.reply(500, '<html><body><h1>500 Internal Server Error</h1></body></html>', {
        'content-type': 'text/html; charset=utf-8',
      });
      return true;
    case 'rateLimited':
      exchange.reply(429, 'Too Many Requests', {
        'content-type': 'text/plain; charset=utf-8',
        'retry-after': fault.retryAfter ?? '2',
      });
      return true;
    case 'malformedJson':
      exchange.reply(fault.status ?? 200, '{"State":"Succ', { 'content-type': JSON_TYPE });
      return true;
    case 'respond': {
      const headers = fault.headers ?? {};
      if (typeof fault.body === 'string') {
        exchange.reply(fault.status, fault.body, headers);
        return true;
      }
      const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
      exchange.reply(fault.status, JSON.stringify(fault.body), {
        ...(hasType ? {} : { 'content-type': JSON_TYPE }),
        ...headers,
      });
      return true;
    }
  }
}
