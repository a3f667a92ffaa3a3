/**
 * Why no usable answer came back (`error` state), or why a value was refused before sending (`input`).
 * @example if (snapshot.context.error?.kind === 'rateLimited') showCountdown(snapshot.context.retryAvailableAt);
 */
export type EtnaAuthErrorKind =
  | 'input'
  | 'network'
  | 'timeout'
  | 'http'
  | 'protocol'
  | 'appKey'
  | 'rateLimited';

/**
 * The error the UI reads from `context.error`: plain data, safe to show and to serialize.
 * @example const { kind, message, status }: EtnaAuthErrorData = snapshot.context.error!;
 */
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
  /** For `input`: why, as a code a catalog of words is keyed by (see `InputProblemCode`). */
  readonly problem?: InputProblemCode;
  /** For `input` with `tooLong` or `tooShort`: the longest or shortest length allowed. */
  readonly limit?: number;
}

/**
 * Why a typed value was refused before sending: `required` (empty), `tooLong` / `tooShort` (past `limit`
 * characters or digits), `controlCharacter` (a line break or control character), `notLatin1` (a character no
 * HTTP header can carry), `surroundingSpace` (a space or tab at either end, which headers drop), `notDigits`,
 * `leadingZero` (a new PIN the server would read as a smaller number), `mismatch` (a confirmation that differs),
 * `notOffered` (a security image that was not offered), `otherUser` (a login again by someone else).
 * @example if (error.problem === 'tooLong') hint = `At most ${error.limit} characters.`;
 */
export type InputProblemCode =
  | 'required'
  | 'tooLong'
  | 'tooShort'
  | 'controlCharacter'
  | 'notLatin1'
  | 'surroundingSpace'
  | 'notDigits'
  | 'leadingZero'
  | 'mismatch'
  | 'notOffered'
  | 'otherUser';

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
    problem?: InputProblemCode;
    limit?: number;
  } = { kind: error.kind, message: error.message };
  if (error.status !== undefined) data.status = error.status;
  if (error.retryAfterMs !== undefined) data.retryAfterMs = error.retryAfterMs;
  if (error.field !== undefined) data.field = error.field;
  if (error.problem !== undefined) data.problem = error.problem;
  if (error.limit !== undefined) data.limit = error.limit;
  return data;
}
