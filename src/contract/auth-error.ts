/** Why no usable answer came back (`error` state), or why a value was refused before sending (`input`). */
export type EtnaAuthErrorKind =
  | 'input'
  | 'network'
  | 'timeout'
  | 'http'
  | 'protocol'
  | 'appKey'
  | 'rateLimited';

/** The error the UI reads from `context.error`: plain data, safe to show and to serialize. */
export interface EtnaAuthErrorData {
  readonly kind: EtnaAuthErrorKind;
  /** A sentence for people; it never contains a secret. */
  readonly message: string;
  /** The HTTP status, when an answer came. */
  readonly status?: number;
  /** From `Retry-After` on a 429, in milliseconds. */
  readonly retryAfterMs?: number;
  /** For `input`: the event field that was refused (`username`, `password`, `pin`, `code`). */
  readonly field?: string;
}

/** Every kind of error, in the order the docs list them. */
export const ERROR_KINDS: readonly EtnaAuthErrorKind[] = [
  'input',
  'network',
  'timeout',
  'http',
  'protocol',
  'appKey',
  'rateLimited',
];

const KINDS: ReadonlySet<string> = new Set(ERROR_KINDS);

/** A structural check (no `instanceof`, so it works across realms and bundles). */
export function isEtnaAuthErrorData(value: unknown): value is EtnaAuthErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, message } = value as { kind?: unknown; message?: unknown };
  return typeof kind === 'string' && KINDS.has(kind) && typeof message === 'string';
}

/** The plain-data copy kept in context: an Error instance would carry a stack into snapshots. */
export function toErrorData(error: EtnaAuthErrorData): EtnaAuthErrorData {
  const data: {
    kind: EtnaAuthErrorKind;
    message: string;
    status?: number;
    retryAfterMs?: number;
    field?: string;
  } = { kind: error.kind, message: error.message };
  if (error.status !== undefined) data.status = error.status;
  if (error.retryAfterMs !== undefined) data.retryAfterMs = error.retryAfterMs;
  if (error.field !== undefined) data.field = error.field;
  return data;
}
