// The web demo (`npm start`): bundles demo/main.ts with esbuild and serves the page, with the embedded fake
// ETNA server mounted at /api/ on the same origin (POST /api/token, POST /api/logout, the protected
// GET /api/v1.0/users/@me/info and the rest of the login journey: security images, PIN set-up, password change
// and reset), so the browser needs no CORS. GET /demo/mailbox?user=… shows the codes the fake server "e-mailed";
// POST /demo/reset-users puts the demo users back as DEMO_USERS lists them. Each start begins with its own copy
// of that table, so nothing a visitor changed (erin's password, frank's PIN) outlives the process.
// `npm start -- --bff`: the login runs in etna-auth/server under /etna-auth/ instead (demo-backend.ts): the page,
// at http://localhost:PORT/, holds no app key and no token, and /api/ is closed to it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { placeStatechart } from '../demo/statechart/layout.js';
import { DEFAULT_SETTINGS, etnaAuthMachine, etnaAuthMachineWith } from '../src/machine/etna-auth-machine.js';
import {
  DEMO_USERS,
  describeDemoUser,
  type FakeEtnaServer,
  type FakeEtnaUser,
  isFakeEtnaRoute,
  startFakeEtnaServer,
} from '../src/testing/index.js';
import { relay } from '../src/testing/kit/gateway.js';
import { createDemoBackends, type DemoBackendOptions, type DemoBackends } from './demo-backend.js';
import { DEMO_FAULT_HEADER, demoFaultNamed, injectDemoFault } from './demo-faults.js';

const DEMO_DIR = new URL('../demo/', import.meta.url);

export interface DemoServerOptions {
  /** @default 0 (any free port) */
  readonly port?: number;
  /**
   * Whether the bundle holds the statechart's layouts, computed here: without them the page lays the chart out
   * itself, loading ELK (the fallback for a machine the bundle's layouts are not of). @default true
   */
  readonly placedLayouts?: boolean;
  /** The fake server's user table. @default DEMO_USERS */
  readonly users?: readonly FakeEtnaUser[];
  /**
   * The backend-for-frontend mode (`npm start -- --bff`): the login runs in etna-auth/server, the page at
   * `http://localhost:PORT/` gets no app key, and /api/ is closed. `true`, or the backends' options (tests).
   * @default false
   */
  readonly backend?: boolean | DemoBackendOptions;
}

export interface DemoServer {
  /** The page, e.g. `http://127.0.0.1:5173/` (`http://localhost:5173/` in the backend mode). */
  readonly url: string;
  /** The fake ETNA server behind `/api/`: inject faults, revoke sessions, read its request log. */
  readonly etna: FakeEtnaServer;
  /** In the backend mode, the backends behind `/etna-auth/` (tests read the cookie a page's backend sets). */
  readonly backends: DemoBackends | undefined;
  close(): Promise<void>;
}

/** The demo's bundle, built in memory: main.js, its source map, the CSS its modules import, and its chunks. */
export interface DemoBundle {
  readonly js: string;
  readonly map: string;
  readonly css: string;
  /** The chunks main.js imports (and their source maps), by URL path: ELK's is loaded only when a layout was not computed ahead. */
  readonly chunks: ReadonlyMap<string, string>;
}

/** The browser bundle of demo/main.ts, its source map and the CSS its modules import, built in memory. */
export async function bundleDemo({
  placedLayouts = true,
  backend = false,
}: {
  placedLayouts?: boolean;
  /** A page whose login runs on the demo's backend: the bundle then holds neither the app key nor the local actor. */
  backend?: boolean;
} = {}): Promise<DemoBundle> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('main.ts', DEMO_DIR))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: 'demo-bundle',
    sourcemap: 'linked',
    minify: true,
    // ELK, imported on first use only, goes in a chunk of its own that a page with every layout placed never loads.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    write: false,
    logLevel: 'silent',
    // The statechart's layouts, computed here once from the same machines: the page then draws it without running
    // ELK (which takes a second or more on each load), and falls back to ELK if the graphs ever differ. Two
    // variants: with the read of a storage that answers later (?storage=async, the backend mode) and without it.
    define: {
      'globalThis.__ETNA_STATECHART_PLACED__': placedLayouts
        ? JSON.stringify([
            await placeStatechart(etnaAuthMachine.root),
            await placeStatechart(etnaAuthMachineWith(DEFAULT_SETTINGS, false).root),
          ])
        : 'undefined',
      // Folded where it is read (demo/demo-actor.ts): the other mode's code, and the app key with it, is dropped.
      'globalThis.__ETNA_DEMO_BACKEND__': String(backend),
    },
  });
  const text = (suffix: string) => result.outputFiles.find((file) => file.path.endsWith(suffix))?.text ?? '';
  const chunks = new Map(
    result.outputFiles
      .filter((file) => file.path.includes('/chunks/'))
      .map((file) => [file.path.slice(file.path.lastIndexOf('/chunks/')), file.text]),
  );
  return { js: text('main.js'), map: text('main.js.map'), css: text('main.css'), chunks };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}

