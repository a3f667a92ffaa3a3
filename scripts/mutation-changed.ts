// `npm run test:mutation:changed [-- --base <ref>]`: Stryker on the lines a change touched, before a commit.
// The changed lines of the mutated folders (stryker.config.mjs), against HEAD (what is not committed yet) or
// `--base`, become mutation ranges (`file:start-end`), so only their mutants run: minutes, not the whole run's 40.
import { execFileSync, spawnSync } from 'node:child_process';

const argument = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const base = argument('--base') ?? 'HEAD';

/** Stryker's own configuration, read as it reads it. */
const configUrl = new URL('../stryker.config.mjs', import.meta.url).href;
const { default: config } = (await import(configUrl)) as { default: { mutate: string[] } };

/** The folders and files Stryker mutates, as path prefixes. */
const scopes = config.mutate.map((glob) => glob.replace(/\*\*\/\*\.ts$|\*\.ts$/, ''));
const inScope = (file: string) => file.endsWith('.ts') && scopes.some((scope) => file.startsWith(scope));

/** `file:start-end` for each added or changed hunk of the diff against `base` (new side of the diff). */
function changedRanges(): string[] {
  const diff = execFileSync('git', ['diff', '--unified=0', '--no-color', base, '--', 'src'], {
    encoding: 'utf8',
  });
  const ranges: string[] = [];
  let file: string | undefined;
  for (const line of diff.split('\n')) {
    const target = /^\+\+\+ b\/(.+)$/.exec(line);
    if (target) file = target[1];
    const hunk = /^@@ -\S+ \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && file && inScope(file)) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      if (count > 0) ranges.push(`${file}:${start}-${start + count - 1}`);
    }
  }
  return ranges;
}

const ranges = changedRanges();
if (ranges.length === 0) {
  console.log(`No changed lines under ${scopes.join(', ')} since ${base}: nothing to mutate.`);
} else {
  console.log(`Mutating ${ranges.length} changed range(s) since ${base}:\n  ${ranges.join('\n  ')}`);
  const run = spawnSync('npx', ['stryker', 'run', '--mutate', ranges.join(',')], { stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
}
