// `npm run docs:api`: writes docs/api/ (one Markdown file per entry of the package, and an index) from the
// TSDoc in src/; without `--write` it checks them and exits 1 when one is stale or left over.
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readApi } from './api-reference/read.js';
import { fileOf, renderEntry, renderIndex } from './api-reference/render.js';
import { writeOrCheck } from './generated-file.js';

const DIR = fileURLToPath(new URL('../docs/api/', import.meta.url));
const INDEX = 'README.md';

/** Every file of docs/api/ with what it must hold. */
export function renderApiReference(): Map<string, string> {
  const entries = readApi();
  return new Map([
    [INDEX, renderIndex(entries)],
    ...entries.map((entry) => [fileOf(entry), renderEntry(entry)] as const),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = renderApiReference();
  for (const [name, text] of files) writeOrCheck(`${DIR}${name}`, text, 'npm run docs:api');
  for (const name of readdirSync(DIR).filter((each) => each.endsWith('.md') && !files.has(each))) {
    if (process.argv.includes('--write')) rmSync(`${DIR}${name}`);
    else {
      console.log(`docs/api/${name} is left over from an entry that is gone: npm run docs:api`);
      process.exitCode = 1;
    }
  }
}
