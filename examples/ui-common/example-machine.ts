// The machine of the examples' pages (`npm run dev`), created once, outside the component, as an app does:
// the API root (here the dev server's /api/, where the fake ETNA server answers), the application key, a
// warning a minute before the session ends (with a login again in place), and the session kept in
// localStorage, so that the tabs of the page share it (a login or a logout in one is seen by all) and it
// survives reloads. Shared by the React, Vue and Svelte src/main.
import { browserLocalStorage, createEtnaAuthMachine, type EtnaAuthOptions } from 'etna-auth';

/** `VITE_ETNA_SESSION_LIFETIME=90000 npm run dev …`: sessions of 90 s, to see the warning without waiting a day. */
const lifetime = import.meta.env.VITE_ETNA_SESSION_LIFETIME;

/** The settings a test may give the page (etna-auth/testing's `runModelPathsInBrowser`), and their types. */
const TEST_SETTINGS = {
  baseUrl: 'string',
  appKey: 'string',
  timeout: 'number',
  maxSteps: 'number',
  sessionWarning: 'number',
  slidingSession: 'boolean',
  resendCooldown: 'number',
} as const;

/**
 * `?etna-auth={…}`: the machine's settings for one model path of a test, with that path's own fake server. Read in
 * a development build only, and only with an API root on this machine, so that no link sends a password elsewhere.
 */
function testSettings(): Partial<EtnaAuthOptions> {
  const given = import.meta.env.DEV ? new URLSearchParams(location.search).get('etna-auth') : null;
  if (!given) return {};
  const settings = JSON.parse(given) as Record<string, unknown>;
  if (typeof settings.baseUrl !== 'string' || new URL(settings.baseUrl).hostname !== '127.0.0.1') return {};
  return Object.fromEntries(
    Object.entries(TEST_SETTINGS).flatMap(([name, type]) =>
      typeof settings[name] === type ? [[name, settings[name]]] : [],
    ),
  );
}

export const machine = createEtnaAuthMachine({
  baseUrl: new URL('/api/', location.href).href, // your broker's API root
  appKey: import.meta.env.VITE_ETNA_APP_KEY, // your Et-App-Key; `npm run dev` sets the fake server's
  sessionWarning: 60_000, // `succeeded.endingSoon` a minute before the end
  ...(lifetime ? { sessionLifetime: Number(lifetime) } : {}),
  ...testSettings(),
  persist: browserLocalStorage(),
});
