// Reads the package's public API with the TypeScript compiler: every entry that package.json `exports` declares,
// every name it exports, with its signature as the source declares it and its TSDoc (summary, @default,
// @example), so docs/api/ is written from the code itself.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type ApiKind = 'function' | 'class' | 'constant' | 'interface' | 'type';

/** One documented name: an export, or a member of an exported interface or class. */
export interface ApiItem {
  readonly name: string;
  readonly kind: ApiKind | 'member';
  /** The declaration as TypeScript code: a signature, a type, a member. */
  readonly signature: string;
  readonly summary: string;
  /** The @default tag, a constant it names followed by that constant's value. */
  readonly defaultValue: string | undefined;
  readonly example: string | undefined;
  /** False for an optional member, which may then have a default. */
  readonly required: boolean;
  readonly members: readonly ApiItem[];
}

/** An exported type alias, by which an inferred type is named when it is that type. */
interface NamedType {
  readonly name: string;
  readonly type: ts.Type;
}

export interface ApiEntry {
  /** As an app imports it: `etna-auth`, `etna-auth/client`. */
  readonly specifier: string;
  /** The entry's source, relative to the repository: `src/client/index.ts`. */
  readonly source: string;
  /** The comment at the top of the entry's source, if any. */
  readonly summary: string;
  readonly exports: readonly ApiItem[];
}

/** The package's entries as package.json `exports` declares them, each with the source its types are built from. */
export function packageEntries(): { specifier: string; source: string }[] {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'));
  return Object.entries(pkg.exports as Record<string, string | { types?: string }>).flatMap(
    ([key, target]) => {
      const types = typeof target === 'string' ? undefined : target.types;
      if (types === undefined) return [];
      const source = types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts');
      return [{ specifier: key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`, source }];
    },
  );
}

function createProgram(sources: readonly string[]): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(
    `${ROOT}tsconfig.build.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.build.json could not be read');
  return ts.createProgram(
    sources.map((source) => `${ROOT}${source}`),
    { ...config.options, noEmit: true },
  );
}

/** Source text with its indentation taken back to the first line's. */
function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines
    .slice(1)
    .filter((line) => line.trim())
    .map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const least = Math.min(...indents, Number.POSITIVE_INFINITY);
  return lines
    .map((line, index) => (index === 0 || least === Number.POSITIVE_INFINITY ? line : line.slice(least)))
    .join('\n');
}

const LINK = /\{@link(?:code|plain)?\s+([^}\s|]+)(?:[\s|]+([^}]*))?\}/g;
/** `{@link X}` as code, `{@link X text}` as its text. */
const withoutLinks = (text: string) =>
  text.replace(LINK, (_, target: string, label?: string) => label?.trim() || `\`${target}\``);

/** The leading comment of a source file: its `//` lines up to the first blank line or statement. */
function fileComment(file: ts.SourceFile): string {
  const lines: string[] = [];
  for (const line of file.text.split('\n')) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/\s?/, ''));
  }
  return lines.join(' ').trim();
}

