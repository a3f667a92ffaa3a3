// The session region on the fake server: the session tokens a 200 from `/token` issues, `POST /logout`, the one
// protected API route `GET v1.0/users/@me/info`, and revocation (as after an expiry).
import type { IncomingMessage } from 'node:http';
import { type Answer, bearerOf, DENIED, newToken } from './answers.js';
import { headerValue } from './recorded-request.js';
import type { UserTable } from './users.js';

/** The session's routes, relative to the base path. */
export const SESSION_ROUTES = {
  logout: { method: 'POST', path: 'logout' },
  userInfo: { method: 'GET', path: 'v1.0/users/@me/info' },
} as const;

/** The sessions of one server: who each token was issued to, and which are still accepted. */
export class FakeSessions {
  readonly #users: UserTable;
  /** Session token → the username it was issued to (logged out or revoked ones too). */
  readonly #owners = new Map<string, string>();
  readonly #active = new Set<string>();

  constructor(users: UserTable) {
    this.#users = users;
  }

  /** Issues a session token to a user: what a 200 from `/token` carries. */
  open(username: string): string {
    const token = newToken();
    this.#owners.set(token, username);
    this.#active.add(token);
    return token;
  }

  /** The username a session token was issued to, or undefined. */
  owner(token: string): string | undefined {
    return this.#owners.get(token);
  }

  /** True while a session token is accepted: issued, and neither revoked nor logged out. */
  isActive(token: string): boolean {
    return this.#active.has(token);
  }

  /** Revokes every session token, or those of one user. */
  revoke(username?: string): void {
    for (const token of this.#active) {
      if (username === undefined || this.#owners.get(token) === username) this.#active.delete(token);
    }
  }

  /** `POST /logout` (its app key checked): ends the session the bearer token names. */
  answerLogout(req: IncomingMessage): Answer {
    const token = this.#activeSessionOf(req);
    if (token === undefined) return [401, DENIED];
    this.#active.delete(token);
    return [200, {}];
  }

  /** The protected API (its app key checked): `GET v1.0/users/@me/info` with a live session token. */
  answerApi(req: IncomingMessage, route: string): Answer {
    const token = this.#activeSessionOf(req);
    if (token === undefined) return [401, DENIED];
    if (route !== SESSION_ROUTES.userInfo.path) return [404, { Message: 'No such route.' }];
    if (req.method !== SESSION_ROUTES.userInfo.method) return [405, { Message: 'Method not allowed.' }];
    const login = this.#owners.get(token) ?? '';
    return [200, { Id: this.#users.rows.findIndex((user) => user.username === login) + 1, Login: login }];
  }

  /** The session token of a request's `Authorization: Bearer …`, when it is an active one. */
  #activeSessionOf(req: IncomingMessage): string | undefined {
    const token = bearerOf(headerValue(req, 'authorization'));
    return token !== undefined && this.#active.has(token) ? token : undefined;
  }
}
