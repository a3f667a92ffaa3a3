// The regions of a machine, read from its own definition: each top-level state node names its region in
// `meta.region`; one without a region forms a region of its own, named after it, so a new state is drawn anyway.
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { eventLabel } from '../../scripts/transition-labels.js';

/** One region: its name and its top-level state nodes, in the machine's order. */
export interface Region {
  readonly name: string;
  readonly states: readonly AnyStateNode[];
}

export const childrenOf = (node: AnyStateNode) => Object.values(node.states) as AnyStateNode[];
export const pathOf = (node: AnyStateNode) => node.path.join('.');

/** Every state node below `node`, itself included, parents before their children. */
export function nodesOf(node: AnyStateNode): AnyStateNode[] {
  return [node, ...childrenOf(node).flatMap(nodesOf)];
}

/** Every transition of a node, event-keyed ones first, then the eventless (`always`) ones. */
export function transitionsOf(node: AnyStateNode): AnyTransitionDefinition[] {
  return [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
}

/** Where a transition goes: its targets, or its own source for a targetless one (a refused input). */
export const targetsOf = (transition: AnyTransitionDefinition): readonly AnyStateNode[] =>
  transition.target?.length ? transition.target : [transition.source];

function regionName(topLevel: AnyStateNode): string {
  const named = (topLevel.meta as { region?: unknown } | undefined)?.region;
  return typeof named === 'string' && named !== '' ? named : topLevel.key;
}

/** The machine's regions, in the order their first state appears in the machine. */
export function regionsOf(root: AnyStateNode): Region[] {
  const regions = new Map<string, AnyStateNode[]>();
  for (const state of childrenOf(root)) {
    const name = regionName(state);
    regions.set(name, [...(regions.get(name) ?? []), state]);
  }
  return [...regions].map(([name, states]) => ({ name, states }));
}

/** The region a state node lies in; undefined for the root. */
export function regionOf(node: AnyStateNode): string | undefined {
  let top: AnyStateNode = node;
  while (top.parent?.parent) top = top.parent;
  return top.parent ? regionName(top) : undefined;
}

/** A region drawn as one box standing for its only state, when that state has the region's name. */
export function soleState(region: Region): AnyStateNode | undefined {
  const [only, ...others] = region.states;
  return only && others.length === 0 && only.key === region.name ? only : undefined;
}

/** The transitions from one region into another, as one overview arrow draws them. */
export interface RegionLink {
  readonly from: string;
  readonly to: string;
  readonly transitions: readonly AnyTransitionDefinition[];
  /** The distinct events that cross, as the diagrams word them, in the machine's order. */
  readonly events: readonly string[];
}

/** Every pair of regions a transition crosses, one link per direction, in the machine's order. */
export function regionLinks(root: AnyStateNode): RegionLink[] {
  const links = new Map<string, { from: string; to: string; transitions: AnyTransitionDefinition[] }>();
  for (const node of nodesOf(root).slice(1)) {
    const from = regionOf(node) as string;
    for (const transition of transitionsOf(node)) {
      for (const target of targetsOf(transition)) {
        const to = regionOf(target);
        if (to === undefined || to === from) continue;
        const key = `${from}\n${to}`;
        const link = links.get(key) ?? { from, to, transitions: [] };
        if (!link.transitions.includes(transition)) link.transitions.push(transition);
        links.set(key, link);
      }
    }
  }
  return [...links.values()].map((link) => ({
    ...link,
    events: [...new Set(link.transitions.map((transition) => eventLabel(transition.eventType)))],
  }));
}

/** At most `max` lines of a list: the first ones, then how many more there are. */
export function abbreviate(items: readonly string[], max = 3): string[] {
  if (items.length <= max) return [...items];
  return [...items.slice(0, max - 1), `+${items.length - max + 1} more`];
}
