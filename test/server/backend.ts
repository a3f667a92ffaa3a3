// A backend-for-frontend on loopback for the tests, in this process: createEtnaBff behind node:http.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEtnaBff,
  type EtnaBff,
  type EtnaBffLogEntry,
  type EtnaBffOptions,
} from '../../src/server/index.js';
import type { FakeEtnaServer } from '../../src/testing/index.js';
import { PAGE_ORIGIN } from './browser-fetch.js';

export interface TestBackend {
  /** The handler's root, e.g. `http://127.0.0.1:PORT/etna-auth/`. */
  readonly url: string;
  readonly origin: string;
  readonly bff: EtnaBff;
  /** Every log entry, as JSON lines. */
  readonly log: string[];
  close(): Promise<void>;
}

/** The API calls the tests' backends forward. */
export const TEST_API_ROUTES = [
  { method: 'GET', path: 'v1.0/users/@me/info' },
  { method: 'POST', path: /^v1\.0\/orders\/\d+$/ },
] as const;

export async function startBackend(
  etna: FakeEtnaServer,
  options: Partial<EtnaBffOptions> = {},
): Promise<TestBackend> {
  const log: string[] = [];
  const bff = createEtnaBff({
    allowedOrigins: [PAGE_ORIGIN],
    api: { routes: TEST_API_ROUTES, timeout: 1_000 },
    log: (entry: EtnaBffLogEntry) => log.push(JSON.stringify(entry)),
    ...options,
    etna: { baseUrl: etna.url, appKey: etna.appKey, timeout: 3_000, ...options.etna },
  });
  const server: Server = createServer(bff.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/etna-auth/`,
    origin,
    bff,
    log,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bff.close();
    },
  };
}
