import type { IncomingMessage } from 'node:http';

/**
 * The cookie that carries a browser's id: `HttpOnly` (no script reads it), `Secure` (https only; browsers also
 * accept it from http://localhost), `SameSite=Strict` (never sent by another site's page or link), `Path=/` and
 * no `Domain` (this host only), as the `__Host-` prefix demands. No `Max-Age`: it ends with the browser session,
 * and the server ends the session before that by its idle and absolute timeouts.
 */
export function sessionCookie(name: string, id: string): string {
  return `${name}=${id}; Path=/; Secure; HttpOnly; SameSite=Strict`;
}

/** The same cookie, expired: the browser drops it. */
export function clearedCookie(name: string): string {
  return `${name}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`;
}

/** The value of the cookie `name` in the request, when there is exactly one (two are refused: one was planted). */
export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  let found: string | undefined;
  let count = 0;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    count++;
    found = part.slice(at + 1).trim();
  }
  return count === 1 ? found : undefined;
}
