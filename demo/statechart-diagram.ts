// The demo's statechart panel: the running actor's machine drawn from its own definition (demo/statechart/):
// an overview of its regions with one region opened in place, the current state nodes highlighted and the last
// transition marked. It follows the machine (opens the current state's region and keeps the current state and
// the last transition in sight) until the person pans, zooms or opens a region; "Follow the machine" resumes.
// Nothing here names a state: a state added to the machine shows up by itself.

import type { ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { AnyMachineSnapshot, AnyStateMachine, AnyTransitionDefinition, InspectionEvent } from 'xstate';
import {
  type Camera,
  fitCamera,
  fitScale,
  fitsAt,
  keepInside,
  MIN_SCALE,
  panBy,
  reveal,
  transformOf,
  union,
  zoomAt,
} from './statechart/camera.js';
import { bindGestures, type GestureTarget, ZOOM_STEP } from './statechart/gestures.js';
import type { Direction } from './statechart/graph.js';
import {
  type Box,
  DIRECTIONS,
  type DrawnView,
  layoutStatechart,
  type StatechartDrawing,
} from './statechart/layout.js';
import { describe, focusOf, type Marked, markSnapshot } from './statechart/marks.js';
import { STATECHART_DEFS, STATECHART_STYLE, viewMarkup } from './statechart/render.js';
import './statechart-diagram.css';

export interface StatechartDiagram {
  /** Highlights the state nodes the snapshot is in, and the arrows of the last transition taken. */
  update(snapshot: AnyMachineSnapshot): void;
  /** Settles once the diagram is drawn (the layout runs asynchronously). */
  readonly drawn: Promise<void>;
}

const SVG = 'http://www.w3.org/2000/svg';
const OVERVIEW = '';

function button(text: string, label?: string): HTMLButtonElement {
  const made = document.createElement('button');
  made.type = 'button';
  made.textContent = text;
  if (label) made.setAttribute('aria-label', label);
  return made;
}

/** The panel's parts: the region buttons, the zoom buttons, the drawing's viewport, the caption. */
function panelParts(container: HTMLElement) {
  const regions = document.createElement('div');
  regions.className = 'sc-regions';
  regions.setAttribute('role', 'group');
  regions.setAttribute('aria-label', 'Open a region');
  const zoomOut = button('−', 'Zoom out');
  const zoomIn = button('+', 'Zoom in');
  const fitButton = button('Fit', 'Fit the drawing to the panel');
  const follow = button('Follow the machine');
  follow.className = 'sc-follow';
  const zoom = document.createElement('div');
  zoom.className = 'sc-zoom';
  zoom.setAttribute('role', 'group');
  zoom.setAttribute('aria-label', 'Zoom');
  zoom.append(zoomOut, zoomIn, fitButton);
  // A press on the zoom buttons is not the start of a drag of the drawing under them.
  zoom.addEventListener('pointerdown', (event) => event.stopPropagation());
  const bar = document.createElement('div');
  bar.className = 'sc-bar';
  bar.append(regions, follow);
  const hint = document.createElement('p');
  hint.className = 'sc-hint';
  hint.id = `${container.id || 'sc'}-hint`;
  hint.textContent =
    'Drag, scroll or use the arrow keys to move; pinch, Ctrl + wheel or + and − to zoom; 0 fits. Click a region (or Tab to it and press Enter) to open it.';
  const viewport = document.createElement('div');
  viewport.className = 'sc-viewport';
  viewport.tabIndex = 0;
  viewport.setAttribute('role', 'group');
  viewport.setAttribute('aria-label', 'Statechart drawing');
  viewport.setAttribute('aria-describedby', hint.id);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'sc-svg');
  const camera = document.createElementNS(SVG, 'g');
  camera.setAttribute('class', 'sc-camera');
  svg.innerHTML = `<style>${STATECHART_STYLE}</style>${STATECHART_DEFS}`;
  svg.append(camera);
  viewport.append(svg, zoom);
  const caption = document.createElement('p');
  caption.className = 'sc-caption';
  caption.textContent = 'Drawing the statechart…';
  container.replaceChildren(bar, viewport, caption, hint);
  return { regions, zoomOut, zoomIn, fitButton, follow, viewport, svg, camera, caption };
}

