/** `idle`, `expecting.securityPin`, …: a state value as one dotted name, as the screens and the event log say it. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? ['', ''];
  return `${key}.${stateName(child)}`;
}
