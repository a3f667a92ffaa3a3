// The ELK graphs of the chart's views. The frame: every region as one box, one arrow per pair of regions a
// transition crosses (per direction, labelled with the events that cross). The detail of one region: its states,
// its transitions inside it as arrows, the others written in the states' boxes. A region opened in place is its
// detail drawn inside its box of the frame.
import type { ElkExtendedEdge, ElkLabel, ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { eventLabel, guardName } from '../../scripts/transition-labels.js';
import {
  abbreviate,
  childrenOf,
  nodesOf,
  pathOf,
  type Region,
  regionLinks,
  regionOf,
  regionsOf,
  targetsOf,
  transitionsOf,
} from './regions.js';

/** Text sizes in drawing units: at the panel's smallest zoom and in docs/ (1 unit = 1 px) at least 11 px. */
export const FONT = { name: 14, label: 12 } as const;
/** The height of a row of text, in drawing units. */
export const LINE = { name: 18, label: 16 } as const;
/** Monospace advances (0.6 em) with a little room, so a text's width is known without measuring it. */
export const CHAR = { name: 8.7, label: 7.4 } as const;
const DOT = 12;
/** The widest line of a closed region's list of states, in characters. */
const NOTE_WIDTH = 30;
/** A transition's label longer than this puts its guard on a line of its own. */
export const WRAP_AT = 24;
/** The room an open region's box keeps around its detail: its title above, a margin on the other sides. */
export const FRAME = { top: LINE.name + 14, side: 12 } as const;

/** One line of an arrow's label or of a box's writing: a transition, or (`via`) the heading over some. */
export interface ArrowLine {
  readonly text: string;
  readonly via: boolean;
  readonly transition?: AnyTransitionDefinition;
  readonly source?: string;
  readonly target?: string;
}

/** What an ELK node stands for: a state, a region, or the dot an initial arrow starts from. */
export type BoxMeta =
  | {
      readonly kind: 'state';
      readonly node: AnyStateNode;
      readonly notes: string[];
      readonly written: ArrowLine[];
    }
  | { readonly kind: 'region'; readonly region: Region; readonly notes: string[] }
  | { readonly kind: 'dot' };

/** What an ELK edge stands for: transitions inside a region, a link between two regions, an initial arrow. */
export type ArrowMeta =
  | { readonly kind: 'transition'; readonly lines: ArrowLine[] }
  | {
      readonly kind: 'link';
      readonly from: string;
      readonly to: string;
      readonly lines: string[];
      readonly events: readonly string[];
    }
  | { readonly kind: 'initial'; readonly target: string };

/** Where ELK lays a graph's layers: left to right, or top to bottom. */
export type Direction = 'RIGHT' | 'DOWN';

/** A graph for ELK, with what each of its nodes and edges stands for. */
export interface ViewGraph {
  readonly graph: ElkNode;
  readonly boxes: ReadonlyMap<string, BoxMeta>;
  readonly arrows: ReadonlyMap<string, ArrowMeta>;
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '26',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeLabel': '4',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  // The machine's own order decides which arrows point back: the initial state comes first.
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.edgeLabels.inline': 'false',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
};

/** Tags and invoked actors: 'tag busy', 'invokes requestToken'. */
export function notesOf(node: AnyStateNode): string[] {
  return [
    ...node.tags.map((tag) => `tag ${tag}`),
    ...node.invoke.map((invoked) => `invokes ${typeof invoked.src === 'string' ? invoked.src : invoked.id}`),
  ];
}

/** A closed region's states, wrapped into lines of at most NOTE_WIDTH characters; none for a region of one state of its name. */
function stateList(region: Region): string[] {
  const lines: string[] = [];
  for (const word of region.states.map((state) => state.key)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + word.length + 2 <= NOTE_WIDTH)
      lines[lines.length - 1] = `${last}, ${word}`;
    else lines.push(word);
  }
  return lines.length === 1 && lines[0] === region.name ? [] : lines;
}

/** A transition as its label reads: its event as the diagrams word it, then its guard in brackets. */
export const transitionText = (transition: AnyTransitionDefinition) => {
  const guard = guardName(transition.guard);
  return `${eventLabel(transition.eventType)}${guard ? ` [${guard}]` : ''}`;
};

/** A label line as drawn: a long one breaks before its guard (`[`), so arrows stay short. */
export function rowsOf(text: string): string[] {
  const at = text.indexOf(' [');
  return text.length > WRAP_AT && at > 0 ? [text.slice(0, at + 1), `  ${text.slice(at + 1)}`] : [text];
}

