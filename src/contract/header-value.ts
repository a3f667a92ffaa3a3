const TAB = 0x09;
const DELETE = 0x7f;
const LATIN1_MAX = 0xff;

/**
 * Why `value` cannot be sent as the HTTP header that carries `field`, or undefined when it can.
 * The message names the field and never repeats the value.
 */
export function headerValueProblem(field: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return `${field} is required`;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    // fetch refuses these outright, and a proxy could split the request on CR/LF.
    if ((code < 0x20 && code !== TAB) || code === DELETE) {
      return `${field} contains a line break or control character, which cannot travel in an HTTP header`;
    }
    if (code > LATIN1_MAX) {
      return `${field} contains a character outside Latin-1, which cannot travel in an HTTP header`;
    }
  }
  // fetch trims header values, so the server would see a different value than the user typed.
  if (/^[ \t]|[ \t]$/.test(value))
    return `${field} starts or ends with a space or tab, which HTTP headers drop`;
  return undefined;
}
