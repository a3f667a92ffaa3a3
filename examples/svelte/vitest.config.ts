import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  resolve: {
    // As a bundler resolves for the browser: @xstate/svelte's ESM build ("module"), not its CommonJS one,
    // whose require('svelte') would load a second Svelte runtime; and Svelte's client build ("browser").
    conditions: ['module', 'browser', 'development|production'],
    // The package's source, not dist/: tests never see a stale build. An app resolves it from node_modules.
    alias: [
      { find: /^etna-auth$/, replacement: repo('src/index.ts') },
      { find: /^etna-auth\/client$/, replacement: repo('src/client/index.ts') },
      { find: /^etna-auth\/messages$/, replacement: repo('src/messages/index.ts') },
      { find: /^etna-auth\/testing$/, replacement: repo('src/testing/index.ts') },
    ],
  },
  test: {
    name: 'svelte',
    root: fileURLToPath(new URL('.', import.meta.url)),
    environment: 'jsdom',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
