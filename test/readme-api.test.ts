// The README's API table, its `etna-auth/messages` section and its `etna-auth/testing` list name every export of
// the package's four entries, so an export added to one of their index.ts files is documented or this fails.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

/** Every name an entry exports, values and types, read from its `export { … }` and `export type { … }` lists. */
function exportedNames(source: string): string[] {
  return [...source.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
    (match[1] ?? '')
      .split(',')
      .map(
        (name) =>
          name
            .trim()
            .split(/\s+as\s+/)
            .pop() ?? '',
      )
      .filter(Boolean),
  );
}

/** The README from its "## API" heading up to the next section after the testing kit's. */
function apiDocs(readme: string): string {
  const start = readme.indexOf('## API');
  const end = readme.indexOf('\n## Tests', start);
  return readme.slice(start, end);
}

describe('README.md', () => {
  const docs = apiDocs(read('../README.md'));
  it.each([
    ['etna-auth', '../src/index.ts'],
    ['etna-auth/client', '../src/client/index.ts'],
    ['etna-auth/messages', '../src/messages/index.ts'],
    ['etna-auth/testing', '../src/testing/index.ts'],
  ])('names every export of %s in its API section', (_entry, path) => {
    const names = exportedNames(read(path));
    expect(names.length).toBeGreaterThan(3);
    const missing = names.filter((name) => !new RegExp(`\\b${name}\\b`).test(docs));
    expect(missing, 'exports the README API section does not name').toEqual([]);
  });
});
