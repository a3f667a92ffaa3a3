import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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

const imports = sourceFiles(SRC).map((file) => ({
  file: relative(SRC, file),
  specifiers: [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map(
    (match) => match[1],
  ),
}));

describe('the arrows between layers point one way', () => {
  it('keeps src/machine pure: no ky, no services, no node: modules', () => {
    const machine = imports.filter(({ file }) => file.startsWith('machine/'));
    expect(machine.length).toBeGreaterThan(0);
    for (const { file, specifiers } of machine) {
      for (const specifier of specifiers) {
        expect(specifier, file).not.toMatch(/^ky$|services\/|^node:|testing\//);
      }
    }
  });

  it('keeps src/services free of the statechart', () => {
    for (const { file, specifiers } of imports.filter(({ file }) => file.startsWith('services/'))) {
      for (const specifier of specifiers) expect(specifier, file).not.toMatch(/machine\/|^xstate|testing\//);
    }
  });

  it('never lets the main entry reach src/testing or node: modules', () => {
    const library = imports.filter(({ file }) => !file.startsWith('testing/') && !file.startsWith('cli/'));
    for (const { file, specifiers } of library) {
      for (const specifier of specifiers) expect(specifier, file).not.toMatch(/testing\/|^node:/);
    }
  });

  it('keeps src/cli a user of the public entries (it may use node: and the fake server), imported by nothing', () => {
    const cli = imports.filter(({ file }) => file.startsWith('cli/'));
    expect(cli.length).toBeGreaterThan(0);
    for (const { file, specifiers } of cli) {
      for (const specifier of specifiers) {
        expect(specifier, file).toMatch(
          /^node:|^xstate$|^\.\/[\w-]+\.js$|^\.\.\/index\.js$|^\.\.\/testing\/index\.js$/,
        );
      }
    }
    for (const { file, specifiers } of imports.filter(({ file }) => !file.startsWith('cli/'))) {
      for (const specifier of specifiers) expect(specifier, file).not.toMatch(/cli\//);
    }
  });
});
