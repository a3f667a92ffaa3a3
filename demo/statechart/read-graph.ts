// A graph laid out by ELK, read back as what the drawing shows: boxes, dots, arrows and the lines written in
// boxes, each with the machine's meaning (the state, the transitions), moved to where its view places it.
import type { ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { AnyTransitionDefinition } from 'xstate';
import type { Direction, ViewGraph } from './graph.js';
import type { Box, DrawnArrow, DrawnBox, DrawnLine, DrawnTransition, DrawnView } from './layout.js';
import { pathOf } from './regions.js';

/** Where each transition is drawn, filled in as a graph is read. */
export type Places = Map<AnyTransitionDefinition, DrawnTransition[]>;

type Parts = Pick<DrawnView, 'width' | 'height' | 'boxes' | 'dots' | 'arrows'>;

const unique = (items: readonly (string | undefined)[]) => [
  ...new Set(items.filter((item): item is string => item !== undefined)),
];

export interface Reading {
  /** The graph's key: ids are made unique with it. */
  readonly key: string;
  readonly view: string;
  readonly direction: Direction;
  /** Where each transition is drawn, filled in as arrows and loops are read. */
  readonly places: Places;
}

/** A laid-out ELK graph read back as boxes and arrows, moved by `at`, with the machine's meaning of each. */
export function readGraph(graph: ViewGraph, laid: ElkNode, reading: Reading, at = { x: 0, y: 0 }): Parts {
  const { key, view, direction, places } = reading;
  const boxes: DrawnBox[] = [];
  const dots: Box[] = [];
  const arrows: DrawnArrow[] = [];
  const place = (transition: AnyTransitionDefinition | undefined, arrow: string, line: number) => {
    if (transition)
      places.set(transition, [...(places.get(transition) ?? []), { view, direction, arrow, line }]);
  };
  const move = (point: { x: number; y: number }) => ({ x: point.x + at.x, y: point.y + at.y });
  const visit = (elk: ElkNode) => {
    const box = {
      ...move({ x: elk.x ?? 0, y: elk.y ?? 0 }),
      width: elk.width ?? 0,
      height: elk.height ?? 0,
    };
    const meta = graph.boxes.get(elk.id);
    const drawn = {
      ...box,
      path: undefined,
      notes: [] as string[],
      compound: false,
      written: [] as DrawnLine[],
    };
    if (meta?.kind === 'dot') dots.push(box);
    else if (meta?.kind === 'state') {
      const path = pathOf(meta.node);
      const written = meta.written.map((line, i): DrawnLine => {
        if (line.via || !line.transition) return { text: line.text, via: true };
        const id = `${key}/${elk.id}/${i}`;
        place(line.transition, id, 0);
        return {
          text: line.text,
          via: false,
          id,
          source: line.source,
          target: line.target,
          event: line.transition.eventType,
        };
      });
      const compound = Object.keys(meta.node.states).length > 0;
      boxes.push({
        ...drawn,
        kind: 'state',
        region: view,
        path,
        name: meta.node.key,
        notes: meta.notes,
        compound,
        written,
      });
    } else if (meta?.kind === 'region') {
      const name = meta.region.name;
      boxes.push({ ...drawn, kind: 'region', region: name, name, notes: meta.notes });
    }
    for (const edge of elk.edges ?? []) {
      const arrow = graph.arrows.get(edge.id);
      if (!arrow) continue;
      const id = `${key}/${edge.id}`;
      const points = (edge.sections ?? [])
        .flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint])
        .map(move);
      const text = edge.labels?.[0];
      const labelBox =
        text?.x !== undefined && text.y !== undefined
          ? {
              ...move({ x: text.x, y: text.y }),
              width: text.width ?? 0,
              height: text.height ?? 0,
            }
          : undefined;
      const common = { id, points, labelBox };
      if (arrow.kind === 'initial') {
        arrows.push({
          ...common,
          kind: 'initial',
          lines: [],
          sources: [],
          targets: [arrow.target],
          events: [],
        });
      } else if (arrow.kind === 'link') {
        const lines = arrow.lines.map((line) => ({ text: line, via: false }));
        arrows.push({
          ...common,
          kind: 'link',
          lines,
          sources: [arrow.from],
          targets: [arrow.to],
          events: arrow.events,
        });
      } else {
        arrows.push({
          ...common,
          kind: 'transition',
          lines: arrow.lines.map(({ text, via }) => ({ text, via })),
          sources: unique(arrow.lines.map((line) => line.source)),
          targets: unique(arrow.lines.map((line) => line.target)),
          events: unique(arrow.lines.map((line) => line.transition?.eventType)),
        });
        arrow.lines.forEach((line, index) => {
          place(line.transition, id, index);
        });
      }
    }
    for (const child of elk.children ?? []) visit(child);
  };
  visit(laid);
  const order = (arrow: DrawnArrow) => Number(arrow.id.split(':').at(-1));
  arrows.sort((a, b) => order(a) - order(b));
  return { width: Math.ceil(laid.width ?? 0), height: Math.ceil(laid.height ?? 0), boxes, dots, arrows };
}
