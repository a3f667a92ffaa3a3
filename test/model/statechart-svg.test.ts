// docs/statechart.svg and the demo's diagram: one drawing (demo/statechart-drawing.ts), from the machine alone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { layoutStatechart, placeStatechart, statechartSvg } from '../../demo/statechart-drawing.js';
import { renderStatechartSvg } from '../../scripts/statechart-svg.js';
import { etnaAuthMachine } from '../../src/machine/etna-auth-machine.js';

const pathsOf = (root: typeof etnaAuthMachine.root) => getStateNodes(root).map((node) => node.path.join('.'));

describe('docs/statechart.svg', () => {
  it('is what the machine draws now (run npm run docs:statechart after changing the machine)', async () => {
    const committed = readFileSync(new URL('../../docs/statechart.svg', import.meta.url), 'utf8');
    // toBe on a whole SVG would print it all: say what to do instead.
    expect(
      committed === (await renderStatechartSvg()),
      'docs/statechart.svg is stale: npm run docs:statechart',
    ).toBe(true);
  });

  it('draws every state node as a box and every transition as a labelled arrow', async () => {
    const layout = await layoutStatechart(etnaAuthMachine.root);
    expect(layout.states.map((state) => state.path).sort()).toEqual(pathsOf(etnaAuthMachine.root).sort());
    for (const node of getStateNodes(etnaAuthMachine.root)) {
      for (const transition of [...node.transitions.values()].flat().concat(node.always ?? [])) {
        const arrows = layout.edgesOf(transition);
        expect(arrows, `${node.id} on ${transition.eventType}`).toHaveLength(transition.target?.length || 1);
        for (const id of arrows) {
          const arrow = layout.edges.find((edge) => edge.id === id);
          expect(arrow?.points.length).toBeGreaterThanOrEqual(2);
          expect(arrow?.label).not.toBe('');
        }
      }
    }
    // Every box lies inside the picture, and a child inside its parent.
    for (const state of layout.states) {
      expect(state.x + state.width).toBeLessThanOrEqual(layout.width);
      expect(state.y + state.height).toBeLessThanOrEqual(layout.height);
      const parent = layout.states.find(
        (other) => other.path === state.path.split('.').slice(0, -1).join('.'),
      );
      if (parent) {
        expect(state.x).toBeGreaterThanOrEqual(parent.x);
        expect(state.y + state.height).toBeLessThanOrEqual(parent.y + parent.height);
      }
    }
    const svg = statechartSvg(layout);
    expect(svg.match(/data-state="/g)).toHaveLength(layout.states.length);
    expect(svg).toContain('stored session restored [holdsSession]');
    expect(svg).toContain('>SESSION_EXPIRED<');
  });

  it('draws a state the machine gains, nested or not, with no change to the drawing', async () => {
    const grown = createMachine({
      id: 'grown',
      initial: 'a',
      on: { RESET: '.a' },
      states: {
        a: { on: { GO: 'b.deep' } },
        b: { initial: 'deep', states: { deep: { on: { BACK: '#grown.a' } }, deeper: {} } },
      },
    });
    const layout = await layoutStatechart(grown.root);
    expect(layout.states.map((state) => state.path)).toEqual(['a', 'b', 'b.deep', 'b.deeper']);
    expect(layout.edges.map((edge) => `${edge.source}>${edge.target}:${edge.label}`)).toEqual(
      expect.arrayContaining([
        '>a:',
        '>b.deep:',
        'a>b.deep:GO',
        'b.deep>a:BACK',
        '>a:RESET (from any state)',
      ]),
    );
  });

  it('draws the same from a layout placed ahead (the demo bundle), and runs ELK for a graph the layout is not of', async () => {
    const placed = await placeStatechart(etnaAuthMachine.root);
    const drawn = statechartSvg(await layoutStatechart(etnaAuthMachine.root));
    expect(statechartSvg(await layoutStatechart(etnaAuthMachine.root, placed)) === drawn).toBe(true);
    // It is used, not laid out again: a placed layout moved to the right draws moved.
    const moved = {
      ...placed,
      children: placed.children?.map((child) => ({ ...child, x: (child.x ?? 0) + 1_000 })),
    };
    const first = (await layoutStatechart(etnaAuthMachine.root, moved)).states[0];
    expect(first?.x).toBe(((await layoutStatechart(etnaAuthMachine.root)).states[0]?.x ?? 0) + 1_000);
    const other = createMachine({ id: 'other', initial: 'a', states: { a: { on: { GO: 'b' } }, b: {} } });
    const layout = await layoutStatechart(other.root, placed);
    expect(layout.states.map((state) => state.path)).toEqual(['a', 'b']);
  });
});
