const TAB = 0x09;
const DELETE = 0x7f;
const LATIN1_MAX = 0xff;

/** Why a value cannot travel in an HTTP header, as a code an app's words can be chosen by. */
export type HeaderValueProblemCode = 'required' | 'controlCharacter' | 'notLatin1' | 'surroundingSpace';

/** Why `value` cannot be sent as the HTTP header that carries `field`: a code, or undefined when it can. */
export function headerValueCode(value: unknown): HeaderValueProblemCode | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'required';
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    // fetch refuses these outright, and a proxy could split the request on CR/LF.
    if ((code < 0x20 && code !== TAB) || code === DELETE) return 'controlCharacter';
    if (code > LATIN1_MAX) return 'notLatin1';
  }
  // fetch trims header values, so the server would see a different value than the user typed.
  if (/^[ \t]|[ \t]$/.test(value)) return 'surroundingSpace';
  return undefined;
}

const HEADER_PROBLEMS: Readonly<Record<HeaderValueProblemCode, string>> = {
  required: 'is required',
  controlCharacter: 'contains a line break or control character, which cannot travel in an HTTP header',
  notLatin1: 'contains a character outside Latin-1, which cannot travel in an HTTP header',
  surroundingSpace: 'starts or ends with a space or tab, which HTTP headers drop',
};

/**
 * Why `value` cannot be sent as the HTTP header that carries `field`, or undefined when it can.
 * The message names the field and never repeats the value.
 */
export function headerValueProblem(field: string, value: unknown): string | undefined {
  const code = headerValueCode(value);
  return code === undefined ? undefined : `${field} ${HEADER_PROBLEMS[code]}`;
}
