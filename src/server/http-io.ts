import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  type BffErrorBody,
  type BffErrorKind,
  type BffLoginView,
  BFF_REFUSAL_HEADER as REFUSAL_HEADER,
} from '../contract/bff.js';

/** Headers on every answer: never cached, never sniffed, never framed. */
const BASE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
} as const;

/** The status each refusal is answered with. */
const STATUS: Readonly<Record<BffErrorKind, number>> = {
  notFound: 404,
  method: 405,
  csrf: 403,
  origin: 403,
  mediaType: 415,
  tooLarge: 413,
  badEvent: 400,
  notAccepted: 409,
  noSession: 401,
  sessionRenewed: 409,
  misdirected: 421,
  tooManyLogins: 503,
  pathNotAllowed: 403,
  redirect: 502,
  upstreamTimeout: 504,
  upstreamUnreachable: 502,
  upstreamTooLarge: 502,
  storeUnavailable: 503,
  bodyConsumed: 500,
};

/** A refusal the handler answers with `{ error: { kind, message } }` and the kind's status. */
export class BffRefusal extends Error {
  override readonly name = 'BffRefusal';
  readonly kind: BffErrorKind;
  readonly view: BffLoginView | undefined;
  readonly headers: OutgoingHttpHeaders;

  constructor(kind: BffErrorKind, message: string, view?: BffLoginView, headers: OutgoingHttpHeaders = {}) {
    super(message);
    this.kind = kind;
    this.view = view;
    this.headers = headers;
  }

  get status(): number {
    return STATUS[this.kind];
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendRefusal(
  res: ServerResponse,
  refusal: BffRefusal,
  headers: OutgoingHttpHeaders = {},
): void {
  const body: BffErrorBody = {
    error: { kind: refusal.kind, message: refusal.message },
    ...(refusal.view && { view: refusal.view }),
  };
  sendJson(res, refusal.status, body, { ...refusal.headers, ...headers, [REFUSAL_HEADER]: refusal.kind });
}

export { BASE_HEADERS };

/**
 * The request body, refusing more than `maxBytes` (413) without reading on. A body another middleware already
 * read is refused too (500), rather than taken as empty.
 */
export async function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) throw new BffRefusal('tooLarge', `the body is larger than ${maxBytes} bytes`);
  if (req.readableEnded && declared > 0) {
    throw new BffRefusal(
      'bodyConsumed',
      'another middleware read the body: mount the etna-auth handler before body parsers',
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      req.resume();
      throw new BffRefusal('tooLarge', `the body is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
