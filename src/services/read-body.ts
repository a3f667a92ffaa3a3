import { ProtocolError } from './errors/protocol-error.js';

/** A `/token` answer is a few hundred bytes; anything far larger is not one. The default cap of `readBody`. */
export const MAX_BODY_BYTES = 64 * 1024;

/** One strict decoder for every answer: invalid UTF-8 is a protocol error, not replacement characters. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as text, refusing more than `maxBytes` (`MAX_BODY_BYTES` unless a call needs more, such as the
 * security images) and bytes that are not UTF-8. When `signal` aborts, a pending read fails at once, even from a
 * body that ignores the abort: the reader is let go (its pending read rejects) and the body cancelled, unawaited.
 */
export async function readBody(
  response: Response,
  signal: AbortSignal,
  maxBytes: number = MAX_BODY_BYTES,
): Promise<string> {
  const { body } = response;
  if (!body) return '';
  const reader = body.getReader();
  const release = () => {
    reader.releaseLock();
    body.cancel().catch(() => {});
  };
  if (signal.aborted) release();
  signal.addEventListener('abort', release, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
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
  } finally {
    signal.removeEventListener('abort', release);
  }
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
