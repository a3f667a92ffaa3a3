// The panel's input: drag (mouse, pen or one finger) pans, two fingers pinch to zoom, the wheel scrolls the
// drawing (Ctrl or ⌘ with it, or a touchpad's pinch, zooms), and the keys +, −, 0 and the arrows zoom, fit and
// pan. A click, or Enter, on a closed region's box opens it.

/** What the gestures ask of the panel, in screen pixels relative to the panel's top-left corner. */
export interface GestureTarget {
  /** Moves the drawing; says whether it moved (a wheel that cannot move it scrolls the page instead). */
  pan(dx: number, dy: number): boolean;
  zoom(factor: number, at?: { readonly x: number; readonly y: number }): void;
  fit(): void;
  /** A closed region's box was clicked, or Enter (or Space) pressed on it. */
  open(region: string): void;
}

/** A zoom step of the buttons and keys. */
export const ZOOM_STEP = 1.25;
const KEY_PAN = 60;
/** A pointer that moved less than this (px) clicked rather than dragged. */
const CLICK_SLOP = 4;

const closedRegion = (target: EventTarget | null): string | undefined => {
  const box = target instanceof Element ? target.closest<SVGElement>('[data-region][role="button"]') : null;
  return box?.dataset.region;
};

/** Binds the panel's gestures to `viewport`, the element the drawing is shown in. */
export function bindGestures(viewport: HTMLElement, target: GestureTarget): void {
  const local = (event: { clientX: number; clientY: number }) => {
    const frame = viewport.getBoundingClientRect();
    return { x: event.clientX - frame.left, y: event.clientY - frame.top };
  };
  const pointers = new Map<number, { x: number; y: number }>();
  let travelled = 0;

  viewport.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    pointers.set(event.pointerId, local(event));
    if (pointers.size === 1) travelled = 0;
  });
  viewport.addEventListener('pointermove', (event) => {
    const before = pointers.get(event.pointerId);
    if (!before) return;
    const now = local(event);
    if (pointers.size === 1) {
      travelled += Math.hypot(now.x - before.x, now.y - before.y);
      // Captured only once it is a drag, so that a click still reaches the box under it.
      if (travelled > CLICK_SLOP && !viewport.hasPointerCapture(event.pointerId))
        viewport.setPointerCapture(event.pointerId);
      if (travelled > CLICK_SLOP) target.pan(now.x - before.x, now.y - before.y);
    } else if (pointers.size === 2) {
      const other = [...pointers].find(([id]) => id !== event.pointerId)?.[1];
      if (other) {
        const spread = (a: { x: number; y: number }) => Math.hypot(a.x - other.x, a.y - other.y);
        const middle = (a: { x: number; y: number }) => ({ x: (a.x + other.x) / 2, y: (a.y + other.y) / 2 });
        if (spread(before) > 0) target.zoom(spread(now) / spread(before), middle(now));
        target.pan(middle(now).x - middle(before).x, middle(now).y - middle(before).y);
        travelled = Number.POSITIVE_INFINITY;
      }
    }
    pointers.set(event.pointerId, now);
  });
  const release = (event: PointerEvent) => {
    pointers.delete(event.pointerId);
  };
  viewport.addEventListener('pointerup', release);
  viewport.addEventListener('pointercancel', release);
  viewport.addEventListener('click', (event) => {
    const region = closedRegion(event.target);
    if (region !== undefined && travelled <= CLICK_SLOP) target.open(region);
  });

  viewport.addEventListener(
    'wheel',
    (event) => {
      const unit =
        event.deltaMode === WheelEvent.DOM_DELTA_LINE
          ? 16
          : event.deltaMode === WheelEvent.DOM_DELTA_PAGE
            ? 400
            : 1;
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        target.zoom(Math.exp((-event.deltaY * unit) / 300), local(event));
      } else if (target.pan(-event.deltaX * unit, -event.deltaY * unit)) event.preventDefault();
    },
    { passive: false },
  );

  viewport.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const region = closedRegion(event.target);
    const step = event.shiftKey ? KEY_PAN * 3 : KEY_PAN;
    const moves: Record<string, () => unknown> = {
      '+': () => target.zoom(ZOOM_STEP),
      '=': () => target.zoom(ZOOM_STEP),
      '-': () => target.zoom(1 / ZOOM_STEP),
      _: () => target.zoom(1 / ZOOM_STEP),
      '0': () => target.fit(),
      ArrowLeft: () => target.pan(step, 0),
      ArrowRight: () => target.pan(-step, 0),
      ArrowUp: () => target.pan(0, step),
      ArrowDown: () => target.pan(0, -step),
      ...(region === undefined ? {} : { Enter: () => target.open(region), ' ': () => target.open(region) }),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  });
}
