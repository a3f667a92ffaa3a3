// The statechart drawn from a machine's own definition: its state nodes as nested boxes, its transitions as
// labelled arrows, laid out by elkjs (layered, hierarchy included). Pure: no DOM, so the demo page (in the
// browser) and `npm run docs:statechart` (in Node, for docs/statechart.svg) draw the very same picture.
import elkModule, { type ElkExtendedEdge, type ElkLabel, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { eventLabel, guardName } from '../scripts/transition-labels.js';

// elkjs is CommonJS (`module.exports = ELK`) typed as an ES module with a default export: in Node and in the
// bundle the default import is the constructor itself.
const ELK = ((elkModule as unknown as { default?: unknown }).default ??
  elkModule) as typeof elkModule.default;

/** One arrow: a transition (or a state's initial child), from a state node to another or to itself. */
export interface DrawnEdge {
  readonly id: string;
  /** Dotted paths of the state nodes; `source` is '' for a root-level transition (taken from any state). */
  readonly source: string;
  readonly target: string;
  readonly label: string;
  /** The event type as the machine names it; '' for an eventless transition, undefined for an initial arrow. */
  readonly event: string | undefined;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly labelBox: Box | undefined;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One box: a state node, with what the machine says of it besides its name. */
export interface DrawnState extends Box {
  /** The dotted path, as `snapshot.matches` reads it: 'expecting.securityPin'. */
  readonly path: string;
  readonly name: string;
  readonly compound: boolean;
  /** Tags and invoked actors: 'tag busy', 'invokes requestToken'. */
  readonly notes: readonly string[];
}

export interface StatechartLayout {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Parents before their children, so a box is drawn under what it holds. */
  readonly states: readonly DrawnState[];
  /** The dots the initial arrows start from. */
  readonly initials: readonly (Box & { readonly id: string })[];
  readonly edges: readonly DrawnEdge[];
  /** Which arrows a transition definition is drawn as (one per target). */
  edgesOf(transition: AnyTransitionDefinition): readonly string[];
}

// Every text is drawn in a monospace font at these sizes, so its width is known without measuring it.
const CHAR_WIDTH = { name: 7.8, label: 6.7 } as const;
const LINE = { name: 16, label: 14 } as const;
const FONT_SIZE = { name: 13, label: 11 } as const;
const INITIAL_DOT = 12;

const nodeId = (node: AnyStateNode) => `state:${node.path.join('.')}`;
const pathOf = (node: AnyStateNode) => node.path.join('.');
const children = (node: AnyStateNode) => Object.values(node.states) as AnyStateNode[];

function notesOf(node: AnyStateNode): string[] {
  return [
    ...node.tags.map((tag) => `tag ${tag}`),
    ...node.invoke.map((invoked) => `invokes ${typeof invoked.src === 'string' ? invoked.src : invoked.id}`),
  ];
}

function label(text: string): ElkLabel {
  return { text, width: Math.ceil(text.length * CHAR_WIDTH.label) + 6, height: LINE.label };
}

/** Every transition of a node, event-keyed ones first, then the eventless (`always`) ones. */
function transitionsOf(node: AnyStateNode): AnyTransitionDefinition[] {
  return [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
}

/** The lowest state node holding both (edges are declared there, as ELK wants). */
function commonAncestor(a: AnyStateNode, b: AnyStateNode, root: AnyStateNode): AnyStateNode {
  let candidate: AnyStateNode | undefined = a.parent;
  while (candidate) {
    let inside: AnyStateNode | undefined = b;
    while (inside && inside !== candidate) inside = inside.parent;
    if (inside === candidate) return candidate;
    candidate = candidate.parent;
  }
  return root;
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '46',
  'elk.spacing.nodeNode': '36',
  'elk.spacing.edgeNode': '18',
  'elk.spacing.edgeEdge': '12',
  'elk.spacing.edgeLabel': '4',
  'elk.layered.spacing.edgeNodeBetweenLayers': '18',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  // The machine's own order decides which arrows point back: the initial state comes first, at the top.
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.edgeLabels.inline': 'false',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

interface Built {
  readonly graph: ElkNode;
  readonly meta: Map<string, { source: string; target: string; label: string; event: string | undefined }>;
  readonly byTransition: Map<AnyTransitionDefinition, string[]>;
}

/** The ELK graph of a machine: one node per state node (compound ones hold their children), one edge per arrow. */
function buildGraph(root: AnyStateNode): Built {
  const meta: Built['meta'] = new Map();
  const byTransition: Built['byTransition'] = new Map();
  const elkNodes = new Map<AnyStateNode, ElkNode>();
  let count = 0;

  const addEdge = (
    container: ElkNode,
    from: string,
    to: string,
    info: { source: string; target: string; label: string; event: string | undefined },
  ): string => {
    const id = `edge:${count++}`;
    const edge: ElkExtendedEdge = { id, sources: [from], targets: [to] };
    if (info.label) edge.labels = [label(info.label)];
    container.edges = [...(container.edges ?? []), edge];
    meta.set(id, info);
    return id;
  };

  const draw = (node: AnyStateNode): ElkNode => {
    const nested = children(node);
    const notes = notesOf(node);
    const elk: ElkNode = { id: node === root ? 'root' : nodeId(node) };
    if (nested.length > 0) {
      elk.layoutOptions = {
        'elk.padding': `[top=${LINE.name + 12 + notes.length * LINE.label},left=14,bottom=14,right=14]`,
      };
      elk.children = nested.map(draw);
    } else {
      const longest = Math.max(
        node.key.length * CHAR_WIDTH.name,
        ...notes.map((note) => note.length * CHAR_WIDTH.label),
      );
      elk.width = Math.ceil(Math.max(longest + 24, 96));
      elk.height = LINE.name + notes.length * LINE.label + 16;
    }
    elkNodes.set(node, elk);
    return elk;
  };
  const graph = draw(root);
  graph.layoutOptions = { ...LAYOUT_OPTIONS };

  // The initial arrows: from a dot inside each compound node to its initial child.
  for (const [node, elk] of elkNodes) {
    const initial = node.initial?.target[0];
    if (!initial || children(node).length === 0) continue;
    const dot = `initial:${pathOf(node) || 'root'}`;
    elk.children = [{ id: dot, width: INITIAL_DOT, height: INITIAL_DOT }, ...(elk.children ?? [])];
    addEdge(elk, dot, nodeId(initial), { source: '', target: pathOf(initial), label: '', event: undefined });
  }

  // The transitions. A root-level one is taken from any state without its own: it starts at a dot of its own.
  for (const [node] of elkNodes) {
    transitionsOf(node).forEach((transition) => {
      const guard = guardName(transition.guard);
      const text = `${eventLabel(transition.eventType)}${guard ? ` [${guard}]` : ''}`;
      const targets = transition.target?.length ? transition.target : [node];
      const ids = targets.map((target) => {
        const info = {
          source: pathOf(node),
          target: pathOf(target),
          label: text,
          event: transition.eventType,
        };
        if (node === root) {
          const anywhere = `anywhere:${count}`;
          graph.children = [
            ...(graph.children ?? []),
            { id: anywhere, width: INITIAL_DOT, height: INITIAL_DOT },
          ];
          return addEdge(graph, anywhere, nodeId(target), { ...info, label: `${text} (from any state)` });
        }
        const container = elkNodes.get(commonAncestor(node, target, root)) ?? graph;
        return addEdge(container, nodeId(node), nodeId(target), info);
      });
      byTransition.set(transition, ids);
    });
  }
  return { graph, meta, byTransition };
}

/** What identifies a graph for ELK: its nodes, edges and labels, by id and text, in order (not their places). */
function graphKey(node: ElkNode): string {
  return JSON.stringify([
    node.id,
    (node.labels ?? []).map((label) => label.text),
    (node.edges ?? []).map((edge) => [
      edge.id,
      edge.sources,
      edge.targets,
      (edge.labels ?? []).map((l) => l.text),
    ]),
    (node.children ?? []).map(graphKey),
  ]);
}

/**
 * ELK's layout of the machine's graph, as `layoutStatechart` would compute it: a build can compute it ahead (the
 * demo's bundle does, in Node) and hand it back, so a page draws the diagram without running ELK.
 */
export function placeStatechart(root: AnyStateNode): Promise<ElkNode> {
  return new ELK().layout(buildGraph(root).graph);
}

/**
 * Lays the machine's statechart out with elkjs. The same machine always gives the same layout. `placed` is a
 * layout computed ahead by `placeStatechart`, used when it is of this very graph (else ELK runs).
 */
export async function layoutStatechart(root: AnyStateNode, placed?: ElkNode): Promise<StatechartLayout> {
  const { graph, meta, byTransition } = buildGraph(root);
  const laid =
    placed !== undefined && graphKey(placed) === graphKey(graph) ? placed : await new ELK().layout(graph);
  const states: DrawnState[] = [];
  const initials: (Box & { id: string })[] = [];
  const edges: DrawnEdge[] = [];
  const byId = new Map<string, AnyStateNode>();
  const index = (node: AnyStateNode) => {
    byId.set(nodeId(node), node);
    for (const child of children(node)) index(child);
  };
  index(root);

  const visit = (elk: ElkNode) => {
    const box = { x: elk.x ?? 0, y: elk.y ?? 0, width: elk.width ?? 0, height: elk.height ?? 0 };
    const node = byId.get(elk.id);
    if (node && node !== root) {
      states.push({
        ...box,
        path: pathOf(node),
        name: node.key,
        compound: children(node).length > 0,
        notes: notesOf(node),
      });
    } else if (elk.id.startsWith('initial:') || elk.id.startsWith('anywhere:')) {
      initials.push({ ...box, id: elk.id });
    }
    for (const edge of elk.edges ?? []) {
      const info = meta.get(edge.id);
      if (!info) continue;
      const points = (edge.sections ?? []).flatMap((section) => [
        section.startPoint,
        ...(section.bendPoints ?? []),
        section.endPoint,
      ]);
      const text = edge.labels?.[0];
      edges.push({
        id: edge.id,
        ...info,
        points,
        labelBox:
          text && text.x !== undefined && text.y !== undefined
            ? { x: text.x, y: text.y, width: text.width ?? 0, height: text.height ?? 0 }
            : undefined,
      });
    }
    for (const child of elk.children ?? []) visit(child);
  };
  visit(laid);
  edges.sort((a, b) => Number(a.id.slice(5)) - Number(b.id.slice(5)));

  return {
    id: root.id,
    width: Math.ceil(laid.width ?? 0),
    height: Math.ceil(laid.height ?? 0),
    states,
    initials,
    edges,
    edgesOf: (transition) => byTransition.get(transition) ?? [],
  };
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const round = (value: number) => Math.round(value * 10) / 10;

/** The diagram's own styles, inside the SVG, so the file in docs/ looks like the page. */
const STYLE = `
.sc-state > rect { fill: #ffffff; stroke: #9aa4b8; stroke-width: 1.2; }
.sc-name { font: 700 ${FONT_SIZE.name}px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; fill: #1d2433; }
.sc-note { font: ${FONT_SIZE.label}px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; fill: #5b6476; }
.sc-edge > path { fill: none; stroke: #8792a8; stroke-width: 1.2; }
.sc-edge > rect { fill: #ffffff; fill-opacity: 0.9; }
.sc-edge > text { font: ${FONT_SIZE.label}px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; fill: #1d2433; }
.sc-dot { fill: #1d2433; }
.sc-state.sc-compound > rect { fill: #f6f8fc; }
.sc-state.active > rect { fill: #e6edfc; stroke: #2457d6; stroke-width: 2.5; }
.sc-edge.taken > path { stroke: #d9480f; stroke-width: 2.5; marker-end: url(#sc-arrow-taken); }
.sc-edge.taken > text { fill: #d9480f; font-weight: 700; }
`;

function arrowHead(id: string, color: string): string {
  return `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`;
}

/** The layout as one SVG document: states carry `data-state`, arrows `data-edge`, for the page to mark. */
export function statechartSvg(layout: StatechartLayout): string {
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-labelledby="sc-title">`,
    `<title id="sc-title">The ${xml(layout.id)} statechart: ${layout.states.length} states, ${layout.edges.length} arrows</title>`,
    `<style>${STYLE}</style>`,
    `<defs>${arrowHead('sc-arrow', '#8792a8')}${arrowHead('sc-arrow-taken', '#d9480f')}</defs>`,
  );
  for (const state of layout.states) {
    const classes = `sc-state${state.compound ? ' sc-compound' : ''}`;
    const textX = round(state.x + (state.compound ? 10 : state.width / 2));
    const anchor = state.compound ? 'start' : 'middle';
    const lines = [
      `<text class="sc-name" x="${textX}" y="${round(state.y + 6 + LINE.name - 3)}" text-anchor="${anchor}">${xml(state.name)}</text>`,
      ...state.notes.map(
        (note, i) =>
          `<text class="sc-note" x="${textX}" y="${round(state.y + 6 + LINE.name + (i + 1) * LINE.label - 3)}" text-anchor="${anchor}">${xml(note)}</text>`,
      ),
    ];
    parts.push(
      `<g class="${classes}" data-state="${xml(state.path)}"><rect x="${round(state.x)}" y="${round(state.y)}" width="${round(state.width)}" height="${round(state.height)}" rx="8"/>${lines.join('')}</g>`,
    );
  }
  for (const dot of layout.initials) {
    const r = dot.width / 2;
    parts.push(
      `<circle class="sc-dot" cx="${round(dot.x + r)}" cy="${round(dot.y + r)}" r="${round(r - 1)}"/>`,
    );
  }
  for (const edge of layout.edges) {
    const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
    const text = edge.labelBox
      ? `<rect x="${round(edge.labelBox.x)}" y="${round(edge.labelBox.y)}" width="${round(edge.labelBox.width)}" height="${round(edge.labelBox.height)}" rx="3"/><text x="${round(edge.labelBox.x + 3)}" y="${round(edge.labelBox.y + edge.labelBox.height - 3)}">${xml(edge.label)}</text>`
      : '';
    const event = edge.event === undefined ? '' : ` data-event="${xml(edge.event)}"`;
    parts.push(
      `<g class="sc-edge" data-edge="${edge.id}" data-source="${xml(edge.source)}" data-target="${xml(edge.target)}"${event}><path d="${d}" marker-end="url(#sc-arrow)"/>${text}</g>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
