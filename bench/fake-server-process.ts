// Runs the fake ETNA server in its own process, so the benchmark's client has a core to itself.
import { startFakeEtnaServer } from '../src/testing/index.js';
import { benchUsers } from './flows.js';

const server = await startFakeEtnaServer({ users: benchUsers(Number(process.argv[2] ?? 300)) });
process.stdout.write(`${JSON.stringify({ url: server.url, appKey: server.appKey })}\n`);
process.on('message', async () => {
  await server.close();
  process.exit(0);
});
