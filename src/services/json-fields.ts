import { headerValueProblem } from '../contract/header-value.js';

/** A parsed JSON object, read only. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** `value` when it is a JSON object (not an array, not null), else undefined. */
export function asJsonObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** The body parsed as a JSON object, or undefined when it is not JSON or not an object. */
export function parseJsonObject(body: string): JsonObject | undefined {
  try {
    return asJsonObject(JSON.parse(body));
  } catch {
    return undefined;
  }
}

/** A field by its ETNA name, or by the same name in another case (camelCase serializers). */
export function field(object: JsonObject, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

/** The longest token accepted from an answer. */
const MAX_TOKEN = 4096;

/** A token from an answer (`Token`, `ConfirmationToken`, a reset token) when one can go back in a header. */
export function usableToken(value: unknown): string | undefined {
  return typeof value === 'string' &&
    value.length <= MAX_TOKEN &&
    headerValueProblem('Token', value) === undefined
    ? value
    : undefined;
}
