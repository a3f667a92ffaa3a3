import { ProtocolError } from './errors/protocol-error.js';

/** A `/token` answer is a few hundred bytes; anything far larger is not one. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The body as text, refusing more than `MAX_BODY_BYTES` and bytes that are not UTF-8.
 * Rejects as soon as `aborted` does, even if the body stream itself ignores the abort.
 */
export async function readBody(response: Response, aborted: Promise<never>): Promise<string> {
  const declared = response.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) <= MAX_BODY_BYTES) {
    // The usual case: a small body of known length, read in one go.
    const whole = response.arrayBuffer();
    whole.catch(() => {});
    return decode(new Uint8Array(await Promise.race([whole, aborted])), response.status);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await Promise.race([reader.read(), aborted]).catch(async (error: unknown) => {
      await reader.cancel().catch(() => {});
      throw error;
    });
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge(response.status);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decode(bytes, response.status);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array, status: number): string {
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge(status);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ProtocolError('the answer body is not valid UTF-8', status);
  }
}

function tooLarge(status: number): ProtocolError {
  return new ProtocolError(`the answer body is larger than ${MAX_BODY_BYTES} bytes`, status);
}
