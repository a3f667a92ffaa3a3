// A laid-out view of the chart as SVG markup: states carry `data-state`, regions `data-region`, arrows
// `data-edge` (a transition) or `data-link` (the events between two closed regions), for the page to mark.
import { FONT, LINE, rowsOf } from './graph.js';
import type { DrawnArrow, DrawnBox, DrawnLine, DrawnView } from './layout.js';

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const round = (value: number) => Math.round(value * 10) / 10;
/** The advance of one character of a label, to indent a guard put on a line of its own. */
const CHAR_WIDTH = FONT.label * 0.6;
const MONO = 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace';

/** The drawing's own styles, inside the SVG, so the files in docs/ look like the page. */
export const STATECHART_STYLE = `
.sc-state > rect, .sc-region > rect { fill: #ffffff; stroke: #9aa4b8; stroke-width: 1.2; }
.sc-region > rect { fill: #eef2fa; stroke: #5b6b8c; stroke-width: 1.6; }
.sc-region.sc-open > rect { fill: #fbfcfe; }
.sc-state.sc-compound > rect { fill: #f6f8fc; }
.sc-name { font: 700 ${FONT.name}px ${MONO}; fill: #1d2433; }
.sc-note, .sc-via, .sc-edge text, .sc-link text { font: ${FONT.label}px ${MONO}; fill: #1d2433; }
.sc-note { fill: #5b6476; }
.sc-via { font-weight: 700; fill: #3d4a66; }
.sc-edge > path, .sc-link > path { fill: none; stroke: #8792a8; stroke-width: 1.3; }
.sc-link > path { stroke: #5b6b8c; stroke-width: 2; }
.sc-edge > rect, .sc-link > rect { fill: #ffffff; fill-opacity: 0.92; }
.sc-link text { font-weight: 700; fill: #3d4a66; }
.sc-dot { fill: #1d2433; }
.sc-state.active > rect, .sc-region.active > rect { fill: #e6edfc; stroke: #2457d6; stroke-width: 2.5; }
.sc-state.sc-compound.active > rect, .sc-region.sc-open.active > rect { fill: #f7f9ff; }
.sc-edge.taken > path, .sc-link.taken > path { stroke: #d9480f; stroke-width: 2.5; marker-end: url(#sc-arrow-taken); }
.sc-edge text.taken, .sc-link.taken text { fill: #d9480f; font-weight: 700; }
`;

function arrowHead(id: string, color: string): string {
  return `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`;
}

/** The arrowheads every view uses, once per SVG document. */
export const STATECHART_DEFS = `<defs>${arrowHead('sc-arrow', '#8792a8')}${arrowHead('sc-arrow-taken', '#d9480f')}</defs>`;

/** The text rows of a label from its top-left corner: a row broken before a guard is indented. */
function rowsMarkup(rows: readonly string[], x: number, top: number): string {
  return rows
    .map((row, n) => {
      const indent = row.length - row.trimStart().length;
      return `<tspan x="${round(x + indent * CHAR_WIDTH)}" y="${round(top + (n + 1) * LINE.label - 4)}">${xml(row.trimStart())}</tspan>`;
    })
    .join('');
}

/** A line written in a state's box at `row`: a transition (indented, marked like an arrow) or a `via` line. */
function writtenMarkup(line: DrawnLine, box: DrawnBox, row: number): string {
  const x = box.x + 8;
  const top = box.y + 6 + LINE.name + row * LINE.label;
  if (line.via)
    return `<text class="sc-via" x="${round(x)}" y="${round(top + LINE.label - 4)}">${xml(line.text)}</text>`;
  const text = `<text data-line="0">${rowsMarkup(rowsOf(line.text), x + 2 * CHAR_WIDTH, top)}</text>`;
  return `<g class="sc-edge sc-written" data-edge="${xml(line.id ?? '')}" data-source="${xml(line.source ?? '')}" data-target="${xml(line.target ?? '')}" data-event="${xml(line.event ?? '')}">${text}</g>`;
}

