import type { IncomingMessage } from 'node:http';
import { BFF_CSRF_HEADER, BFF_CSRF_VALUE } from '../contract/bff.js';
import { BffRefusal } from './http-io.js';

/**
 * Refuses a request that a page of another origin could have sent: it must carry the custom header (which no
 * other origin can add without a CORS preflight, never granted here) and, when it changes state (any method but
 * GET and HEAD, which browsers send without `Origin` on the same origin), an `Origin` from the allowed list.
 * An `Origin` of another site, or `Sec-Fetch-Site: cross-site` where a browser sends it, is refused on any method.
 */
export function guardStateChange(req: IncomingMessage, allowedOrigins: ReadonlySet<string>): void {
  const reads = req.method === 'GET' || req.method === 'HEAD';
  if (req.headers[BFF_CSRF_HEADER] !== BFF_CSRF_VALUE) {
    throw new BffRefusal(
      'csrf',
      `a state-changing request needs the header ${BFF_CSRF_HEADER}: ${BFF_CSRF_VALUE} (the etna-auth adapter sends it)`,
    );
  }
  const origin = req.headers.origin;
  if (reads && origin === undefined && req.headers['sec-fetch-site'] !== 'cross-site') return;
  if (typeof origin !== 'string' || origin === '') {
    throw new BffRefusal('origin', 'a state-changing request needs an Origin header');
  }
  if (!allowedOrigins.has(origin) || req.headers['sec-fetch-site'] === 'cross-site') {
    throw new BffRefusal('origin', 'requests from this origin are not allowed');
  }
}
