// What the catalogs' sentences share: a sentence's first letter, and a wait of minutes as a clock.

/** `your password` → `Your password`. */
export const upperFirst = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** Seconds as `M:SS` (`1:00`, `0:59`), for a wait of minutes. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
