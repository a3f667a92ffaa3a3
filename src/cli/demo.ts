import { DEMO_USERS, describeDemoUser, type FakeEtnaServer } from '../testing/index.js';

/** What `--demo` prints on stderr: where the embedded fake ETNA server is, and whom to log in as. */
export function describeDemo(server: FakeEtnaServer): string {
  return [
    `Demo: a fake ETNA server at ${server.url}. Its users (demo values, not secrets):`,
    ...DEMO_USERS.map(describeDemoUser),
    '',
  ].join('\n');
}
