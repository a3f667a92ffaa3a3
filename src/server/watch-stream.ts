import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { BffLoginView } from '../contract/bff.js';
import { BASE_HEADERS } from './http-io.js';
import type { Resident } from './resident.js';

/** How often the stream says it is alive (so proxies keep it) and the store is read again. */
const PING_MS = 20_000;
/** A stream ends after this and the browser opens another: load balancers see connections move. */
const MAX_STREAM_MS = 10 * 60_000;

/**
 * The views of a login as they change, as server-sent events: `event: view` with the view as JSON, and
 * `event: renew` when the browser must reconnect (its cookie changed, or the login moved): the adapter opens a
 * new stream at once. Without a resident (no login yet) the one view is sent and the stream only pings.
 */
export function streamViews(
  req: IncomingMessage,
  res: ServerResponse,
  first: BffLoginView,
  resident: Resident | undefined,
  headers: OutgoingHttpHeaders,
  requestId: string | undefined,
  awaitResident: (onResident: (resident: Resident) => void) => () => void,
): void {
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    connection: 'keep-alive',
    // Proxies such as nginx would otherwise hold the events back.
    'x-accel-buffering': 'no',
    ...headers,
  });
  let ended = false;
  const send = (event: string, data: string) => {
    if (!ended) res.write(`event: ${event}\ndata: ${data}\n\n`);
  };
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(ping);
    clearTimeout(limit);
    stop();
    res.end();
  };
  const renew = () => {
    send('renew', '{}');
    end();
  };
  let followed = resident;
  const follow = (next: Resident) => {
    followed = next;
    return next.watch((view) => {
      send('view', JSON.stringify(view));
      // The login gave this browser a new id: the stream's next request carries (or picks up) it.
      if (next.id !== requestId) renew();
    }, renew);
  };
  send('view', JSON.stringify(first));
  // Without a login yet, the stream waits for one (a tab of the same browser may start it) and follows it.
  let stop = resident
    ? follow(resident)
    : awaitResident((started) => {
        stop = follow(started);
        send('view', JSON.stringify(started.view()));
      });
  const ping = setInterval(() => {
    if (!ended) res.write(': ping\n\n');
    followed?.reread().catch(() => {});
  }, PING_MS);
  const limit = setTimeout(renew, MAX_STREAM_MS);
  ping.unref();
  limit.unref();
  req.on('close', end);
  res.on('close', end);
}
