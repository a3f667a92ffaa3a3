// The demo's statechart panel: the diagram of the running actor's machine, drawn from its own definition by
// statechart-drawing.ts (elkjs), with the current state nodes highlighted and the last transition taken marked.
// Nothing here names a state: a state added to the machine shows up by itself.

import type { ElkNode } from 'elkjs/lib/elk.bundled.js';
import type {
  AnyActor,
  AnyMachineSnapshot,
  AnyStateMachine,
  AnyTransitionDefinition,
  StateValue,
} from 'xstate';
import { eventLabel, guardName } from '../scripts/transition-labels.js';
import { layoutStatechart, type StatechartLayout, statechartSvg } from './statechart-drawing.js';
import './statechart-diagram.css';

export interface StatechartDiagram {
  /** Highlights the state nodes the snapshot is in, and the arrows of the last transition taken. */
  update(snapshot: AnyMachineSnapshot): void;
  /** Settles once the diagram is drawn (the layout runs asynchronously). */
  readonly drawn: Promise<void>;
}

/** The state value that `snapshot.matches` takes for a path: 'expecting.securityPin' → { expecting: 'securityPin' }. */
function stateValueOf(path: readonly string[]): StateValue {
  const [head, ...rest] = path;
  if (head === undefined) return {};
  return rest.length === 0 ? head : { [head]: stateValueOf(rest) };
}

/**
 * Draws the diagram of `actor`'s machine into `container`. Call it before `actor.start()`, so that a
 * transition taken at start (a restored session) is marked too.
 */
export function createStatechartDiagram(container: HTMLElement, actor: AnyActor): StatechartDiagram {
  const machine = actor.logic as AnyStateMachine;
  let layout: StatechartLayout | undefined;
  let shown: AnyMachineSnapshot | undefined;
  /** The transitions of the latest event that took any; kept while later events are ignored. */
  let taken: AnyTransitionDefinition[] = [];
  let collecting: AnyTransitionDefinition[] | undefined;

  actor.system.inspect((event) => {
    if (event.actorRef !== actor) return;
    if (event.type === '@xstate.event') collecting = [];
    if (event.type === '@xstate.microstep' && event._transitions.length > 0) {
      collecting ??= [];
      collecting.push(...event._transitions);
      taken = collecting;
    }
  });

  const caption = document.createElement('p');
  caption.className = 'sc-caption';
  caption.textContent = 'Drawing the statechart…';
  const figure = document.createElement('div');
  figure.className = 'sc-figure';
  container.replaceChildren(figure, caption);

  function describe(transition: AnyTransitionDefinition): string {
    const from = transition.source.path.join('.') || `#${machine.id}`;
    const to = transition.target?.length
      ? transition.target.map((target) => target.path.join('.')).join(', ')
      : from;
    const guard = guardName(transition.guard);
    return `${eventLabel(transition.eventType)}${guard ? ` [${guard}]` : ''}, ${from} → ${to}`;
  }

  function paint(): void {
    if (!layout || !shown) return;
    const snapshot = shown;
    const active: string[] = [];
    for (const box of Array.from(figure.querySelectorAll<SVGGElement>('[data-state]'))) {
      const path = box.dataset.state ?? '';
      const on = snapshot.matches(stateValueOf(path.split('.')));
      box.classList.toggle('active', on);
      if (on) {
        box.setAttribute('aria-current', 'true');
        active.push(path);
      } else box.removeAttribute('aria-current');
    }
    const marked = new Set(taken.flatMap((transition) => layout?.edgesOf(transition) ?? []));
    for (const arrow of Array.from(figure.querySelectorAll<SVGGElement>('[data-edge]'))) {
      arrow.classList.toggle('taken', marked.has(arrow.dataset.edge ?? ''));
    }
    const current = active.filter((path) => !active.some((other) => other.startsWith(`${path}.`)));
    const last = taken.at(-1);
    caption.textContent = `In ${current.join(', ')}.${last ? ` Last transition: ${describe(last)}.` : ''}`;
    container.dataset.current = current.join(' ');
  }

  // The layout the demo's bundle computed ahead from the same machine, when it did (ELK runs here otherwise).
  const placed = (globalThis as { __ETNA_STATECHART_PLACED__?: ElkNode }).__ETNA_STATECHART_PLACED__;
  const drawn = layoutStatechart(machine.root, placed).then(
    (laid) => {
      layout = laid;
      figure.innerHTML = statechartSvg(laid);
      container.dataset.drawn = 'true';
      paint();
    },
    (error: unknown) => {
      caption.textContent = `The statechart could not be drawn: ${String(error)}`;
    },
  );

  return {
    update(snapshot) {
      shown = snapshot;
      paint();
    },
    drawn,
  };
}
