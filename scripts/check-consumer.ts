// `npm run check:consumer` (run by .ci/run): installs the package as an app would and uses it. It packs the
// package (`npm pack`, whose prepare script builds dist/), installs the tarball with its peer xstate into a scratch
// project in the system's temp folder, type-checks test/consumer/index.ts there under `strict` without
// `skipLibCheck` (with this repository's TypeScript), and runs it: bob logs in with his PIN against the fake
// server of `etna-auth/testing`, calls the API through `etna-auth/client`, and logs out. The scratch project is
// removed after, and the repository's lockfile and node_modules must be as they were. Exit 1 on any failure.
import { type SpawnOptions, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONSUMER = fileURLToPath(new URL('../test/consumer/', import.meta.url));
/** What the install must leave alone: the repository's lockfile and the record of its node_modules. */
const UNTOUCHED = ['package-lock.json', 'node_modules/.package-lock.json'];
const MINUTES = 60_000;

/**
 * The environment for the npm commands run here: without what `npm run` puts there for this repository's own
 * scripts (its prefix, package and lifecycle), so npm in the scratch project sees only that project.
 */
function npmEnvironment(): NodeJS.ProcessEnv {
  const ownScript =
    /^(npm_config_(local_)?prefix|npm_config_workspaces?|npm_package_|npm_lifecycle_|INIT_CWD$)/i;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !ownScript.test(name)));
}

/** Runs a command, its output collected; rejects with that output when it fails or outlives `timeoutMs`. */
function run(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command} could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else {
        const how = signal
          ? `was stopped (${signal}, limit ${options.timeoutMs / 1000} s)`
          : `exited ${code}`;
        reject(new Error(`${[command, ...args].join(' ')} ${how}:\n${output.trimEnd()}`));
      }
    });
  });
}

const hashOf = (path: string) =>
  existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent';
const fingerprint = () => UNTOUCHED.map((path) => hashOf(join(ROOT, path)));
const tarballsIn = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tgz'));

/** Times one step and says what it did. */
async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  console.log(`  ${what} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  return result;
}

async function checkConsumer(scratch: string): Promise<void> {
  const before = fingerprint();
  const tarballsBefore = tarballsIn(ROOT);
  const env = npmEnvironment();
  await step('npm pack: built and packed', () =>
    run('npm', ['pack', '--silent', '--pack-destination', scratch], {
      cwd: ROOT,
      env,
      timeoutMs: 5 * MINUTES,
    }),
  );
  const [tarball, ...more] = tarballsIn(scratch);
  if (tarball === undefined || more.length > 0) throw new Error(`expected one tarball in ${scratch}`);

  for (const file of ['index.ts', 'tsconfig.json']) copyFileSync(join(CONSUMER, file), join(scratch, file));
  const template = readFileSync(join(CONSUMER, 'package.json'), 'utf8');
  writeFileSync(join(scratch, 'package.json'), template.replace('ETNA_AUTH_TARBALL', `./${tarball}`));
  await step(`npm install ./${tarball} xstate @types/node in a scratch project`, () =>
    run(
      'npm',
      ['install', '--prefix', scratch, '--no-workspaces', '--no-audit', '--no-fund', '--prefer-offline'],
      { cwd: scratch, env, timeoutMs: 5 * MINUTES },
    ),
  );
  const installed = JSON.parse(readFileSync(join(scratch, 'node_modules/etna-auth/package.json'), 'utf8'));
  const xstate = JSON.parse(readFileSync(join(scratch, 'node_modules/xstate/package.json'), 'utf8'));

  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const typescript = JSON.parse(readFileSync(join(tsc, '../../package.json'), 'utf8'));
  await step(
    `tsc ${typescript.version} (strict, no skipLibCheck): index.ts type-checks against the package`,
    () =>
      run(process.execPath, [tsc, '-p', join(scratch, 'tsconfig.json')], {
        cwd: scratch,
        timeoutMs: 5 * MINUTES,
      }),
  );
  const printed = await step('node out/index.js: logged in with the PIN, called the API, logged out', () =>
    run(process.execPath, [join(scratch, 'out/index.js')], { cwd: scratch, timeoutMs: 2 * MINUTES }),
  );
  console.log(printed.trimEnd().replace(/^/gm, '    | '));

  const changed = UNTOUCHED.filter((_, index) => fingerprint()[index] !== before[index]);
  if (changed.length > 0)
    throw new Error(`the scratch install changed the repository's ${changed.join(', ')}`);
  const left = tarballsIn(ROOT).filter((name) => !tarballsBefore.includes(name));
  if (left.length > 0) throw new Error(`npm pack left ${left.join(', ')} in the repository`);
  console.log(`  etna-auth ${installed.version} with xstate ${xstate.version}: used as an app would`);
}

const started = performance.now();
const scratch = mkdtempSync(join(tmpdir(), 'etna-auth-consumer-'));
// Removed however the check ends: a stop by signal included.
const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
if (!relative(ROOT, scratch).startsWith('..')) {
  removeScratch();
  throw new Error(`the scratch project ${scratch} is inside the repository: set TMPDIR elsewhere`);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removeScratch();
    process.exit(1);
  });
}
console.log(`check:consumer in ${scratch}`);
try {
  await checkConsumer(scratch);
  console.log(`check:consumer passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`check:consumer failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  removeScratch();
}
