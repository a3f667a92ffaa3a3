import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** `import … from 'x'`, `import 'x'`, `export … from 'x'` (types included): the module's static arrows. */
const STATIC_ARROW =
  /^(?:import|export)\s+(?:type\s+)?(?:[\w$]+\s*,\s*)?(?:\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?|[\w$]+)\s+from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm;

function staticArrowsOf(text: string): string[] {
  return [...text.matchAll(STATIC_ARROW)].map((match) => match[1] ?? match[2] ?? '');
}

const modules = sourceFiles(SRC).map((file) => {
  const text = readFileSync(file, 'utf8');
  return { file: relative(SRC, file), text, specifiers: staticArrowsOf(text) };
});
const under = (folder: string) => modules.filter(({ file }) => file.startsWith(folder));
/** A package as named; a relative arrow as the path it reaches from src/'s parent: `src/cli/prompter.js`. */
const arrowTarget = (file: string, specifier: string) =>
  specifier.startsWith('.') ? join('src', dirname(file), specifier) : specifier;

describe('the arrows between layers point one way', () => {
  it('reads every static arrow, re-exports and type-only imports included', () => {
    expect(
      staticArrowsOf(
        [
          "import { a } from './a.js';",
          "import type { B } from './b.js';",
          "import c, { d } from 'c';",
          "import * as e from './e.js';",
          "import './side-effect.js';",
          "export { f } from './f.js';",
          "export type { G } from './g.js';",
          "export * from './h.js';",
          "import {\n  i,\n  j,\n} from './ij.js';",
          "const k = await import('./dynamic.js');",
          "export const l = Array.from('not an arrow');",
        ].join('\n'),
      ),
    ).toEqual([
      './a.js',
      './b.js',
      'c',
      './e.js',
      './side-effect.js',
      './f.js',
      './g.js',
      './h.js',
      './ij.js',
    ]);
  });

  it('keeps src/machine pure: no ky, no services, no node: modules, no options', () => {
    expect(under('machine/').length).toBeGreaterThan(0);
    for (const { file, specifiers } of under('machine/')) {
      for (const specifier of specifiers) {
        expect(specifier, file).not.toMatch(/^ky$|services\/|^node:|testing\/|session\/|options|client\//);
      }
    }
  });

  it('keeps src/services HTTP only: no statechart, no session storage, no composition options', () => {
    for (const { file, specifiers } of under('services/')) {
      for (const specifier of specifiers) {
        expect(specifier, file).not.toMatch(
          /machine\/|^xstate|testing\/|session\/|options\.js|create-etna-auth-machine|client\/|configuration-error/,
        );
      }
    }
  });

  it('keeps src/client out of the services: it reads the machine settings, not service internals', () => {
    expect(under('client/').length).toBeGreaterThan(0);
    for (const { file, specifiers } of under('client/')) {
      for (const specifier of specifiers)
        expect(specifier, file).not.toMatch(/services\/|testing\/|session\//);
    }
  });

  it('keeps src/messages words only: it reads the contract, and nothing that runs (no machine, no HTTP, no xstate)', () => {
    expect(under('messages/').length).toBeGreaterThan(0);
    for (const { file, specifiers } of under('messages/')) {
      for (const specifier of specifiers)
        expect(arrowTarget(file, specifier), file).toMatch(/^src\/messages\/[\w-]+\.js$|^src\/contract\//);
    }
  });

  it('never lets the main entry reach src/testing or node: modules', () => {
    const library = modules.filter(
      ({ file }) => !file.startsWith('testing/') && !file.startsWith('cli/') && !file.startsWith('server/'),
    );
    for (const { file, specifiers } of library) {
      for (const specifier of specifiers) expect(specifier, file).not.toMatch(/testing\/|^node:|cli\//);
    }
  });

  it('keeps the shipped CLI off the testing kit: loaded by a dynamic import for --demo only', () => {
    expect(under('cli/').length).toBeGreaterThan(0);
    for (const { file, specifiers } of under('cli/')) {
      for (const specifier of specifiers) {
        expect(arrowTarget(file, specifier), file).toMatch(
          /^node:|^xstate$|^src\/cli\/[\w/-]+\.js$|^src\/index\.js$|^src\/contract\/|^src\/messages\/index\.js$/,
        );
      }
    }
    for (const { file, specifiers } of modules.filter(({ file }) => !file.startsWith('cli/'))) {
      for (const specifier of specifiers) expect(specifier, file).not.toMatch(/cli\//);
    }
  });

  it('keeps the backend (src/server) to itself: only it uses node: modules besides the kit, and Redis only by a dynamic import', () => {
    expect(under('server/').length).toBeGreaterThan(0);
    for (const { file, specifiers } of modules.filter(({ file }) => !file.startsWith('server/'))) {
      for (const specifier of specifiers) expect(specifier, file).not.toMatch(/server\//);
    }
    for (const { file, specifiers, text } of under('server/')) {
      for (const specifier of specifiers)
        expect(specifier, file).not.toMatch(/^redis$|^@redis\/|testing\/|cli\//);
      if (file.endsWith('redis-store.ts')) expect(text).toContain("await import('redis')");
    }
  });

  it('keeps the browser adapter (src/remote) small: no node: modules, no backend, no machine code', () => {
    expect(under('remote/').length).toBeGreaterThan(0);
    for (const { file, specifiers, text } of under('remote/')) {
      for (const specifier of specifiers) {
        expect(specifier, file).toMatch(
          /^ky$|^\.\/[\w-]+\.js$|^\.\.\/contract\/|^\.\.\/defaults\.js$|^\.\.\/machine\/types\.js$/,
        );
      }
      // The machine's types only: nothing of the chart's code goes to the page with the adapter.
      expect(text, file).not.toMatch(/^import \{[^}]*\} from '\.\.\/machine\//m);
    }
  });

  it('makes src/index.ts the public API and nothing else: re-exports only', () => {
    const index = modules.find(({ file }) => file === 'index.ts');
    const statements = (index?.text ?? '')
      .split(';')
      .map((statement) => statement.trim())
      .filter(Boolean);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements)
      expect(statement).toMatch(/^export (type )?(\{[^}]*\}|\*) from '[^']+'$/);
  });
});

describe('the demo, the CLI, the model and the fake server are laid out by the regions of the chart', () => {
  const filesIn = (url: URL) =>
    readdirSync(url)
      .filter((name) => name.endsWith('.ts'))
      .sort();
  const regions = filesIn(new URL('machine/regions/', `file://${SRC}`));

  it('has one file of screens per region, named like the region module (demo/screens/login.ts, …)', () => {
    expect(regions.length).toBeGreaterThan(1);
    expect(filesIn(new URL('../demo/screens/', import.meta.url))).toEqual(regions);
  });

  it('has one file of terminal prompts per region, named like it (src/cli/prompts/login.ts, …)', () => {
    expect(filesIn(new URL('cli/prompts/', `file://${SRC}`))).toEqual(regions);
  });

  it("has a module of the model's events and answers per region, named like it (src/testing/model/login.ts, …)", () => {
    const model = filesIn(new URL('testing/model/', `file://${SRC}`));
    for (const region of regions) expect(model, region).toContain(region);
  });

  it('tags each top-level state with the region of the module it is written in', async () => {
    const { etnaAuthMachine } = await import('../src/machine/etna-auth-machine.js');
    const regionOf = (file: string) =>
      file.replace(/\.ts$/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    for (const file of regions) {
      const text = readFileSync(new URL(`machine/regions/${file}`, `file://${SRC}`), 'utf8');
      for (const match of text.matchAll(/meta: \{ region: '(\w+)' \}/g))
        expect(match[1], file).toBe(regionOf(file));
    }
    const tagged = Object.values(etnaAuthMachine.root.states).map((node) => node.meta?.region);
    expect(new Set(tagged)).toEqual(new Set(regions.map(regionOf)));
  });

  it('has a module of fake routes per region that talks to the server, named like it (src/testing/fake/login.ts, …)', () => {
    const fake = filesIn(new URL('testing/fake/', `file://${SRC}`));
    // The outcomes (failed, error) send nothing: the fake has no route for them.
    for (const region of regions.filter((file) => file !== 'outcomes.ts'))
      expect(fake, region).toContain(region);
  });
});

describe('rooms a reader can hold', () => {
  const ROOT = new URL('../', import.meta.url).pathname;
  const everyFile = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? everyFile(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  const LONGEST = 350;

  it(`keeps every text file of src/ and demo/ at ${LONGEST} lines or fewer`, () => {
    const files = [...everyFile('src'), ...everyFile('demo')].filter((file) => /\.(ts|css|html)$/.test(file));
    expect(files.length).toBeGreaterThan(100);
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > LONGEST + 1);
    expect(long).toEqual([]);
  });

  it('keeps the machine file a state table: under 150 lines', () => {
    const lines = readFileSync(join(SRC, 'machine/etna-auth-machine.ts'), 'utf8').split('\n').length;
    expect(lines).toBeLessThan(150);
  });

  it("keeps the React example's browser test, the kit's one call with a driver, under 80 lines", () => {
    const file = join(ROOT, 'examples/react/test/model-paths.browser.test.ts');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('runModelPathsInBrowser(');
    expect(text.trimEnd().split('\n').length).toBeLessThan(80);
  });
});