export function readApi(): ApiEntry[] {
  const entries = packageEntries();
  const program = createProgram(entries.map((entry) => entry.source));
  const checker = program.getTypeChecker();
  const printer = ts.createPrinter({ removeComments: true });
  /** Literal values of exported constants, by name, for `@default {@link CONSTANT}`. */
  const constants = new Map<string, string>();

  const resolve = (symbol: ts.Symbol) =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const tag = (symbol: ts.Symbol, name: string) => {
    const found = symbol.getJsDocTags(checker).find((each) => each.name === name);
    return found && ts.displayPartsToString(found.text).trim();
  };
  const summaryOf = (symbol: ts.Symbol) =>
    withoutLinks(ts.displayPartsToString(symbol.getDocumentationComment(checker)));
  const exampleOf = (symbol: ts.Symbol) =>
    tag(symbol, 'example')
      ?.replace(/^```\w*\n?|\n?```$/g, '')
      .trim() || undefined;
  const defaultOf = (symbol: ts.Symbol) => {
    const text = tag(symbol, 'default');
    if (text === undefined) return undefined;
    return withoutLinks(text).replace(/^`([A-Z][A-Z0-9_]+)`/, (named, constant: string) =>
      constants.has(constant) ? `${named} (\`${constants.get(constant)}\`)` : named,
    );
  };
  /** A function's return type as declared, else the name of an exported type it is, else as the checker prints it. */
  const returnTypeOf = (declaration: ts.SignatureDeclaration, exportedTypes: readonly NamedType[]) => {
    if (declaration.type) return declaration.type.getText();
    const signature = checker.getSignatureFromDeclaration(declaration);
    if (!signature) return 'unknown';
    const type = checker.getReturnTypeOfSignature(signature);
    const named = exportedTypes.find(
      (each) => checker.isTypeAssignableTo(type, each.type) && checker.isTypeAssignableTo(each.type, type),
    );
    return named?.name ?? checker.typeToString(type);
  };
  /** A type as the checker infers it, an object literal's members one a line. */
  const multiline = (type: ts.Type, at: ts.Node) => {
    const flags = ts.NodeBuilderFlags.MultilineObjectLiterals | ts.NodeBuilderFlags.NoTruncation;
    const node = checker.typeToTypeNode(type, at, flags);
    return node
      ? printer.printNode(ts.EmitHint.Unspecified, node, at.getSourceFile())
      : checker.typeToString(type);
  };
  const parametersOf = (declaration: ts.SignatureDeclaration) =>
    `${declaration.typeParameters ? `<${declaration.typeParameters.map((each) => each.getText()).join(', ')}>` : ''}(${declaration.parameters.map((each) => each.getText()).join(', ')})`;

  function memberOf(
    symbol: ts.Symbol,
    exportedTypes: readonly NamedType[],
    className = '',
  ): ApiItem | undefined {
    const declaration = symbol.declarations?.[0];
    if (!declaration) return undefined;
    const modifiers = ts.getCombinedModifierFlags(declaration);
    if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return undefined;
    const name = (declaration as ts.NamedDeclaration).name;
    if (name && (ts.isPrivateIdentifier(name) || ts.isComputedPropertyName(name))) return undefined;
    const optional = (symbol.flags & ts.SymbolFlags.Optional) !== 0;
    const readonly = modifiers & ts.ModifierFlags.Readonly ? 'readonly ' : '';
    let signature: string;
    const isStatic = modifiers & ts.ModifierFlags.Static ? 'static ' : '';
    if (ts.isMethodSignature(declaration) || ts.isMethodDeclaration(declaration)) {
      signature = `${isStatic}${symbol.name}${optional ? '?' : ''}${parametersOf(declaration)}: ${returnTypeOf(declaration, exportedTypes)}`;
    } else if (ts.isConstructorDeclaration(declaration)) {
      signature = `new ${className}${parametersOf(declaration)}`;
    } else if (
      (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration)) &&
      declaration.type
    ) {
      signature = `${isStatic}${readonly}${symbol.name}${optional ? '?' : ''}: ${dedent(declaration.type.getText())}`;
    } else {
      const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
      signature = `${readonly}${symbol.name}${optional ? '?' : ''}: ${checker.typeToString(type)}`;
    }
    return {
      name: ts.isConstructorDeclaration(declaration) ? 'constructor' : symbol.name,
      kind: 'member',
      signature: dedent(signature),
      summary: summaryOf(symbol),
      defaultValue: defaultOf(symbol),
      example: exampleOf(symbol),
      required: !optional,
      members: [],
    };
  }

  function exportOf(name: string, symbol: ts.Symbol, exportedTypes: readonly NamedType[]): ApiItem {
    const declaration = symbol.declarations?.[0];
    if (!declaration) throw new Error(`${name} has no declaration`);
    const base = {
      name,
      summary: summaryOf(symbol),
      defaultValue: defaultOf(symbol),
      example: exampleOf(symbol),
      required: true,
    };
    const membersOf = (symbols: Iterable<ts.Symbol>) =>
      [...symbols].flatMap((member) => memberOf(member, exportedTypes, name) ?? []);
    if (ts.isFunctionDeclaration(declaration)) {
      const signatures = (symbol.declarations ?? [])
        .filter(ts.isFunctionDeclaration)
        .filter((each) => each.body === undefined || (symbol.declarations?.length ?? 0) === 1);
      return {
        ...base,
        kind: 'function',
        signature: signatures
          .map((each) => `function ${name}${parametersOf(each)}: ${returnTypeOf(each, exportedTypes)}`)
          .join('\n'),
        members: [],
      };
    }
    if (ts.isClassDeclaration(declaration)) {
      const heritage = declaration.heritageClauses?.map((clause) => ` ${clause.getText()}`).join('') ?? '';
      const construct = symbol.members?.get(ts.InternalSymbolName.Constructor);
      const own = [...(symbol.members?.values() ?? [])].filter((member) => member !== construct);
      return {
        ...base,
        kind: 'class',
        signature: `class ${name}${heritage}`,
        members: membersOf(
          [...(construct ? [construct] : []), ...own, ...(symbol.exports?.values() ?? [])].filter(
            (member) => member.name !== 'prototype',
          ),
        ),
      };
    }
    if (ts.isInterfaceDeclaration(declaration)) {
      const typeParameters = declaration.typeParameters
        ? `<${declaration.typeParameters.map((each) => each.getText()).join(', ')}>`
        : '';
      const heritage = declaration.heritageClauses?.map((clause) => ` ${clause.getText()}`).join('') ?? '';
      // Inherited members too: an interface built from groups (`EtnaAuthContext`) is read as one.
      const members = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol));
      return {
        ...base,
        kind: 'interface',
        signature: `interface ${name}${typeParameters}${heritage}`,
        members: membersOf(members),
      };
    }
    if (ts.isTypeAliasDeclaration(declaration)) {
      const typeParameters = declaration.typeParameters
        ? `<${declaration.typeParameters.map((each) => each.getText()).join(', ')}>`
        : '';
      const text = printer.printNode(ts.EmitHint.Unspecified, declaration.type, declaration.getSourceFile());
      return { ...base, kind: 'type', signature: `type ${name}${typeParameters} = ${text}`, members: [] };
    }
    if (ts.isVariableDeclaration(declaration)) {
      const value = declaration.initializer?.getText();
      const literal = value !== undefined && /^(['"`-]|\d|true$|false$)/.test(value) && !value.includes('\n');
      const type = declaration.type
        ? `: ${declaration.type.getText()}`
        : literal
          ? ''
          : `: ${multiline(checker.getTypeOfSymbolAtLocation(symbol, declaration), declaration)}`;
      return {
        ...base,
        kind: 'constant',
        signature: `const ${name}${type}${literal ? ` = ${value}` : ''}`,
        members: [],
      };
    }
    throw new Error(
      `${name}: a ${ts.SyntaxKind[declaration.kind]} is not a kind of export this reference knows`,
    );
  }

  const modules = entries.map((entry) => {
    const file = program.getSourceFile(`${ROOT}${entry.source}`);
    if (!file) throw new Error(`${entry.source} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(file);
    if (!moduleSymbol) throw new Error(`${entry.source} exports nothing`);
    const named = checker
      .getExportsOfModule(moduleSymbol)
      .map((symbol) => ({ name: symbol.name, symbol: resolve(symbol) }));
    return { entry, file, named };
  });
  for (const { named } of modules) {
    for (const { name, symbol } of named) {
      const declaration = symbol.declarations?.[0];
      const value =
        declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer?.getText() : undefined;
      if (value !== undefined && /^(['"]|-?\d|true$|false$)/.test(value)) constants.set(name, value);
    }
  }
  const exportedTypes = modules.flatMap(({ named }) =>
    named
      .filter(({ symbol }) => symbol.flags & ts.SymbolFlags.TypeAlias)
      .map(({ name, symbol }) => ({ name, type: checker.getDeclaredTypeOfSymbol(symbol) })),
  );
  return modules.map(({ entry, file, named }) => ({
    ...entry,
    summary: fileComment(file),
    exports: named
      .map(({ name, symbol }) => exportOf(name, symbol, exportedTypes))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' })),
  }));
}