/**
 * The bundle's files, checked again on each use (`no-cache`) by their content's hash: a page loaded again reuses
 * what the browser has (and the code it compiled), and a rebuilt bundle is never taken from a stale copy.
 */
function sendAsset(req: IncomingMessage, res: ServerResponse, type: string, body: string): void {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  const headers = { 'content-type': type, 'cache-control': 'no-cache', etag };
  if (req.headers['if-none-match'] === etag) res.writeHead(304, headers).end();
  else res.writeHead(200, headers).end(body);
}

/** The fake server's routes are mounted here on the demo origin. */
const API_PREFIX = '/api/';

/**
 * `GET /demo/mailbox?user=<login or e-mail>`: what the fake server "e-mailed" that user, `[{ kind, code, at }]`, newest
 * last. This is a demo of a fake server: its codes are shown to the page by design, so that a visitor can
 * finish the verification-code and password-reset journeys. A real server never shows them.
 */
function answerMailbox(url: string, res: ServerResponse, etna: FakeEtnaServer): void {
  const user = new URL(url, 'http://demo.invalid').searchParams.get('user');
  if (user === null || user === '') {
    send(res, 400, 'text/plain', 'user is required');
    return;
  }
  // A login or the account's e-mail address, as the reset takes either.
  const mails = etna.mailTo(user).map(({ kind, code, at }) => ({ kind, code, at }));
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(mails));
}

/**
 * Passes one request under /api/ to the fake server when it names one of the fake server's own routes
 * (`FAKE_ETNA_ROUTES`: `POST token`, `POST logout`, `GET v1.0/users/@me/info` and the journey's routes), the
 * path matched exactly as sent, the query (`secret-question?username=…`) passed on as it is;
 * anything else (an absolute URL, `//host`, `..` or `%2e%2e`, an unknown route) is answered 404 and goes
 * nowhere, so the demo is not an open proxy for the Password and Et-App-Key headers. An abort on either
 * side is passed on to the other.
 */
function proxyApi(req: IncomingMessage, res: ServerResponse, etna: FakeEtnaServer): void {
  const url = req.url ?? '';
  const queryAt = url.indexOf('?');
  const route = (queryAt < 0 ? url : url.slice(0, queryAt)).slice(API_PREFIX.length);
  if (!isFakeEtnaRoute(req.method, route)) {
    send(res, 404, 'text/plain', 'Not found');
    return;
  }
  const fault = demoFaultNamed(req.headers[DEMO_FAULT_HEADER]);
  if (fault) injectDemoFault(fault, req.method ?? 'GET', route, etna);
  // Built from the fake server's URL, with only its path and query set: nothing in the request can change
  // the host it goes to.
  const target = new URL(etna.url);
  target.pathname = `${target.pathname}${route}`;
  if (queryAt >= 0) target.search = url.slice(queryAt);
  const headers: OutgoingHttpHeaders = { ...req.headers, host: target.host, connection: 'close' };
  delete headers[DEMO_FAULT_HEADER];
  // A hang-up on either side hangs up the other: the browser sees a dropped connection, ETNA a CANCEL.
  relay(req, res, target, headers);
}

/** The page, told where its backend answers (`<meta name="etna-auth-backend">`) in the backend mode. */
function pageFor(html: string, backendPath: string | undefined): string {
  if (backendPath === undefined) return html;
  return html.replace('</head>', `<meta name="etna-auth-backend" content="${backendPath}" />\n  </head>`);
}