function labelOf(lines: readonly string[]): ElkLabel {
  const rows = lines.flatMap(rowsOf);
  const longest = Math.max(...rows.map((row) => row.length));
  return {
    text: lines.join('\n'),
    width: Math.ceil(longest * CHAR.label) + 8,
    height: rows.length * LINE.label + 4,
  };
}

/**
 * The rows of a box's text under its name: its notes, then the transitions written in it (a transition back to
 * the state, or one from or to another region), each indented under its `via` line, a long one on two rows.
 */
export function boxRows(notes: readonly string[], written: readonly ArrowLine[] = []): string[] {
  return [
    ...notes,
    ...written.flatMap((line) => (line.via ? [line.text] : rowsOf(line.text).map((row) => `  ${row}`))),
  ];
}

/** The `via` lines over a state's transitions back to itself, to another region's state, from one. */
export const LOOP_VIA = '↻ stays';
export const EXIT = '→ ';
export const ENTRY = '← ';

function leafSize(title: string, rows: readonly string[]): { width: number; height: number } {
  const longest = Math.max(title.length * CHAR.name, ...rows.map((row) => row.length * CHAR.label));
  return { width: Math.ceil(Math.max(longest + 24, 96)), height: LINE.name + rows.length * LINE.label + 16 };
}

/** Builds one ELK graph: boxes nested in boxes, each edge declared in the lowest box holding both its ends. */
function graphBuilder(direction: Direction) {
  const boxes = new Map<string, BoxMeta>();
  const arrows = new Map<string, ArrowMeta>();
  const parents = new Map<string, ElkNode>();
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: { ...LAYOUT_OPTIONS, 'elk.direction': direction },
    children: [],
  };
  const ancestors = (id: string): ElkNode[] => {
    const up: ElkNode[] = [];
    for (let parent = parents.get(id); parent; parent = parents.get(parent.id)) up.push(parent);
    return up;
  };
  let count = 0;
  return {
    graph,
    add(parent: ElkNode, node: ElkNode, meta: BoxMeta): ElkNode {
      parent.children = [...(parent.children ?? []), node];
      parents.set(node.id, parent);
      boxes.set(node.id, meta);
      return node;
    },
    edge(from: string, to: string, meta: ArrowMeta, lines: readonly string[] = []): void {
      const id = `edge:${count++}`;
      const ends = new Set([to, ...ancestors(to).map((node) => node.id)]);
      const container = ancestors(from).find((node) => ends.has(node.id)) ?? graph;
      const edge: ElkExtendedEdge = { id, sources: [from], targets: [to] };
      if (lines.length > 0) edge.labels = [labelOf(lines)];
      container.edges = [...(container.edges ?? []), edge];
      arrows.set(id, meta);
    },
    done: (): ViewGraph => ({ graph, boxes, arrows }),
  };
}

/**
 * The frame: one box per region, one arrow per pair of regions and direction. `open` names the region whose
 * box is given the size of its detail (drawn inside it afterwards), with room for its title.
 */
export function buildFrame(
  root: AnyStateNode,
  direction: Direction,
  open?: { readonly region: string; readonly width: number; readonly height: number },
): ViewGraph {
  const build = graphBuilder(direction);
  const first = root.initial?.target[0];
  if (first) build.add(build.graph, { id: 'initial:', width: DOT, height: DOT }, { kind: 'dot' });
  for (const region of regionsOf(root)) {
    const notes = stateList(region);
    const size =
      region.name === open?.region
        ? { width: open.width + 2 * FRAME.side, height: open.height + FRAME.top + FRAME.side }
        : leafSize(region.name, notes);
    build.add(build.graph, { id: `region:${region.name}`, ...size }, { kind: 'region', region, notes });
  }
  if (first) build.edge('initial:', `region:${regionOf(first)}`, { kind: 'initial', target: pathOf(first) });
  for (const link of regionLinks(root)) {
    const lines = abbreviate(link.events);
    const meta = { kind: 'link', from: link.from, to: link.to, lines, events: link.events } as const;
    build.edge(`region:${link.from}`, `region:${link.to}`, meta, lines);
  }
  return build.done();
}

