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
    for (const { file, specifiers } of imports.filter(({ file }) => !file.startsWith('testing/'))) {
      for (const specifier of specifiers) expect(specifier, file).not.toMatch(/testing\/|^node:/);
    }
  });
});
