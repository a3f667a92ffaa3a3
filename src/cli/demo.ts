import { DEMO_USERS, type FakeEtnaServer } from '../testing/index.js';

function describeUser(user: (typeof DEMO_USERS)[number]): string {
  const steps = [
    user.verificationCode && `code ${user.verificationCode}`,
    user.pin && `PIN ${user.pin}`,
    user.passwordExpired && 'password expired',
    user.pinNotInitialized && 'PIN not set up',
  ].filter(Boolean);
  return `  ${user.username.padEnd(6)} ${user.password.padEnd(15)} ${steps.join(', ') || 'single factor'}`;
}

/** What `--demo` prints on stderr: where the embedded fake ETNA server is, and whom to log in as. */
export function describeDemo(server: FakeEtnaServer): string {
  return [
    `Demo: a fake ETNA server at ${server.url}. Its users (demo values, not secrets):`,
    ...DEMO_USERS.map(describeUser),
    '',
  ].join('\n');
}
