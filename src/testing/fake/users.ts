// The users table of one fake server: its own copy, which the journey changes (passwords, PINs, phrases).
import type { FakeEtnaUser } from '../demo-users.js';

/** A user row as one server instance holds it: its own copy, changed by password, PIN and phrase set-ups. */
export type UserRecord = { -readonly [K in keyof FakeEtnaUser]: FakeEtnaUser[K] };

/** One server's users: a deep copy of the table it was given, so neither that table nor another server changes. */
export class UserTable {
  readonly rows: UserRecord[];
  readonly #given: readonly FakeEtnaUser[];

  constructor(users: readonly FakeEtnaUser[]) {
    this.#given = users;
    this.rows = users.map((user) => structuredClone(user) as UserRecord);
  }

  /** Every row back as the table given had it, in place: tickets and tokens in flight point at these records. */
  reset(): void {
    for (const [index, record] of this.rows.entries()) {
      for (const key of Object.keys(record)) delete record[key as keyof UserRecord];
      Object.assign(record, structuredClone(this.#given[index]));
    }
  }

  /** A login or an e-mail address (any case) → the user, or undefined. */
  find(loginOrEmail: string): UserRecord | undefined {
    const wanted = loginOrEmail.trim();
    return (
      this.rows.find((user) => user.username === wanted) ??
      this.rows.find((user) => user.email !== undefined && user.email.toLowerCase() === wanted.toLowerCase())
    );
  }
}
