// The README is for the person deciding: short, Install near the top and true today, a Quick start that is the
// consumer CI installs and runs (test/consumer/index.ts, word for word), the demo users as the fake server has
// them, and links that lead somewhere.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_USERS, type FakeEtnaUser } from '../src/testing/demo-users.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const readme = read('../README.md');
const pkg = JSON.parse(read('../package.json'));

/** The body of the fenced block of `language` right after a heading. */
function firstBlockAfter(markdown: string, heading: string, language: string): string | undefined {
  const section = markdown.slice(markdown.indexOf(`\n${heading}\n`));
  return new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(section)?.[1];
}

/** A Markdown table's rows (not its header or rule) as cells, from the line after `heading`. */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.slice(markdown.indexOf(`\n${heading}\n`)).split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const rows = lines
    .slice(start)
    .filter((_, index, all) => all.slice(0, index + 1).every((line) => line.startsWith('|')));
  return rows.slice(2).map((row) =>
    row
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim()),
  );
}

/** The cells of the demo-user table that hold credentials, as the fake server's table has them. */
const credentialsOf = (user: FakeEtnaUser) => [
  user.username,
  user.password,
  user.pin ?? '',
  user.verificationCode ?? (user.rotatingCodes ? 'a new one each time, in the mailbox' : ''),
  user.email ?? '',
  user.secretQuestion?.answer ?? '',
];

describe('README.md', () => {
  it('is under 20 KB, with Install in its first 40 lines', () => {
    expect(Buffer.byteLength(readme)).toBeLessThan(20_000);
    const install = readme.split('\n').indexOf('## Install');
    expect(install).toBeGreaterThan(0);
    expect(install).toBeLessThan(40);
  });

  it("installs as is true today: the repository's git URL, the packed tarball of this version, then the registry", () => {
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## Quick start'));
    expect(install).toContain(`npm install ${pkg.repository.url} xstate\n`);
    expect(install).toContain(`npm ci && npm pack\n`);
    expect(install).toContain(`npm install ../etna-auth/${pkg.name}-${pkg.version}.tgz xstate\n`);
    expect(install).toContain(`npm install ${pkg.name} xstate\n`);
    expect(pkg.scripts.prepare, 'a git install builds dist/ only through prepare').toMatch(/build/);
  });

  it('has for its Quick start the consumer that CI type-checks and runs (test/consumer/index.ts)', () => {
    expect(firstBlockAfter(readme, '## Quick start', 'ts')).toBe(read('consumer/index.ts'));
  });

  it('lists every demo user with every credential, as DEMO_USERS has them', () => {
    const rows = tableAfter(readme, '## The demo users');
    expect(rows.map((cells) => cells.slice(0, 6))).toEqual(DEMO_USERS.map(credentialsOf));
    for (const cells of rows) expect(cells[6], cells[0]).toMatch(/\w/);
  });

  it.each([
    '../README.md',
    '../CONTRIBUTING.md',
    '../docs/demo.md',
    '../docs/states.md',
    '../docs/testing.md',
  ])('%s links only to files that exist, and pads no table column', (path) => {
    const text = read(path);
    const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map(([, target]) => target ?? '')
      .filter((target) => !/^[a-z]+:/.test(target));
    expect(links.length).toBeGreaterThan(0);
    const base = new URL(path, import.meta.url);
    expect(links.filter((target) => !existsSync(new URL(target, base)))).toEqual([]);
    const padded = text
      .split('\n')
      .filter((line) => line.startsWith('|') && /[^|\s] {2,}\||\| {2,}[^|\s]/.test(line));
    expect(padded).toEqual([]);
  });
});