/**
 * The detail of one region: its states nested as in the machine, an arrow per pair of them a transition joins.
 * Each state's box writes the rest of its transitions: back to itself (↻), to another region (→), and from
 * another region (←), so the detail stays narrow and its arrows few.
 */
export function buildDetail(root: AnyStateNode, region: Region, direction: Direction): ViewGraph {
  const build = graphBuilder(direction);
  const inside = (node: AnyStateNode) => regionOf(node) === region.name;
  const stateId = (node: AnyStateNode) => `state:${pathOf(node)}`;

  // Sorted by the order of the marks: back to itself, into the region (the way a current state was entered,
  // near its name), out of it.
  const written = new Map<AnyStateNode, Map<string, ArrowLine[]>>();
  const write = (node: AnyStateNode, via: string, line: ArrowLine) => {
    const groups = written.get(node) ?? new Map<string, ArrowLine[]>();
    groups.set(via, [...(groups.get(via) ?? []), line]);
    written.set(node, groups);
  };
  const arrows = new Map<string, { from: AnyStateNode; to: AnyStateNode; lines: ArrowLine[] }>();
  for (const node of nodesOf(root)) {
    for (const transition of transitionsOf(node)) {
      for (const target of targetsOf(transition)) {
        const line = {
          text: transitionText(transition),
          via: false,
          transition,
          source: pathOf(node),
          target: pathOf(target),
        };
        const from = node === root ? undefined : node;
        if (target === node && inside(node)) write(node, LOOP_VIA, line);
        else if (inside(target) && (!from || !inside(from)))
          write(target, `${ENTRY}${from ? pathOf(from) : 'any state'}`, line);
        else if (from && inside(from) && !inside(target)) write(from, `${EXIT}${pathOf(target)}`, line);
        else if (from && inside(from)) {
          const arrow = arrows.get(`${pathOf(from)}>${pathOf(target)}`) ?? { from, to: target, lines: [] };
          arrow.lines.push(line);
          arrows.set(`${pathOf(from)}>${pathOf(target)}`, arrow);
        }
      }
    }
  }
  const rank = (via: string) => [LOOP_VIA, ENTRY, EXIT].findIndex((mark) => via.startsWith(mark));
  const writtenOf = (node: AnyStateNode): ArrowLine[] =>
    [...(written.get(node) ?? [])]
      .sort(([a], [b]) => rank(a) - rank(b))
      .flatMap(([via, lines]) => [{ text: via, via: true }, ...lines]);

  const first = root.initial?.target[0];
  const startsHere = first !== undefined && inside(first);
  if (startsHere) build.add(build.graph, { id: 'initial:', width: DOT, height: DOT }, { kind: 'dot' });
  const drawState = (parent: ElkNode, node: AnyStateNode): void => {
    const notes = notesOf(node);
    const lines = writtenOf(node);
    const rows = boxRows(notes, lines);
    const elk = build.add(parent, { id: stateId(node) }, { kind: 'state', node, notes, written: lines });
    const nested = childrenOf(node);
    if (nested.length === 0) {
      Object.assign(elk, leafSize(node.key, rows));
      return;
    }
    const top = LINE.name + 14 + rows.length * LINE.label;
    elk.layoutOptions = { 'elk.padding': `[top=${top},left=12,bottom=12,right=12]` };
    const initial = node.initial?.target[0];
    if (initial) build.add(elk, { id: `initial:${pathOf(node)}`, width: DOT, height: DOT }, { kind: 'dot' });
    for (const child of nested) drawState(elk, child);
    if (initial)
      build.edge(`initial:${pathOf(node)}`, stateId(initial), { kind: 'initial', target: pathOf(initial) });
  };
  for (const state of region.states) drawState(build.graph, state);
  if (startsHere) build.edge('initial:', stateId(first), { kind: 'initial', target: pathOf(first) });
  for (const { from, to, lines } of arrows.values()) {
    build.edge(
      stateId(from),
      stateId(to),
      { kind: 'transition', lines },
      lines.map((line) => line.text),
    );
  }
  return build.done();
}

/** What identifies a graph for ELK: its nodes, sizes, edges and labels, in order (not their places). */
export function graphKey(node: ElkNode): string {
  return JSON.stringify([
    node.id,
    node.children?.length ? [] : [node.width, node.height],
    (node.edges ?? []).map((edge) => [
      edge.id,
      edge.sources,
      edge.targets,
      (edge.labels ?? []).map((l) => l.text),
    ]),
    (node.children ?? []).map(graphKey),
  ]);
}
