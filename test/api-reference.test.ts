// docs/api/ is the API reference, written by `npm run docs:api` from the TSDoc in src/. It must be what the
// generator writes now, name every export of every entry that package.json declares under a heading of its own,
// and give each export an example and each option of `createEtnaAuthMachine` its type, default and example.
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderApiReference } from '../scripts/api-reference.js';

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

/** The package's entries, read from package.json here rather than from the generator: name, source, doc file. */
const entries = Object.entries(
  JSON.parse(read('../package.json')).exports as Record<string, string | { types?: string }>,
).flatMap(([key, target]) => {
  const types = typeof target === 'string' ? undefined : target.types;
  if (types === undefined) return [];
  const specifier = key === '.' ? 'etna-auth' : `etna-auth/${key.slice(2)}`;
  const source = `../${types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')}`;
  return [{ specifier, source, doc: `../docs/api/${specifier.replace(/\//g, '-')}.md` }];
});

/** The sections of a reference file under headings of `level` (`###`), by the heading's name. */
function sections(markdown: string, level: string): Map<string, string> {
  const parts = markdown.split(new RegExp(`^${level} `, 'm')).slice(1);
  return new Map(parts.map((part) => [part.slice(0, part.indexOf('\n')).trim(), part]));
}

describe('docs/api/', () => {
  let generated: Map<string, string>;
  beforeAll(() => {
    generated = renderApiReference();
  }, 120_000);

  it('is what npm run docs:api writes from the TSDoc now (run it after changing an export or its TSDoc)', () => {
    const committed = readdirSync(new URL('../docs/api/', import.meta.url)).filter((name) =>
      name.endsWith('.md'),
    );
    expect(committed.sort()).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) expect(read(`../docs/api/${name}`), name).toBe(text);
  });

  it('has one file for each entry of the package, the three at least', () => {
    expect(entries.map((entry) => entry.specifier)).toEqual(
      expect.arrayContaining(['etna-auth', 'etna-auth/client', 'etna-auth/testing']),
    );
    for (const entry of entries) expect(generated.has(entry.doc.replace('../docs/api/', ''))).toBe(true);
  });

  it.each(entries)('names every export of $specifier under a heading of its own', ({ source, doc }) => {
    const names = exportedNames(read(source));
    expect(names.length).toBeGreaterThan(3);
    const headings = sections(read(doc), '###');
    expect(names.filter((name) => !headings.has(name))).toEqual([]);
  });

  it('gives every export a signature and an example', () => {
    const withoutExample = entries.flatMap(({ doc }) =>
      [...sections(read(doc), '###')]
        .filter(([, section]) => {
          expect(section).toMatch(/^```ts\n.+\n/m);
          return !/^Example:/m.test(section.split(/^#### /m)[0] ?? '');
        })
        .map(([name]) => name),
    );
    expect(withoutExample, 'exports without an example').toEqual([]);
  });

  it("gives each option of createEtnaAuthMachine its type, its default (the constant's name and value) and an example", () => {
    const options =
      /export interface EtnaAuthOptions \{([\s\S]*?)\n\}/.exec(read('../src/options.ts'))?.[1] ?? '';
    const declared = [...options.matchAll(/^ {2}readonly (\w+)(\??):/gm)].map(([, name, optional]) => ({
      name: name ?? '',
      optional: optional === '?',
    }));
    expect(declared.length).toBeGreaterThan(10);
    const constants = new Map(
      [...read('../src/defaults.ts').matchAll(/^export const (\w+) = (.+);$/gm)].map(([, name, value]) => [
        name,
        value,
      ]),
    );
    const reference = sections(read('../docs/api/etna-auth.md'), '###').get('EtnaAuthOptions') ?? '';
    const members = sections(reference, '####');
    for (const { name, optional } of declared) {
      const section = members.get(name);
      expect(section, name).toBeDefined();
      expect(section).toMatch(new RegExp(`^readonly ${name}${optional ? '\\?' : ''}: \\S`, 'm'));
      expect(section).toMatch(/^Example: `.*createEtnaAuthMachine\(/m);
      if (!optional) expect(section).toMatch(/^Required\.$/m);
      else expect(section).toMatch(/^Default: \S/m);
      const constant = /^Default: `(DEFAULT_\w+)`/m.exec(section ?? '')?.[1];
      if (constant) expect(section).toContain(`\`${constant}\` (\`${constants.get(constant)}\`)`);
    }
    expect(members.get('timeout')).toContain('Default: `DEFAULT_TIMEOUT_MS` (`10_000`)');
  });
});
