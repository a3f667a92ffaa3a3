// The chart's views laid out by elkjs: the overview (every region closed) and one view per region, opened in
// place (its detail inside its box of the overview); each in two directions, left to right and top to bottom,
// so a wide and a narrow panel both find a fit. Pure: no DOM, so the demo page (in the browser) and
// `npm run docs:statechart` (in Node) draw the same.
import type { ELK, ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { buildDetail, buildFrame, type Direction, FRAME, graphKey, type ViewGraph } from './graph.js';
import { type Places, readGraph } from './read-graph.js';
import { pathOf, regionsOf } from './regions.js';

type ElkClass = new () => ELK;
let elk: Promise<ELK> | undefined;

/**
 * ELK, loaded on first use: a page whose layouts were all placed ahead never loads its 1.6 MB. elkjs is CommonJS
 * (`module.exports = ELK`): imported, in Node and in the bundle, its default export is the constructor itself.
 */
function elkLayout(graph: ElkNode): Promise<ElkNode> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((module) => {
    const exported = module.default as unknown as ElkClass & { default?: ElkClass };
    const Elk = exported.default ?? exported;
    return new Elk();
  });
  return elk.then((loaded) => loaded.layout(graph));
}

/** Both ways every view is laid out: the panel shows each in the one that fits it best. */
export const DIRECTIONS: readonly Direction[] = ['RIGHT', 'DOWN'];

/** A rectangle of the drawing, in drawing units (1 unit = 1 px at 100 %). */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A box: a state of the open region, or a region (closed: one box; open: the frame of its detail). */
export interface DrawnBox extends Box {
  readonly kind: 'state' | 'region';
  readonly region: string;
  /** The state's dotted path, as `snapshot.matches` reads it ('expecting.securityPin'); undefined otherwise. */
  readonly path: string | undefined;
  readonly name: string;
  /** Tags and invoked actors of a state; the states of a closed region. */
  readonly notes: readonly string[];
  /** Drawn with boxes inside: a compound state, or the open region. */
  readonly compound: boolean;
  /** The transitions written in a state's box: back to itself, or from (or to) another region. */
  readonly written: readonly DrawnLine[];
}

/** A line written in a state's box: a transition (with an id, to be marked), or the `via` line over some. */
export interface DrawnLine {
  readonly text: string;
  readonly via: boolean;
  readonly id?: string;
  readonly source?: string;
  readonly target?: string;
  readonly event?: string;
}

export interface DrawnArrow {
  /** Unique in the whole drawing: the view, its direction, the graph and ELK's edge id. */
  readonly id: string;
  readonly kind: 'transition' | 'link' | 'initial';
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly labelBox: Box | undefined;
  /** The label's lines: one per transition (a link's: the first events that cross, then how many more). */
  readonly lines: readonly { readonly text: string; readonly via: boolean }[];
  /** The state paths it leaves and enters (for a link between regions: the two regions' names). */
  readonly sources: readonly string[];
  readonly targets: readonly string[];
  /** The events of its transitions (for a link: every event that crosses, the label showing the first ones). */
  readonly events: readonly string[];
}

export interface DrawnView {
  /** The open region's name; '' for the overview. */
  readonly key: string;
  readonly direction: Direction;
  readonly width: number;
  readonly height: number;
  /** Parents before their children, so a box is drawn under what it holds. */
  readonly boxes: readonly DrawnBox[];
  /** The dots the initial arrows start from. */
  readonly dots: readonly Box[];
  readonly arrows: readonly DrawnArrow[];
}

/** Where one transition is drawn: an arrow of a view, and its line in the arrow's label. */
export interface DrawnTransition {
  readonly view: string;
  readonly direction: Direction;
  readonly arrow: string;
  readonly line: number;
}

export interface StatechartDrawing {
  readonly id: string;
  /** How many graphs ELK laid out here, not placed ahead (0 on the demo page: it never loads ELK). */
  readonly laidOutHere: number;
  readonly regions: readonly { readonly name: string; readonly states: readonly string[] }[];
  /** The overview first, then one view per region opened in place; each in every direction. */
  readonly views: readonly DrawnView[];
  /** Each region alone (its box and its detail, no other region), in every direction. */
  readonly pictures: readonly DrawnView[];
  /** Every arrow line and loop `transition` is drawn as, in every view and direction (not the links). */
  drawnAs(transition: AnyTransitionDefinition): readonly DrawnTransition[];
}

/** ELK's layouts by graph (`frame|<open>|<direction>`, `detail|<region>|<direction>`), computed ahead. */
export type PlacedViews = Readonly<Record<string, ElkNode>>;

type Layout = (key: string, view: ViewGraph) => Promise<ElkNode>;

interface Views {
  readonly views: DrawnView[];
  readonly pictures: DrawnView[];
}