function boxMarkup(box: DrawnBox, interactive: boolean): string {
  const inside = box.compound;
  const textX = round(box.x + (inside ? 10 : box.width / 2));
  const anchor = inside ? 'start' : 'middle';
  const lines = [
    `<text class="sc-name" x="${textX}" y="${round(box.y + 6 + LINE.name - 4)}" text-anchor="${anchor}">${xml(box.name)}</text>`,
    ...box.notes.map(
      (note, i) =>
        `<text class="sc-note" x="${textX}" y="${round(box.y + 6 + LINE.name + (i + 1) * LINE.label - 4)}" text-anchor="${anchor}">${xml(note)}</text>`,
    ),
  ];
  let row = box.notes.length;
  for (const line of box.written) {
    lines.push(writtenMarkup(line, box, row));
    row += line.via ? 1 : rowsOf(line.text).length;
  }
  const rect = `<rect x="${round(box.x)}" y="${round(box.y)}" width="${round(box.width)}" height="${round(box.height)}" rx="8"/>`;
  if (box.kind === 'state') {
    const classes = `sc-state${box.compound ? ' sc-compound' : ''}`;
    return `<g class="${classes}" data-state="${xml(box.path ?? '')}">${rect}${lines.join('')}</g>`;
  }
  const open = box.compound ? ' sc-open' : '';
  // Named by its text (the region and its states): an aria-label naming a region would be found by a search
  // for a form field's label ("Password" in passwordChange).
  const control = interactive && !box.compound ? ' tabindex="0" role="button"' : '';
  return `<g class="sc-region${open}" data-region="${xml(box.region)}"${control}>${rect}${lines.join('')}</g>`;
}

function arrowMarkup(arrow: DrawnArrow): string {
  const d = arrow.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
  const label = arrow.labelBox;
  const texts: string[] = [];
  if (label) {
    texts.push(
      `<rect x="${round(label.x)}" y="${round(label.y)}" width="${round(label.width)}" height="${round(label.height)}" rx="3"/>`,
    );
    let row = 0;
    arrow.lines.forEach((line, i) => {
      // A long line breaks before its guard: one text still, so it reads (and is found) as one label.
      const rows = rowsOf(line.text);
      const markup = rowsMarkup(rows, label.x + 4, label.y + 2 + row * LINE.label);
      row += rows.length;
      texts.push(`<text${line.via ? ' class="sc-via"' : ` data-line="${i}"`}>${markup}</text>`);
    });
  }
  const path = `<path d="${d}" marker-end="url(#sc-arrow)"/>`;
  if (arrow.kind === 'link') {
    const title = `<title>${xml(`${arrow.sources[0]} → ${arrow.targets[0]}: ${arrow.events.join(', ')}`)}</title>`;
    return `<g class="sc-link" data-link="${xml(arrow.id)}" data-from="${xml(arrow.sources[0] ?? '')}" data-to="${xml(arrow.targets[0] ?? '')}">${title}${path}${texts.join('')}</g>`;
  }
  const event = arrow.kind === 'initial' ? '' : ` data-event="${xml(arrow.events.join(' '))}"`;
  return `<g class="sc-edge" data-edge="${xml(arrow.id)}" data-source="${xml(arrow.sources.join(' '))}" data-target="${xml(arrow.targets.join(' '))}"${event}>${path}${texts.join('')}</g>`;
}

/** One view's boxes, dots and arrows as an SVG group. `interactive` makes closed regions focusable buttons. */
export function viewMarkup(view: DrawnView, interactive = false): string {
  return [
    `<g class="sc-view" data-view="${xml(view.key)}" data-direction="${view.direction}">`,
    ...view.boxes.map((box) => boxMarkup(box, interactive)),
    ...view.dots.map((dot) => {
      const r = dot.width / 2;
      return `<circle class="sc-dot" cx="${round(dot.x + r)}" cy="${round(dot.y + r)}" r="${round(r - 1)}"/>`;
    }),
    ...view.arrows.map(arrowMarkup),
    '</g>',
  ].join('\n');
}

/** One view as an SVG document of its natural size (1 unit = 1 px), as docs/ holds it. */
export function statechartSvg(view: DrawnView, title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${view.width} ${view.height}" width="${view.width}" height="${view.height}" role="img" aria-labelledby="sc-title">`,
    `<title id="sc-title">${xml(title)}</title>`,
    `<style>${STATECHART_STYLE}</style>`,
    STATECHART_DEFS,
    viewMarkup(view),
    '</svg>\n',
  ].join('\n');
}