/** What the panel draws: a machine, and the system of its local actor when the page runs one. */
export interface DrawnActor {
  readonly logic: unknown;
  /** Absent when the login runs elsewhere (the backend mode): the panel then marks states, not transitions. */
  readonly system?: { inspect(observer: (event: InspectionEvent) => void): unknown };
}

/**
 * Draws the diagram of `actor`'s machine into `container`. Call it before `actor.start()`, so that a
 * transition taken at start (a restored session) is marked too.
 */
export function createStatechartDiagram(container: HTMLElement, actor: DrawnActor): StatechartDiagram {
  const machine = actor.logic as AnyStateMachine;
  const parts = panelParts(container);
  let drawing: StatechartDrawing | undefined;
  let shown: AnyMachineSnapshot | undefined;
  let marked: Marked = { current: [], regions: [] };
  /** The transitions of the latest event that took any; kept while later events are ignored. */
  let taken: AnyTransitionDefinition[] = [];
  let collecting: AnyTransitionDefinition[] | undefined;
  let open = OVERVIEW;
  let following = true;
  let camera: Camera = { x: 0, y: 0, scale: 1 };
  /** Each view is drawn in the direction that fits the panel best (each state is drawn once). */
  let directions = new Map<string, Direction>();

  actor.system?.inspect((event) => {
    if ((event.actorRef as unknown) !== actor) return;
    if (event.type === '@xstate.event') collecting = [];
    if (event.type === '@xstate.microstep' && event._transitions.length > 0) {
      collecting ??= [];
      collecting.push(...event._transitions);
      taken = collecting;
    }
  });

  const panel = () => ({ width: parts.viewport.clientWidth, height: parts.viewport.clientHeight });
  const viewOf = (key: string): DrawnView | undefined =>
    drawing?.views.find((view) => view.key === key && view.direction === directions.get(key));
  const setCamera = (next: Camera) => {
    camera = next;
    parts.camera.setAttribute('transform', transformOf(camera));
    container.dataset.scale = String(Math.round(camera.scale * 1000) / 1000);
  };
  const setFollowing = (on: boolean) => {
    following = on;
    parts.follow.setAttribute('aria-pressed', String(on));
    container.dataset.follow = String(on);
  };

  function chooseDirections(laid: StatechartDrawing): Map<string, Direction> {
    const chosen = new Map<string, Direction>();
    for (const key of [OVERVIEW, ...laid.regions.map((region) => region.name)]) {
      const score = (direction: Direction) => {
        const view = laid.views.find(
          (candidate) => candidate.key === key && candidate.direction === direction,
        );
        return view ? fitScale(view, panel()) : 0;
      };
      chosen.set(
        key,
        DIRECTIONS.reduce((best, next) => (score(next) > score(best) ? next : best)),
      );
    }
    return chosen;
  }

  function render(laid: StatechartDrawing): void {
    const views = [...directions].flatMap(([key, direction]) =>
      laid.views.filter((view) => view.key === key && view.direction === direction),
    );
    parts.camera.innerHTML = views.map((view) => viewMarkup(view, true)).join('\n');
    parts.regions.replaceChildren(
      ...[OVERVIEW, ...laid.regions.map((region) => region.name)].map((key) => {
        const made = button(key || 'Overview');
        made.dataset.view = key;
        made.addEventListener('click', () => openByHand(key));
        return made;
      }),
    );
    show(open);
  }

  function show(key: string): void {
    open = key;
    container.dataset.open = key;
    for (const view of Array.from(parts.camera.querySelectorAll<SVGGElement>('.sc-view'))) {
      view.classList.toggle('sc-shown', view.dataset.view === key);
    }
    for (const made of Array.from(parts.regions.querySelectorAll<HTMLButtonElement>('button'))) {
      made.setAttribute('aria-pressed', String(made.dataset.view === key));
      made.classList.toggle('current', marked.regions.includes(made.dataset.view ?? ''));
    }
  }

  /** What must stay in sight in the open view, from the most to the least: the first that fits is shown. */
  function sights(): Box[] {
    const view = viewOf(open);
    if (!view || !drawing) return [];
    const { states, names, last } = focusOf(view, marked.current, taken, drawing);
    if (states.length === 0) {
      // A region opened by hand, the machine elsewhere: its box, else as much of it as fits from its top-left.
      const frame = view.boxes.find((box) => box.kind === 'region' && box.region === open && box.compound);
      if (!frame) return [];
      const room = panel();
      const corner = {
        ...frame,
        width: Math.min(frame.width, room.width / MIN_SCALE - 40),
        height: Math.min(frame.height, room.height / MIN_SCALE - 40),
      };
      return [frame, corner];
    }
    return [union([...states, ...last]), union([...names, ...last]), union(last), union(names)].filter(
      (box): box is Box => box !== undefined,
    );
  }

  function fitView(): void {
    const view = viewOf(open);
    if (view) setCamera(fitCamera(view, panel(), sights()));
  }

  function keepInSight(): void {
    const view = viewOf(open);
    const size = panel();
    const options = sights();
    const target = options.find((box) => fitsAt(camera, box, size)) ?? options.at(-1);
    if (view && target) setCamera(reveal(camera, target, view, size));
  }

  function openByHand(key: string): void {
    setFollowing(false);
    show(key);
    fitView();
  }

  function paint(): void {
    if (!drawing || !shown) return;
    marked = markSnapshot(parts.camera, drawing, shown, taken);
    const last = taken.at(-1);
    parts.caption.textContent = `In ${marked.current.join(', ')}.${last ? ` Last transition: ${describe(last, machine.id)}.` : ''}`;
    container.dataset.current = marked.current.join(' ');
    const here = marked.regions[0] ?? OVERVIEW;
    if (following && here !== open) {
      show(here);
      fitView();
    } else show(open);
    if (following) keepInSight();
  }

  const moves: GestureTarget = {
    pan: (dx, dy) => {
      const view = viewOf(open);
      if (!view) return false;
      const before = camera;
      setCamera(panBy(camera, dx, dy, view, panel()));
      const moved = before.x !== camera.x || before.y !== camera.y;
      if (moved) setFollowing(false);
      return moved;
    },
    zoom: (factor, at) => {
      const view = viewOf(open);
      if (!view) return;
      const size = panel();
      setFollowing(false);
      setCamera(zoomAt(camera, factor, at ?? { x: size.width / 2, y: size.height / 2 }, view, size));
    },
    fit: fitView,
    open: openByHand,
  };
  bindGestures(parts.viewport, moves);
  parts.zoomIn.addEventListener('click', () => moves.zoom(ZOOM_STEP));
  parts.zoomOut.addEventListener('click', () => moves.zoom(1 / ZOOM_STEP));
  parts.fitButton.addEventListener('click', fitView);
  parts.follow.addEventListener('click', () => {
    setFollowing(!following);
    if (following) {
      show(marked.regions[0] ?? OVERVIEW);
      fitView();
      keepInSight();
    }
  });
  // A region's box reached with Tab is brought into sight.
  parts.svg.addEventListener('focusin', (event) => {
    const region =
      event.target instanceof Element
        ? event.target.closest<SVGGElement>('[data-region]')?.dataset.region
        : undefined;
    const view = viewOf(open);
    const box = view?.boxes.find((candidate) => candidate.kind === 'region' && candidate.region === region);
    if (view && box) setCamera(reveal(camera, box, view, panel()));
  });
  setFollowing(true);

  // The layouts the demo's bundle computed ahead from the same machines, when it did (ELK runs here otherwise).
  const placed = (globalThis as { __ETNA_STATECHART_PLACED__?: Record<string, ElkNode>[] })
    .__ETNA_STATECHART_PLACED__;
  const drawn = layoutStatechart(machine.root, placed).then(
    (laid) => {
      drawing = laid;
      directions = chooseDirections(laid);
      render(laid);
      fitView();
      container.dataset.laidOut = String(laid.laidOutHere);
      container.dataset.drawn = 'true';
      paint();
      // A panel that changes shape (a phone turned, a window resized) may suit the other direction better.
      new ResizeObserver(() => {
        const next = chooseDirections(laid);
        if ([...next].some(([key, direction]) => directions.get(key) !== direction)) {
          directions = next;
          render(laid);
          if (shown) marked = markSnapshot(parts.camera, laid, shown, taken);
        }
        const view = viewOf(open);
        if (following) {
          fitView();
          keepInSight();
        } else if (view) setCamera(keepInside(camera, view, panel()));
      }).observe(parts.viewport);
    },
    (error: unknown) => {
      parts.caption.textContent = `The statechart could not be drawn: ${String(error)}`;
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
