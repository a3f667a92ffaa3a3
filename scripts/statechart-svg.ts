// `npm run docs:statechart` (with statechart.ts): docs/statechart.svg, the overview of the shipped machine's
// regions, and docs/statechart/<region>.svg, each region with its states and transitions, laid out by elkjs in
// Node as the demo page lays them out. Each is drawn at its natural size, text at least 11 px, in the direction
// that suits a laptop's screen (no wider than 1200 px when it can be).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DrawnView, layoutStatechart } from '../demo/statechart/layout.js';
import { statechartSvg } from '../demo/statechart/render.js';
import { etnaAuthMachine } from '../src/machine/etna-auth-machine.js';
import { writeOrCheck } from './generated-file.js';

export const STATECHART_SVG = fileURLToPath(new URL('../docs/statechart.svg', import.meta.url));
export const REGION_SVG_DIR = fileURLToPath(new URL('../docs/statechart/', import.meta.url));

/** A laptop's screen, less the browser's chrome: what a picture should fit at 100 %. */
export const SCREEN = { width: 1200, height: 800 } as const;

/** The direction to show a view in: one no wider than the screen if there is one, then the one that fits best. */
export function forScreen(views: readonly DrawnView[]): DrawnView {
  const narrow = views.filter((view) => view.width <= SCREEN.width);
  const candidates = narrow.length > 0 ? narrow : views;
  const score = (view: DrawnView) => Math.min(SCREEN.width / view.width, SCREEN.height / view.height);
  return candidates.reduce((best, next) => (score(next) > score(best) ? next : best));
}

/** Every picture of docs/, by its path under docs/: the overview, then one per region. */
export async function renderStatechartSvgs(): Promise<Map<string, string>> {
  const drawing = await layoutStatechart(etnaAuthMachine.root);
  const overview = forScreen(drawing.views.filter((view) => view.key === ''));
  const files = new Map([
    [
      'statechart.svg',
      statechartSvg(
        overview,
        `The ${drawing.id} statechart's regions: ${drawing.regions.map((r) => r.name).join(', ')}`,
      ),
    ],
  ]);
  for (const region of drawing.regions) {
    const picture = forScreen(drawing.pictures.filter((view) => view.key === region.name));
    files.set(
      `statechart/${region.name}.svg`,
      statechartSvg(
        picture,
        `The ${drawing.id} statechart's region ${region.name}: ${region.states.join(', ')}`,
      ),
    );
  }
  return files;
}

/** The region pictures docs/statechart/ holds now. */
export const committedRegionSvgs = () =>
  readdirSync(REGION_SVG_DIR)
    .filter((name) => name.endsWith('.svg'))
    .map((name) => `statechart/${name}`);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await renderStatechartSvgs();
  mkdirSync(REGION_SVG_DIR, { recursive: true });
  for (const [name, svg] of files)
    writeOrCheck(fileURLToPath(new URL(`../docs/${name}`, import.meta.url)), svg, 'npm run docs:statechart');
  // A region the machine no longer has: its picture goes (or, when checking, is reported).
  for (const name of committedRegionSvgs().filter((committed) => !files.has(committed))) {
    if (process.argv.includes('--write')) rmSync(fileURLToPath(new URL(`../docs/${name}`, import.meta.url)));
    else {
      console.log(`docs/${name} is of no region: npm run docs:statechart`);
      process.exitCode = 1;
    }
  }
}
