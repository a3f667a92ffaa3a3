/** What `--demo` logs in against: the embedded fake ETNA server. */
export interface Demo {
  readonly baseUrl: string;
  readonly appKey: string;
  /** What to print on stderr: where the server is, and whom to log in as. */
  readonly description: string;
  /**
   * The code of the newest mail the fake server "sent" to a user (a verification or password-reset code): the
   * demo has no real mailbox, so the CLI shows it there.
   */
  lastMail(
    username: string,
    kind: 'verificationCode' | 'passwordReset',
  ): { readonly code: string } | undefined;
  close(): Promise<void>;
}

/**
 * Starts the fake ETNA server of `--demo`. The testing kit is loaded here, on demand, and nowhere else in the
 * CLI: a real login never loads it.
 */
export async function startDemo(): Promise<Demo> {
  const { DEMO_USERS, describeDemoUser, startFakeEtnaServer } = await import('../testing/index.js');
  const server = await startFakeEtnaServer();
  return {
    baseUrl: server.url,
    appKey: server.appKey,
    description: [
      `Demo: a fake ETNA server at ${server.url}. Its users (demo values, not secrets):`,
      ...DEMO_USERS.map(describeDemoUser),
      'Codes it "e-mails" are shown here, as Demo mail.',
      '',
    ].join('\n'),
    lastMail: (username, kind) => server.lastMail(username, kind),
    close: () => server.close(),
  };
}
