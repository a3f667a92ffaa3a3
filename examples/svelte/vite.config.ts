import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { ETNA_AUTH_SOURCE, fakeEtnaServer } from '../ui-common/vite-fake-etna.js';

// `npm run dev`: this example's page with the fake ETNA server behind /api/ (see ../ui-common/vite-fake-etna.ts).
export default defineConfig({
  plugins: [svelte(), fakeEtnaServer()],
  resolve: { alias: ETNA_AUTH_SOURCE },
});
