// Self time of a `.cpuprofile` by function and file, the heaviest first: where a loop of logins spends its time.
// `node --import tsx bench/profile-summary.ts <file>.cpuprofile [rows]`; `--by-file` sums by file instead.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, rowsArgument] = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
if (!file) throw new Error('usage: profile-summary.ts <file>.cpuprofile [rows] [--by-file]');
const byFile = process.argv.includes('--by-file');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const frame = nodes.get(id)?.callFrame;
  const delta = profile.timeDeltas[index] ?? 0;
  total += delta;
  if (!frame) return;
  const where = frame.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/');
  const key = byFile
    ? where || '(native)'
    : `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + delta);
});
const rows = [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsArgument ?? 40));
for (const [key, micros] of rows) {
  console.log(
    `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}`,
  );
}
