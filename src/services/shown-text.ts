import { REDACTED } from '../contract/secret.js';
import { userinfoHiddenIn } from '../contract/userinfo.js';

/** Server text shown to users (a Step, a Reason, an `Errors` entry, a secret question) is cut to this length. */
export const MAX_SHOWN_TEXT = 200;

/** Text that does not print: C0 and C1 controls, DEL, line and paragraph separators, and bidi overrides. */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

/**
 * Server text made safe to show: cut short, any secret of the request it echoes replaced, and the user and
 * password of any URL in it hidden (`https://broker.example@evil.example/` shows as `https://***@evil.example/`).
 */
export function shown(value: string, secrets: readonly string[]): string {
  let text = value;
  for (const secret of secrets) {
    if (secret.length >= 3) text = text.replaceAll(secret, REDACTED);
  }
  text = userinfoHiddenIn(text);
  return text.length > MAX_SHOWN_TEXT ? `${text.slice(0, MAX_SHOWN_TEXT)}…` : text;
}

/**
 * Like {@link shown}, with the characters that do not print removed first (so a secret split by one is still
 * found) and the ends trimmed.
 */
export function shownPrintable(value: string, secrets: readonly string[] = []): string {
  return shown(value.replace(UNPRINTABLE, '').trim(), secrets);
}

/** True when `value` holds a character that does not print (see {@link shownPrintable}). */
export function hasUnprintable(value: string): boolean {
  return value.search(UNPRINTABLE) !== -1;
}
