// The shipped CLI (the package's bin) loads the testing kit only for --demo: nothing it imports statically,
// directly or through other modules, is in src/testing. Type-only imports are erased from the build and do not
// count; a dynamic `import()` is how --demo loads the fake server.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;
const BIN = resolve(SRC, 'cli/etna-auth.ts');

/** The module specifiers of one file: those that stay in the emitted JavaScript, and the dynamic ones. */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = { static: [] as string[], dynamic: [] as string[] };
  const visit = (node: ts.Node) => {
    // `import type …` and `export type … from` are erased; under verbatimModuleSyntax, `import { type X }`
    // is not (it stays as `import {} from …`), so it counts.
    if (
      ts.isImportDeclaration(node) &&
      !node.importClause?.isTypeOnly &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.static.push(node.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.static.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.dynamic.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A relative specifier as the source file it names (`./x.js` is `./x.ts`); undefined for packages and node:. */
function sourceOf(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const file = resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
  if (!existsSync(file)) throw new Error(`${relative(SRC, from)}: cannot find ${specifier}`);
  return file;
}

/** Every source file `entry` loads statically, itself included, as paths relative to src/. */
function staticGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of importsOf(file).static) {
      const next = sourceOf(file, specifier);
      if (next) visit(next);
    }
  };
  visit(entry);
  return [...seen].map((file) => relative(SRC, file)).sort();
}

describe('etna-auth, the shipped CLI, and the testing kit', () => {
  const graph = staticGraph(BIN);

  it('never reaches src/testing through a static import, from its bin down', () => {
    // Not vacuous: the walk goes through the CLI and into the library.
    expect(graph).toEqual(
      expect.arrayContaining(['cli/etna-auth.ts', 'cli/login.ts', 'cli/demo.ts', 'index.ts']),
    );
    expect(graph.filter((file) => file.startsWith('testing/'))).toEqual([]);
  });

  it('loads the testing kit with a dynamic import(), in src/cli/demo.ts only', () => {
    const loaders = graph.filter((file) =>
      importsOf(resolve(SRC, file)).dynamic.some((specifier) =>
        sourceOf(resolve(SRC, file), specifier)?.startsWith(resolve(SRC, 'testing')),
      ),
    );
    expect(loaders).toEqual(['cli/demo.ts']);
  });

  it('would notice a static import of the testing kit', () => {
    // The walk itself, on a file known to import the kit statically.
    expect(staticGraph(new URL('etna-auth.test.ts', import.meta.url).pathname)).toContain('testing/index.ts');
  });
});