/** Serves the demo page and the fake ETNA server on one loopback origin. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const backendMode = options.backend !== undefined && options.backend !== false;
  const [html, bundle, etna] = await Promise.all([
    readFile(new URL('index.html', DEMO_DIR), 'utf8'),
    bundleDemo({ placedLayouts: options.placedLayouts, backend: backendMode }),
    startFakeEtnaServer({ users: options.users ?? DEMO_USERS }),
  ]);
  let backends: DemoBackends | undefined;
  const server = createServer((req, res) => {
    // Every answer ends its connection: Chromium silently resends a request whose reused keep-alive
    // connection is dropped, which would hide the fake server's `drop` fault.
    res.shouldKeepAlive = false;
    const [path, query = ''] = (req.url ?? '/').split('?');
    if (backends?.answer(req, res)) return;
    // In the backend mode the page reaches ETNA only through the backend: it holds no app key to send.
    if (path?.startsWith(API_PREFIX)) {
      return backendMode ? send(res, 404, 'text/plain', 'Not found') : proxyApi(req, res, etna);
    }
    // The demo's own control, not ETNA's: what an administrator revoking every session would do.
    if (path === '/demo/revoke-sessions' && req.method === 'POST') {
      etna.revokeSessions();
      return send(res, 204, 'text/plain', '');
    }
    // The page's "Reset demo users": erin's new password, frank's PIN and the like are undone.
    if (path === '/demo/reset-users' && req.method === 'POST') {
      etna.resetUsers();
      return send(res, 204, 'text/plain', '');
    }
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'Method not allowed');
    if (path === '/demo/mailbox') return answerMailbox(req.url ?? '', res, etna);
    if (path === '/' || path === '/index.html') {
      const page = pageFor(html, backends?.pathFor(new URLSearchParams(query)));
      return send(res, 200, 'text/html; charset=utf-8', page);
    }
    if (path === '/main.js') return sendAsset(req, res, 'text/javascript; charset=utf-8', bundle.js);
    if (path === '/main.js.map') return sendAsset(req, res, 'application/json', bundle.map);
    if (path === '/main.css') return sendAsset(req, res, 'text/css; charset=utf-8', bundle.css);
    const chunk = path === undefined ? undefined : bundle.chunks.get(path);
    if (chunk !== undefined)
      return sendAsset(
        req,
        res,
        path?.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8',
        chunk,
      );
    send(res, 404, 'text/plain', 'Not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  if (backendMode) {
    // The page's origin, as the browser names it: the __Host- cookie is Secure, which Chromium accepts over
    // http from localhost and 127.0.0.1 only.
    const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
    backends = createDemoBackends(etna, origins, options.backend === true ? {} : options.backend);
  }
  return {
    url: backendMode ? `http://localhost:${port}/` : `http://127.0.0.1:${port}/`,
    etna,
    backends,
    close: async () => {
      server.closeAllConnections();
      await Promise.all([new Promise((resolve) => server.close(resolve)), backends?.close(), etna.close()]);
    },
  };
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 5173);
  const backend = process.argv.slice(2).includes('--bff');
  const demo = await startDemoServer({ port, backend }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    console.log(`port ${port} is busy; using a free one`);
    return startDemoServer({ backend });
  });
  console.log(`etna-auth demo${backend ? ', backend-for-frontend mode' : ''}: ${demo.url}`);
  if (backend)
    console.log(
      '(the login runs in etna-auth/server under /etna-auth/, against the fake ETNA server: the page holds no app key and no token, only an HttpOnly cookie)',
    );
  else
    console.log(
      `(the fake ETNA server answers /api/token, /api/logout, /api/v1.0/users/@me/info and the login journey's routes there; app key ${demo.etna.appKey})`,
    );
  console.log(`(the codes it "e-mails" are at ${demo.url}demo/mailbox?user=<login>)`);
  console.log('Demo users (demo values, not secrets):');
  console.log(DEMO_USERS.map(describeDemoUser).join('\n'));
  console.log('Ctrl-C stops the server.');
  const stop = () => {
    void demo.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
