/** What `--demo` logs in against: the embedded fake ETNA server. */
export interface Demo {
  readonly baseUrl: string;
  readonly appKey: string;
  /** What to print on stderr: where the server is, and whom to log in as. */
  readonly description: string;
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
      '',
    ].join('\n'),
    close: () => server.close(),
  };
}
