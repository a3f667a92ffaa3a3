// What the panel marks as the machine moves: the state nodes it is in (and their region), the arrows and
// written lines of the last transition taken (and the link between regions it crossed), and the caption.
import type { AnyMachineSnapshot, AnyTransitionDefinition, StateValue } from 'xstate';
import { eventLabel, guardName } from '../../scripts/transition-labels.js';
import { CHAR, LINE, rowsOf } from './graph.js';
import type { Box, DrawnView, StatechartDrawing } from './layout.js';
import { regionOf } from './regions.js';

/** The state value that `snapshot.matches` takes for a path: 'expecting.securityPin' → { expecting: 'securityPin' }. */
function stateValueOf(path: readonly string[]): StateValue {
  const [head, ...rest] = path;
  if (head === undefined) return {};
  return rest.length === 0 ? head : { [head]: stateValueOf(rest) };
}

/** A transition as the caption words it: 'answer [answerAsksForPin], authenticating → expecting.securityPin'. */
export function describe(transition: AnyTransitionDefinition, machineId: string): string {
  const from = transition.source.path.join('.') || `#${machineId}`;
  const to = transition.target?.length
    ? transition.target.map((target) => target.path.join('.')).join(', ')
    : from;
  const guard = guardName(transition.guard);
  return `${eventLabel(transition.eventType)}${guard ? ` [${guard}]` : ''}, ${from} → ${to}`;
}

export interface Marked {
  /** The deepest state nodes the snapshot is in, as dotted paths. */
  readonly current: readonly string[];
  /** Their regions. */
  readonly regions: readonly string[];
}

/**
 * Marks `root`'s drawing for `snapshot`: its state nodes `.active` (with `aria-current`), their regions'
 * boxes `.active`, and every arrow, written line and link of the `taken` transitions `.taken`.
 */
export function markSnapshot(
  root: Element,
  drawing: StatechartDrawing,
  snapshot: AnyMachineSnapshot,
  taken: readonly AnyTransitionDefinition[],
): Marked {
  const active: string[] = [];
  for (const box of Array.from(root.querySelectorAll<SVGGElement>('[data-state]'))) {
    const path = box.dataset.state ?? '';
    const on = snapshot.matches(stateValueOf(path.split('.')));
    box.classList.toggle('active', on);
    if (on) {
      box.setAttribute('aria-current', 'true');
      active.push(path);
    } else box.removeAttribute('aria-current');
  }
  const current = active.filter((path) => !active.some((other) => other.startsWith(`${path}.`)));
  const regions = [
    ...new Set(
      drawing.regions
        .filter((region) => region.states.some((state) => active.includes(state)))
        .map((region) => region.name),
    ),
  ];
  for (const box of Array.from(root.querySelectorAll<SVGGElement>('[data-region]'))) {
    box.classList.toggle('active', regions.includes(box.dataset.region ?? ''));
  }

  const arrows = new Set<string>();
  const lines = new Set<string>();
  const links = new Set<string>();
  for (const transition of taken) {
    for (const place of drawing.drawnAs(transition)) {
      arrows.add(place.arrow);
      lines.add(`${place.arrow}#${place.line}`);
    }
    const from = regionOf(transition.source);
    for (const target of transition.target ?? []) {
      const to = regionOf(target);
      if (from !== undefined && to !== undefined && from !== to) links.add(`${from}>${to}`);
    }
  }
  for (const arrow of Array.from(root.querySelectorAll<SVGGElement>('[data-edge]'))) {
    const id = arrow.dataset.edge ?? '';
    arrow.classList.toggle('taken', arrows.has(id));
    for (const text of Array.from(arrow.querySelectorAll<SVGTextElement>('text[data-line]'))) {
      text.classList.toggle('taken', lines.has(`${id}#${text.dataset.line}`));
    }
  }
  for (const link of Array.from(root.querySelectorAll<SVGGElement>('[data-link]'))) {
    link.classList.toggle('taken', links.has(`${link.dataset.from}>${link.dataset.to}`));
  }
  return { current, regions };
}

/** Where the panel must look in `view`, in order of need; the panel shows as many of these as it can. */
export interface Focus {
  /** The current states' boxes. */
  readonly states: readonly Box[];
  /** Their names' rows (all of a tall box cannot always be shown). */
  readonly names: readonly Box[];
  /** Where the last transition is drawn: an arrow's label and head, or the rows of a line written in a box. */
  readonly last: readonly Box[];
}

export function focusOf(
  view: DrawnView,
  current: readonly string[],
  taken: readonly AnyTransitionDefinition[],
  drawing: StatechartDrawing,
): Focus {
  const states = view.boxes.filter((box) => box.path !== undefined && current.includes(box.path));
  // A name is written centred in a box without boxes inside, at its top-left in one with.
  const names = states.map((box) => {
    const width = Math.min(box.width, box.name.length * CHAR.name + 24);
    const x = box.compound ? box.x : box.x + (box.width - width) / 2;
    return { x, y: box.y, width, height: Math.min(box.height, LINE.name + 12) };
  });
  const ids = new Set(taken.flatMap((transition) => drawing.drawnAs(transition).map((place) => place.arrow)));
  const last: Box[] = [];
  for (const arrow of view.arrows) {
    if (!ids.has(arrow.id)) continue;
    if (arrow.labelBox) last.push(arrow.labelBox);
    const head = arrow.points.at(-1);
    if (head) last.push({ x: head.x - 8, y: head.y - 8, width: 16, height: 16 });
  }
  for (const box of view.boxes) {
    let row = box.notes.length;
    for (const line of box.written) {
      const rows = line.via ? 1 : rowsOf(line.text).length;
      const y = box.y + 6 + LINE.name + row * LINE.label;
      if (line.id !== undefined && ids.has(line.id)) {
        const width = (2 + Math.max(...rowsOf(line.text).map((text) => text.length))) * CHAR.label + 16;
        last.push({ x: box.x, y, width: Math.min(box.width, width), height: rows * LINE.label + 4 });
      }
      row += rows;
    }
  }
  return { states, names, last };
}
