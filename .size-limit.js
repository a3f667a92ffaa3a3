// npm run size: bundle budgets, measured by size-limit with esbuild, minified and gzipped.
// size-limit leaves peer dependencies (xstate) out of every check; the whole-bundle check puts it back.
// These are ceilings against regressions, set just above today's sizes (raised for the safety work: redirects in the
// client, the restore guard, the session timer, deeper redaction; then by about 4.4 kB for the whole login journey:
// fifteen more states in the chart's config, the six calls beside /token and their envelope, the picture checks
// and the new input checks; then by about 1.1 kB for sessions across tabs and time: the re-login's four states,
// the tabs' channel and adoption, the wall-clock check, the username in the stored session); the 3 kB goal for the main entry is not met (docs/performance.md says why). Raised for the split
// into regions (+0.8 kB: the list of calls, the RETRY table read off the chart) and the third hardening (+0.7 kB:
// bounded redaction, userinfo never quoted, stricter envelopes). Main grew past them (restoring and storages that
// answer later, the races' fixes: 16.09 kB); the lean pass set them at what it reached, +0.2 kB (docs/performance.md
// says what stands between this and the 11 kB target).
const keepEverything = (config) => ({ ...config, external: [] });

export default [
  {
    name: 'main entry, everything it exports (xstate and ky external)',
    path: 'dist/index.js',
    import: '*',
    ignore: ['xstate', 'ky'],
    gzip: true,
    limit: '16.05 kB',
  },
  {
    name: 'main entry, what a login screen imports: createEtnaAuthMachine, selectToken (xstate and ky external)',
    path: 'dist/index.js',
    import: '{ createEtnaAuthMachine, selectToken }',
    ignore: ['xstate', 'ky'],
    gzip: true,
    limit: '14.2 kB',
  },
  {
    name: 'etna-auth/client entry: createEtnaClient (xstate and ky external)',
    path: 'dist/client/index.js',
    import: '*',
    ignore: ['xstate', 'ky'],
    gzip: true,
    limit: '2.3 kB',
  },
  {
    // The page's whole login behind etna-auth/server: no xstate, no ky, no chart.
    name: 'etna-auth/remote: createEtnaRemoteActor, everything it needs',
    path: 'dist/remote/index.js',
    import: '{ createEtnaRemoteActor }',
    modifyEsbuildConfig: keepEverything,
    gzip: true,
    limit: '2.4 kB',
  },
  {
    name: 'etna-auth/messages entry: both catalogs and every describe function',
    path: 'dist/messages/index.js',
    import: '*',
    gzip: true,
    limit: '4.2 kB',
  },
  {
    name: 'etna-auth/messages, what an English screen imports: describeError, describeFailure, describeWait',
    path: 'dist/messages/index.js',
    import: '{ describeError, describeFailure, describeWait }',
    gzip: true,
    limit: '2.5 kB',
  },
  {
    name: 'whole browser bundle: etna-auth + xstate + ky',
    path: 'dist/index.js',
    import: '*',
    modifyEsbuildConfig: keepEverything,
    gzip: true,
    limit: '33.4 kB',
  },
];
