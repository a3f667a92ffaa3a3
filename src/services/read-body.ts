import { ProtocolError } from './errors/protocol-error.js';

/** A `/token` answer is a few hundred bytes; anything far larger is not one. The default cap of `readBody`. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The body as text, refusing more than `maxBytes` (`MAX_BODY_BYTES` unless a call needs more, such as the
 * security images) and bytes that are not UTF-8.
 * Rejects as soon as `aborted` does, even if the body stream itself ignores the abort.
 */
export async function readBody(
  response: Response,
  aborted: Promise<never>,
  maxBytes: number = MAX_BODY_BYTES,
): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await Promise.race([reader.read(), aborted]).catch((error: unknown) => {
      release(reader);
      throw error;
    });
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      release(reader);
      throw new ProtocolError(`the answer body is larger than ${maxBytes} bytes`, response.status);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ProtocolError('the answer body is not valid UTF-8', response.status);
  }
}

/** Cancels the body without waiting: a stream whose `cancel()` never settles must not hold the deadline. */
function release(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  reader.cancel().catch(() => {});
}

/** One strict decoder for every answer: invalid UTF-8 is a protocol error, not replacement characters. */
const utf8 = new TextDecoder('utf-8', { fatal: true });
