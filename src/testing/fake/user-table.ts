// The fake server's own copy of its user table: the journeys change it (passwords, PINs, phrases), and
// `resetUsers()` puts it back as it was given.
import type { FakeEtnaUser } from '../demo-users.js';
import type { UserRecord } from './journey.js';

/** A live copy of `table`, and a reset that refills the same records: tickets and tokens in flight point at them. */
export function userTable(table: readonly FakeEtnaUser[]) {
  const users = table.map((user) => structuredClone(user) as UserRecord);
  const reset = () => {
    for (const [index, record] of users.entries()) {
      for (const key of Object.keys(record)) delete record[key as keyof UserRecord];
      Object.assign(record, structuredClone(table[index]));
    }
  };
  return { users, reset };
}
