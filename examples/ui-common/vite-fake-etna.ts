// The examples' dev server (`npm run dev -w examples/<framework>`), shared by the React, Vue and Svelte
// vite.config.ts: the fake ETNA server from etna-auth/testing, started with Vite and proxied under /api/ on
// Vite's own origin (so the page needs no CORS), its application key handed to the page as
// import.meta.env.VITE_ETNA_APP_KEY, the URL and the demo users printed when Vite is listening, and the page
// around the component (viewport, title line, the demo users) added to each example's index.html.
import { fileURLToPath } from 'node:url';
import type { Alias, HtmlTagDescriptor, Plugin } from 'vite';
import {
  DEMO_USERS,
  describeDemoUser,
  type FakeEtnaServer,
  startFakeEtnaServer,
} from '../../src/testing/index.js';

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** `etna-auth` from the package's source, as the examples' tests resolve it: no build needed, never stale. */
export const ETNA_AUTH_SOURCE: Alias[] = [
  { find: /^etna-auth$/, replacement: repo('src/index.ts') },
  { find: /^etna-auth\/client$/, replacement: repo('src/client/index.ts') },
  { find: /^etna-auth\/messages$/, replacement: repo('src/messages/index.ts') },
  { find: /^etna-auth\/testing$/, replacement: repo('src/testing/index.ts') },
];

/** Where the dev server shows what the fake server "e-mailed" a user: `?user=<login or e-mail>`. */
const MAILBOX_PATH = '/demo/mailbox';

/** Where the page finds the fake server: an app sets its broker's API root instead. */
export const API_PREFIX = '/api/';

/** A Vite plugin for `vite` (dev) only: the fake ETNA server behind /api/, for as long as the dev server runs. */
export function fakeEtnaServer(): Plugin {
  let etna: FakeEtnaServer | undefined;
  return {
    name: 'etna-auth:fake-etna-server',
    apply: 'serve',
    async config() {
      etna = await startFakeEtnaServer({ users: DEMO_USERS });
      const target = new URL(etna.url);
      return {
        define: { 'import.meta.env.VITE_ETNA_APP_KEY': JSON.stringify(etna.appKey) },
        server: {
          host: '127.0.0.1',
          proxy: {
            // Only to the fake server: /api/token → <fake server>/token, and so on; it answers 404 to the rest.
            [API_PREFIX]: {
              target: target.origin,
              rewrite: (path: string) => `${target.pathname}${path.slice(API_PREFIX.length)}`,
            },
          },
        },
      };
    },
    transformIndexHtml(html) {
      const title = /<title>(.*?)<\/title>/.exec(html)?.[1] ?? 'etna-auth';
      const users = DEMO_USERS.map((user): HtmlTagDescriptor => {
        const [name, password, steps] = describeDemoUser(user)
          .trim()
          .split(/\s{2,}/);
        const login: HtmlTagDescriptor = { tag: 'code', children: `${name} / ${password}` };
        return { tag: 'li', children: [login, { tag: 'span', children: ` ${steps ?? ''}` }] };
      });
      return {
        html: html.replace('<div id="app"></div>', '<main class="example-page"><div id="app"></div></main>'),
        tags: [
          { tag: 'meta', attrs: { name: 'viewport', content: 'width=device-width, initial-scale=1' } },
          { tag: 'link', attrs: { rel: 'icon', href: 'data:,' } },
          {
            tag: 'p',
            attrs: { class: 'example-title' },
            children: `${title}, against the fake ETNA server`,
            injectTo: 'body-prepend',
          },
          {
            tag: 'details',
            attrs: { class: 'example-hint' },
            children: [
              { tag: 'summary', children: 'Demo users (demo values, not secrets)' },
              { tag: 'ul', children: users },
            ],
            injectTo: 'body',
          },
        ],
      };
    },
    configureServer(server) {
      const printUrls = server.printUrls.bind(server);
      server.printUrls = () => {
        printUrls();
        console.log(`\n  The fake ETNA server answers ${API_PREFIX}token, ${API_PREFIX}logout,`);
        console.log(`  ${API_PREFIX}v1.0/users/@me/info and the login journey's routes there; the codes it`);
        console.log(
          `  "e-mails" (a reset code, ivy's verification codes) are at ${MAILBOX_PATH}?user=<login>.`,
        );
        console.log('  Demo users (demo values, not secrets):');
        console.log(DEMO_USERS.map((user) => `    ${describeDemoUser(user)}`).join('\n'));
      };
      // A fake server sends no real e-mail: its mailbox is served (not printed: codes stay out of logs), so that
      // the reset and ivy's codes can be typed. A demo of a fake server shows its codes by design.
      server.middlewares.use(MAILBOX_PATH, (req, res) => {
        const user = new URL(req.url ?? '', 'http://dev.invalid').searchParams.get('user') ?? '';
        const mails = etna?.mailTo(user).map(({ kind, code, at }) => ({ kind, code, at })) ?? [];
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.setHeader('cache-control', 'no-store');
        res.end(JSON.stringify(mails));
      });
      server.httpServer?.once('close', () => {
        void etna?.close();
      });
    },
  };
}
