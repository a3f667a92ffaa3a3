// `npm run docs:statechart` (with statechart.ts): docs/statechart.svg, the demo page's diagram of the shipped
// machine, laid out by elkjs in Node exactly as the page lays it out in the browser.
import { fileURLToPath } from 'node:url';
import { layoutStatechart, statechartSvg } from '../demo/statechart-drawing.js';
import { etnaAuthMachine } from '../src/machine/etna-auth-machine.js';
import { writeOrCheck } from './generated-file.js';

export const STATECHART_SVG = fileURLToPath(new URL('../docs/statechart.svg', import.meta.url));

/** The SVG of the shipped machine's statechart, as docs/statechart.svg holds it. */
export async function renderStatechartSvg(): Promise<string> {
  return statechartSvg(await layoutStatechart(etnaAuthMachine.root));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeOrCheck(STATECHART_SVG, await renderStatechartSvg(), 'npm run docs:statechart');
}
