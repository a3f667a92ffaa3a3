// `npm run check:pack` (run by .ci/run): what `npm pack --dry-run` would publish must be exactly the list in
// scripts/package-files.txt, and the package must be ready to publish: its LICENSE, its repository, homepage and
// bugs, and a CHANGELOG.md whose latest release (read by keep-a-changelog, which keeps the file) is this
// version. `npm run check:pack -- --write` rewrites the list after a file was added to or removed from src/.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LIST = fileURLToPath(new URL('package-files.txt', import.meta.url));
const HEADER =
  '# What `npm pack` publishes, one path a line: checked by `npm run check:pack` (scripts/check-pack.ts).\n';

const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: ROOT, encoding: 'utf8' });

/** The files `npm pack --dry-run` lists (the prepare script builds dist/ first), sorted. */
export function packedFiles(): string[] {
  const [report] = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--silent'])) as {
    files: { path: string }[];
  }[];
  return (report?.files ?? []).map((file) => file.path).sort();
}

/** What is missing from or extra to `expected`, in words; empty when the two lists agree. */
export function differences(expected: readonly string[], actual: readonly string[]): string[] {
  const missing = expected.filter((path) => !actual.includes(path));
  const extra = actual.filter((path) => !expected.includes(path));
  return [
    ...missing.map((path) => `not in the package, but listed: ${path}`),
    ...extra.map((path) => `in the package, but not listed: ${path}`),
  ];
}

/** What a package needs before `npm publish`, besides its files. */
export function publishProblems(): string[] {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'));
  const problems: string[] = [];
  if (!existsSync(`${ROOT}LICENSE`)) problems.push('no LICENSE file');
  else if (pkg.license === 'MIT' && !readFileSync(`${ROOT}LICENSE`, 'utf8').startsWith('MIT License'))
    problems.push('package.json says MIT, LICENSE does not');
  for (const field of ['repository', 'homepage', 'bugs']) {
    if (!pkg[field]) problems.push(`package.json has no "${field}"`);
  }
  const latest = run('npx', ['changelog', '--latest-release']).trim();
  if (latest !== pkg.version) {
    problems.push(`CHANGELOG.md's latest release is ${latest || 'none'}, package.json says ${pkg.version}`);
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const actual = packedFiles();
  if (process.argv.includes('--write')) {
    writeFileSync(LIST, `${HEADER}${actual.join('\n')}\n`);
    console.log(`wrote ${actual.length} paths to scripts/package-files.txt`);
  } else {
    const expected = readFileSync(LIST, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    const problems = [...differences(expected, actual), ...publishProblems()];
    if (problems.length > 0) {
      console.error(`npm pack --dry-run: the package is not as it should be:\n  ${problems.join('\n  ')}`);
      console.error('(a file added to or removed from src/ on purpose: npm run check:pack -- --write)');
      process.exitCode = 1;
    } else {
      console.log(
        `npm pack --dry-run: the ${actual.length} files listed; LICENSE, repository, homepage, bugs and CHANGELOG in order`,
      );
    }
  }
}
