// The machine of the examples' pages (`npm run dev`), created once, outside the component, as an app does:
// the API root (here the dev server's /api/, where the fake ETNA server answers), the application key, and
// the session kept across reloads of the tab. Shared by the React, Vue and Svelte src/main.
import { browserSessionStorage, createEtnaAuthMachine } from 'etna-auth';

export const machine = createEtnaAuthMachine({
  baseUrl: new URL('/api/', location.href).href, // your broker's API root
  appKey: import.meta.env.VITE_ETNA_APP_KEY, // your Et-App-Key; `npm run dev` sets the fake server's
  persist: browserSessionStorage(),
});