/** Lays out every graph of the chart in order (a region's frame needs its detail's size first). */
async function eachGraph(root: AnyStateNode, layout: Layout, places: Places = new Map()): Promise<Views> {
  const views: DrawnView[] = [];
  const pictures: DrawnView[] = [];
  for (const direction of DIRECTIONS) {
    const key = `frame||${direction}`;
    const overview = buildFrame(root, direction);
    const frame = readGraph(overview, await layout(key, overview), { key, view: '', direction, places });
    views.push({ key: '', direction, ...frame });
  }
  for (const region of regionsOf(root)) {
    for (const direction of DIRECTIONS) {
      const view = region.name;
      const detailKey = `detail|${view}|${direction}`;
      const detailGraph = buildDetail(root, region, direction);
      const detailLaid = await layout(detailKey, detailGraph);
      const size = { region: view, width: detailLaid.width ?? 0, height: detailLaid.height ?? 0 };
      const frameKey = `frame|${view}|${direction}`;
      const frameGraph = buildFrame(root, direction, size);
      const frame = readGraph(frameGraph, await layout(frameKey, frameGraph), {
        key: frameKey,
        view,
        direction,
        places,
      });
      const box = frame.boxes.find((candidate) => candidate.region === view) as DrawnBox;
      const open = { ...box, compound: true, notes: [] };
      const at = { x: box.x + FRAME.side, y: box.y + FRAME.top };
      const detail = readGraph(detailGraph, detailLaid, { key: detailKey, view, direction, places }, at);
      views.push({
        key: view,
        direction,
        width: frame.width,
        height: frame.height,
        boxes: [...frame.boxes.map((other) => (other === box ? open : other)), ...detail.boxes],
        dots: [...frame.dots, ...detail.dots],
        arrows: [...frame.arrows, ...detail.arrows],
      });
      // The region alone, as docs/ shows it: its box, the detail inside.
      const alone = readGraph(
        detailGraph,
        detailLaid,
        { key: detailKey, view, direction, places: new Map() },
        { x: FRAME.side, y: FRAME.top },
      );
      const width = Math.ceil(box.width);
      const height = Math.ceil(box.height);
      pictures.push({
        ...alone,
        key: view,
        direction,
        width,
        height,
        boxes: [{ ...open, x: 0, y: 0 }, ...alone.boxes],
      });
    }
  }
  return { views, pictures };
}

/**
 * ELK's layout of every graph, as `layoutStatechart` would compute it: a build can compute it ahead (the demo's
 * bundle does, in Node) and hand it back, so a page draws the chart without running ELK.
 */
export async function placeStatechart(root: AnyStateNode): Promise<PlacedViews> {
  const placed: Record<string, ElkNode> = {};
  await eachGraph(root, async (key, view) => {
    placed[key] = compact(await elkLayout(view.graph));
    return placed[key];
  });
  return placed;
}

/** A layout with only what drawing it and recognising its graph take (two thirds of ELK's answer). */
function compact(node: ElkNode): ElkNode {
  const { id, x, y, width, height } = node;
  return {
    id,
    x,
    y,
    width,
    height,
    children: node.children?.map(compact),
    edges: node.edges?.map(({ id: edge, sources, targets, labels, sections }) => ({
      id: edge,
      sources,
      targets,
      labels: labels?.map(({ text, x, y, width, height }) => ({ text, x, y, width, height })),
      sections: sections?.map(({ id: section, startPoint, bendPoints, endPoint }) => ({
        id: section,
        startPoint,
        bendPoints,
        endPoint,
      })),
    })),
  };
}

/**
 * Lays every view of the machine's chart out with elkjs. The same machine always gives the same layouts.
 * `placed` holds layouts computed ahead by `placeStatechart` (of one machine, or of each variant a page may run),
 * each used when it is of this very graph (else ELK runs for that graph).
 */
export async function layoutStatechart(
  root: AnyStateNode,
  placed: PlacedViews | readonly PlacedViews[] = {},
): Promise<StatechartDrawing> {
  const candidates: readonly PlacedViews[] = Array.isArray(placed) ? placed : [placed as PlacedViews];
  const places: Places = new Map();
  let laidOutHere = 0;
  const { views, pictures } = await eachGraph(
    root,
    async (key, view) => {
      const wanted = graphKey(view.graph);
      const ahead = candidates.map((views) => views[key]).find((node) => node && graphKey(node) === wanted);
      if (ahead !== undefined) return ahead;
      laidOutHere += 1;
      return elkLayout(view.graph);
    },
    places,
  );
  return {
    id: root.id,
    laidOutHere,
    regions: regionsOf(root).map((region) => ({ name: region.name, states: region.states.map(pathOf) })),
    views,
    pictures,
    drawnAs: (transition) => places.get(transition) ?? [],
  };
}
