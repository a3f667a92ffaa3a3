// docs/statechart.svg, docs/statechart/<region>.svg and the demo's panel: one drawing (demo/statechart/), from
// the machine alone: an overview of its regions, and each region opened with its states and transitions.
import { readFileSync } from 'node:fs';
import type { ElkNode } from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { type AnyStateNode, createMachine } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { FONT } from '../../demo/statechart/graph.js';
import {
  DIRECTIONS,
  layoutStatechart,
  placeStatechart,
  type StatechartDrawing,
} from '../../demo/statechart/layout.js';
import { regionLinks, regionsOf, transitionsOf } from '../../demo/statechart/regions.js';
import { viewMarkup } from '../../demo/statechart/render.js';
import { committedRegionSvgs, renderStatechartSvgs, SCREEN } from '../../scripts/statechart-svg.js';
import { etnaAuthMachine } from '../../src/machine/etna-auth-machine.js';

const pathsOf = (root: AnyStateNode) => getStateNodes(root).map((node) => node.path.join('.'));
const drawnStates = (drawing: StatechartDrawing, direction: string) =>
  drawing.views
    .filter((view) => view.direction === direction)
    .flatMap((view) => view.boxes.flatMap((box) => (box.path === undefined ? [] : [box.path])));

describe('docs/statechart.svg and docs/statechart/', () => {
  it('hold what the machine draws now (run npm run docs:statechart after changing the machine)', async () => {
    const files = await renderStatechartSvgs();
    for (const [name, svg] of files) {
      const committed = readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
      // toBe on a whole SVG would print it all: say what to do instead.
      expect(committed === svg, `docs/${name} is stale: npm run docs:statechart`).toBe(true);
    }
    expect(committedRegionSvgs().sort()).toEqual(
      [...files.keys()].filter((name) => name !== 'statechart.svg').sort(),
    );
  });

  it('draw each picture at its natural size for a laptop screen: no wider than it, no text under 11 px', async () => {
    for (const [name, svg] of await renderStatechartSvgs()) {
      const width = Number(/<svg [^>]*width="(\d+)"/.exec(svg)?.[1]);
      const viewBoxWidth = Number(/viewBox="0 0 (\d+) /.exec(svg)?.[1]);
      expect(width, name).toBeLessThanOrEqual(SCREEN.width);
      expect(width, `${name} is drawn at 1 unit per pixel`).toBe(viewBoxWidth);
      const sizes = [...svg.matchAll(/font: (?:\d+ )?(\d+)px/g)].map((match) => Number(match[1]));
      expect(sizes.length, name).toBeGreaterThan(0);
      expect(Math.min(...sizes), name).toBeGreaterThanOrEqual(11);
      expect(svg, `${name} has no transform that would shrink its text`).not.toMatch(/scale\(/);
    }
    expect(Math.min(FONT.label, FONT.name)).toBeGreaterThanOrEqual(11);
  });
});

describe('the regions', () => {
  it("are read from each top-level state's meta.region, in the machine's order", () => {
    expect(
      regionsOf(etnaAuthMachine.root).map((region) => [region.name, region.states.map((state) => state.key)]),
    ).toEqual([
      ['login', ['restoring', 'idle', 'authenticating', 'expecting']],
      ['pinSetup', ['pinSetup']],
      ['passwordChange', ['passwordChange']],
      ['passwordReset', ['passwordReset']],
      ['session', ['succeeded', 'loggingOut']],
      ['outcomes', ['failed', 'error']],
    ]);
  });

  it('are joined by one link per pair and direction a transition crosses, labelled with the events that cross', async () => {
    const links = regionLinks(etnaAuthMachine.root);
    const crossing = new Set<string>();
    for (const node of getStateNodes(etnaAuthMachine.root)) {
      for (const transition of transitionsOf(node)) {
        for (const target of transition.target ?? []) {
          const regionOf = (state: AnyStateNode) =>
            regionsOf(etnaAuthMachine.root).find((region) =>
              region.states.some((top) => top.key === state.path[0]),
            )?.name;
          if (regionOf(node) !== regionOf(target)) crossing.add(`${regionOf(node)}>${regionOf(target)}`);
        }
      }
    }
    expect(links.map((link) => `${link.from}>${link.to}`).sort()).toEqual([...crossing].sort());
    const drawing = await layoutStatechart(etnaAuthMachine.root);
    const overview = drawing.views.find((view) => view.key === '' && view.direction === 'RIGHT');
    const sessionToLogin = overview?.arrows.find(
      (arrow) => arrow.kind === 'link' && arrow.sources[0] === 'session',
    );
    expect(sessionToLogin?.events).toEqual(
      expect.arrayContaining(['SESSION_EXPIRED', 'SESSION_REVOKED', 'LOGOUT', 'logout answered']),
    );
    // More events cross there than a label holds: it shows two and how many more.
    const events = sessionToLogin?.events ?? [];
    expect(events.length).toBeGreaterThan(2);
    expect(sessionToLogin?.lines.map((line) => line.text)).toEqual([
      events[0],
      events[1],
      `+${events.length - 2} more`,
    ]);
  });
});

describe('the drawing', () => {
  it('draws every state node once per direction, and every transition in every direction', async () => {
    const drawing = await layoutStatechart(etnaAuthMachine.root);
    for (const direction of DIRECTIONS) {
      expect(drawnStates(drawing, direction).sort(), direction).toEqual(pathsOf(etnaAuthMachine.root).sort());
    }
    for (const node of getStateNodes(etnaAuthMachine.root)) {
      for (const transition of transitionsOf(node)) {
        for (const direction of DIRECTIONS) {
          const places = drawing.drawnAs(transition).filter((place) => place.direction === direction);
          // Inside a region: one arrow line or a line in its box; across two: a line in each region's box.
          expect(places.length, `${node.id} on ${transition.eventType}`).toBeGreaterThanOrEqual(1);
        }
      }
    }
    const login = drawing.views.find((view) => view.key === 'login' && view.direction === 'DOWN');
    const markup = login ? viewMarkup(login) : '';
    expect(markup).toContain('>SUBMIT_CREDENTIALS<');
    expect(markup).toContain('<tspan x="');
    expect(markup).toMatch(/data-state="expecting.securityPin"/);
  });

  it('keeps every box inside its view, a state inside its parent, and the open region around its states', async () => {
    const drawing = await layoutStatechart(etnaAuthMachine.root);
    for (const view of [...drawing.views, ...drawing.pictures]) {
      const where = `${view.key || 'overview'} ${view.direction}`;
      for (const box of view.boxes) {
        expect(box.x + box.width, where).toBeLessThanOrEqual(view.width + 0.5);
        expect(box.y + box.height, where).toBeLessThanOrEqual(view.height + 0.5);
        const parentPath = box.path?.split('.').slice(0, -1).join('.');
        const parent = parentPath
          ? view.boxes.find((other) => other.path === parentPath)
          : view.boxes.find(
              (other) => other.kind === 'region' && other.region === box.region && other.compound,
            );
        if (box.path !== undefined) {
          expect(parent, `${where}: ${box.path} has a box around it`).toBeDefined();
          expect(box.x, `${where}: ${box.path}`).toBeGreaterThanOrEqual(parent?.x ?? 0);
          expect(box.y + box.height, `${where}: ${box.path}`).toBeLessThanOrEqual(
            (parent?.y ?? 0) + (parent?.height ?? 0),
          );
        }
      }
    }
  });

  it('draws a state the machine gains, in a region of its own when it names none, with no change to the drawing', async () => {
    const grown = createMachine({
      id: 'grown',
      initial: 'a',
      on: { RESET: '.a' },
      states: {
        a: { meta: { region: 'start' }, on: { GO: 'b.deep', STAY: 'a' } },
        b: { initial: 'deep', states: { deep: { on: { BACK: '#grown.a' } }, deeper: {} } },
        c: { meta: { region: 'start' }, on: { NEXT: 'a' } },
      },
    });
    expect(
      regionsOf(grown.root).map((region) => [region.name, region.states.map((state) => state.key)]),
    ).toEqual([
      ['start', ['a', 'c']],
      ['b', ['b']],
    ]);
    const drawing = await layoutStatechart(grown.root);
    expect(drawnStates(drawing, 'RIGHT').sort()).toEqual(['a', 'b', 'b.deep', 'b.deeper', 'c']);
    const start = drawing.views.find((view) => view.key === 'start' && view.direction === 'RIGHT');
    const a = start?.boxes.find((box) => box.path === 'a');
    expect(a?.written.map((line) => line.text)).toEqual([
      '↻ stays',
      'STAY',
      '← any state',
      'RESET',
      '← b.deep',
      'BACK',
      '→ b.deep',
      'GO',
    ]);
    expect(
      start?.arrows.find((arrow) => arrow.kind === 'transition')?.lines.map((line) => line.text),
    ).toEqual(['NEXT']);
    const overview = drawing.views.find((view) => view.key === '' && view.direction === 'RIGHT');
    expect(
      overview?.arrows
        .filter((arrow) => arrow.kind === 'link')
        .map((arrow) => `${arrow.sources}>${arrow.targets}:${arrow.lines.map((l) => l.text)}`),
    ).toEqual(['start>b:GO', 'b>start:BACK']);
  });

  it('draws the same from layouts placed ahead (the demo bundle), and runs ELK for a graph a layout is not of', async () => {
    const placed = await placeStatechart(etnaAuthMachine.root);
    const markup = (drawing: StatechartDrawing) => drawing.views.map((view) => viewMarkup(view)).join('\n');
    const drawn = markup(await layoutStatechart(etnaAuthMachine.root));
    expect(markup(await layoutStatechart(etnaAuthMachine.root, placed)) === drawn).toBe(true);
    // It is used, not laid out again: an overview placed moved to the right draws moved.
    const key = 'frame||RIGHT';
    const overview = placed[key] as ElkNode;
    const children = overview.children?.map((child) => ({ ...child, x: (child.x ?? 0) + 1_000 }));
    const moved = { ...placed, [key]: { ...overview, children } };
    const first = (drawing: StatechartDrawing) => drawing.views[0]?.boxes[0]?.x ?? 0;
    expect(first(await layoutStatechart(etnaAuthMachine.root, moved))).toBe(
      first(await layoutStatechart(etnaAuthMachine.root)) + 1_000,
    );
    const other = createMachine({ id: 'other', initial: 'a', states: { a: { on: { GO: 'b' } }, b: {} } });
    expect(drawnStates(await layoutStatechart(other.root, placed), 'DOWN').sort()).toEqual(['a', 'b']);
  });
});
