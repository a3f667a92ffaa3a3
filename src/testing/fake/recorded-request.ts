// What the fake server keeps of each request for the tests to read: its secret headers and body stay `Secret`s,
// so a printed or serialized request log never shows them.
import type { IncomingMessage } from 'node:http';
import { REDACTED, Secret } from '../../contract/secret.js';

/**
 * One request as the server saw it. Secret header values and the body never print.
 * @example const { Pin } = (await server.waitForEnd(0)).json() as { Pin: number };
 */
export interface RecordedRequest {
  readonly method: string;
  /** URL path, e.g. '/api/token'. */
  readonly path: string;
  /** Header names lower-cased; values of password, pincode, verificationcode, authorization shown as '[redacted]'. */
  readonly headers: Readonly<Record<string, string>>;
  /** The real value of a header (any case of name), for tests that check what was sent. */
  header(name: string): string | undefined;
  /**
   * The parsed JSON body (Password, Pin, Token, Code, … included), or undefined when there was none or it was
   * not JSON. Read once the request has ended (see `waitForEnd`); a fresh copy at each call. The body itself
   * is held as a `Secret`: `JSON.stringify` and `util.inspect` of the request never show it.
   */
  json(): unknown;
  /** What the server did: an HTTP status, 'hang', or 'drop' (0 while nothing has been written yet). */
  readonly outcome: number | 'hang' | 'drop';
  /** True once the client closed the connection before an answer was written. */
  readonly aborted: boolean;
}

/** A request's body as read: its text (the first `BODY_LIMIT` bytes) and whether it went past that. */
export interface RequestBody {
  readonly text: string;
  readonly tooLarge: boolean;
}

const SECRET_HEADERS = new Set(['password', 'pincode', 'verificationcode', 'authorization']);
/** Bodies past this are not kept (the journey routes answer 400). */
const BODY_LIMIT = 1 << 20;

/** The server's side of a `RecordedRequest`: it fills in the body and the outcome. */
export class LoggedRequest implements RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  outcome: number | 'hang' | 'drop' = 0;
  aborted = false;
  readonly #realHeaders = new Map<string, Secret>();
  #body: Secret | undefined;

  constructor(req: IncomingMessage, path: string) {
    this.method = req.method ?? 'GET';
    this.path = path;
    const shown: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      const text = Array.isArray(value) ? value.join(', ') : value;
      shown[name] = SECRET_HEADERS.has(name) ? REDACTED : text;
      this.#realHeaders.set(name, new Secret(text));
    }
    this.headers = shown;
  }

  header(name: string): string | undefined {
    return this.#realHeaders.get(name.toLowerCase())?.reveal();
  }

  /** Keeps the body, once it has arrived (the server's side of `json()`). */
  keepBody(text: string): void {
    if (text !== '') this.#body = new Secret(text);
  }

  json(): unknown {
    if (this.#body === undefined) return undefined;
    try {
      return JSON.parse(this.#body.reveal());
    } catch {
      return undefined;
    }
  }
}

/** The whole body (its first `BODY_LIMIT` bytes); resolves too when the client goes away mid-body. */
export function readBody(req: IncomingMessage): Promise<RequestBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    const done = () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > BODY_LIMIT });
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
  });
}

/** A header's value, several values joined as Node joins them for the log. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
