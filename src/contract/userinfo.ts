// A URL's user and password (its userinfo) are credentials: no message, error or shown text quotes them.

/** What stands where a user and password were. */
export const HIDDEN_USERINFO = '***';

/** `@`, and the small and fullwidth at signs that Unicode normalisation (and so a host parser) turns into one. */
const AT_SIGNS = ['@', '\uFE6B', '\uFF20'] as const;

/** The index of the last at sign in `text` from `from` up to (not including) `to`; -1 when none. */
function lastAtSign(text: string, from: number, to: number): number {
  let last = -1;
  if (to <= from) return last;
  for (const sign of AT_SIGNS) {
    const at = text.lastIndexOf(sign, to - 1);
    if (at >= from && at > last) last = at;
  }
  return last;
}

/** A scheme and its two slashes (or backslashes) at the start: kept, since it holds no credential. */
const LEADING_SCHEME = /^[a-z][a-z\d+.-]*:[/\\]{2}/i;

/**
 * A value typed as a URL (a base URL, an API root), safe to quote: everything before its last `@` is replaced
 * by `***`, the scheme and its `//` kept. Whatever the URL parser would make of it, even when it refuses it
 * (`https://alice:pw@`) or reads the user as a scheme (`alice:pw@broker.example`), no part of a user or a
 * password is left; a value without `@` is returned as is.
 * @example withoutUserinfo('https://alice:pw@broker.example/api/') // 'https://***@broker.example/api/'
 */
export function withoutUserinfo(url: string): string {
  const at = lastAtSign(url, 0, url.length);
  if (at < 0) return url;
  const scheme = LEADING_SCHEME.exec(url.trimStart())?.[0] ?? '';
  return `${scheme}${HIDDEN_USERINFO}${url.slice(at)}`;
}

/** Two slashes or backslashes: where an authority, and so a userinfo, may start. */
const AUTHORITY_START = /[/\\]{2}/g;
/** What ends an authority in text: a path, query or fragment, or a blank. */
const AUTHORITY_END = /[/\\?#\s]/g;

/**
 * Free text (an answer's `Errors`, a `Reason`) with the user and password of every URL in it replaced by
 * `***`: what lies between `//` and the last `@` before the authority ends. One pass, linear in the text.
 * @example userinfoHiddenIn('see https://broker.example@evil.example/') // 'see https://***@evil.example/'
 */
export function userinfoHiddenIn(text: string): string {
  let shown = '';
  let from = 0;
  AUTHORITY_START.lastIndex = 0;
  for (let start = AUTHORITY_START.exec(text); start; start = AUTHORITY_START.exec(text)) {
    const authority = AUTHORITY_START.lastIndex;
    AUTHORITY_END.lastIndex = authority;
    const end = AUTHORITY_END.exec(text)?.index ?? text.length;
    const at = lastAtSign(text, authority, end);
    if (at >= 0) {
      shown += `${text.slice(from, authority)}${HIDDEN_USERINFO}`;
      from = at;
    }
    // The next authority starts at the earliest where this one ended.
    AUTHORITY_START.lastIndex = Math.max(end, authority);
  }
  return shown + text.slice(from);
}
