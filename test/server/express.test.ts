// The handler mounted in Express 5 with one line: its routes answer, Express's own routes still work.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEtnaRemoteActor } from '../../src/remote/index.js';
import { createEtnaBff, type EtnaBff } from '../../src/server/index.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';
import { PAGE_ORIGIN, testBrowser } from './browser-fetch.js';

let etna: FakeEtnaServer;
let bff: EtnaBff;
let server: Server;

beforeEach(async () => {
  etna = await startFakeEtnaServer();
  bff = createEtnaBff({ etna: { baseUrl: etna.url, appKey: etna.appKey }, allowedOrigins: [PAGE_ORIGIN] });
  const app = express();
  app.use(bff.handler); // the mounting, before any body parser
  app.use(express.json());
  app.get('/hello', (_req, res) => {
    res.json({ hello: 'from express' });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await bff.close();
  await etna.close();
});

it('logs in through a handler mounted in Express, whose other routes still answer', async () => {
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = testBrowser();
  const actor = createEtnaRemoteActor({ url: `${origin}/etna-auth/`, fetch: browser.fetch }).start();
  await actor.ready;
  actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
  await new Promise<void>((resolve) => {
    const subscription = actor.subscribe((snapshot) => {
      if (!snapshot.matches('succeeded')) return;
      subscription.unsubscribe();
      resolve();
    });
  });
  expect(actor.getSnapshot().context.username).toBe('alice');
  expect(await (await fetch(`${origin}/hello`)).json()).toEqual({ hello: 'from express' });
  actor.stop();
});
