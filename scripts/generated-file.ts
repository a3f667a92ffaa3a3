// What the docs generators share: `--write` writes the file, otherwise it is checked (exit 1 when stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

export function writeOrCheck(file: string, next: string, command: string): void {
  const name = relative(process.cwd(), file);
  if (process.argv.includes('--write')) {
    writeFileSync(file, next);
    console.log(`wrote ${name}`);
    return;
  }
  const fresh = readFileSync(file, 'utf8') === next;
  console.log(fresh ? `${name} is up to date` : `${name} is stale: ${command}`);
  if (!fresh) process.exitCode = 1;
}
