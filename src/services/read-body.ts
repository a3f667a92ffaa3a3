import { ProtocolError } from './errors/protocol-error.js';

/** A `/token` answer is a few hundred bytes; anything far larger is not one. The default cap of `readBody`. */
export const MAX_BODY_BYTES = 64 * 1024;

/** One strict decoder for every answer: invalid UTF-8 is a protocol error, not replacement characters. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The deadline's hold on a request: what its abort ends at once, whatever the fetch or the body do with it. */
export interface Hold {
  readonly signal: AbortSignal;
  stop: () => void;
}

/**
 * The body as text, refusing more than `maxBytes` (`MAX_BODY_BYTES` unless a call needs more, such as the
 * security images) and bytes that are not UTF-8. When `hold.signal` aborts, a pending read fails at once, even
 * from a body that ignores the abort: the reader is let go (its pending read rejects) and the body cancelled,
 * unawaited.
 */
export async function readBody(
  response: Response,
  hold: Hold,
  maxBytes: number = MAX_BODY_BYTES,
): Promise<string> {
  const { body } = response;
  if (!body) return '';
  const reader = body.getReader();
  hold.stop = () => {
    reader.releaseLock();
    body.cancel().catch(() => {});
  };
  if (hold.signal.aborted) hold.stop();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Cancelled without waiting: a stream whose `cancel()` never settles must not hold the deadline.
      reader.cancel().catch(() => {});
      throw new ProtocolError(`the answer body is larger than ${maxBytes} bytes`, response.status);
    }
    chunks.push(value);
  }
  hold.stop = () => {};
  let bytes = chunks[0] ?? new Uint8Array(0);
  if (chunks.length > 1) {
    bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ProtocolError('the answer body is not valid UTF-8', response.status);
  }
}
