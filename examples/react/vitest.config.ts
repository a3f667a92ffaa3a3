import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The package's source, not dist/: tests never see a stale build. An app resolves it from node_modules.
    alias: [
      { find: /^etna-auth$/, replacement: repo('src/index.ts') },
      { find: /^etna-auth\/client$/, replacement: repo('src/client/index.ts') },
      { find: /^etna-auth\/messages$/, replacement: repo('src/messages/index.ts') },
      { find: /^etna-auth\/testing$/, replacement: repo('src/testing/index.ts') },
    ],
  },
  test: {
    name: 'react',
    root: fileURLToPath(new URL('.', import.meta.url)),
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
  },
});
