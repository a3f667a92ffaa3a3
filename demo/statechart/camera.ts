// Where the panel looks: a scale and an offset (screen = drawing × scale + offset), and the moves a person
// makes with it. The scale never goes below the one at which the smallest text is MIN_TEXT_PX tall, so
// whatever is drawn can be read; a drawing bigger than the panel at that scale is panned, not shrunk.
import { FONT } from './graph.js';
import type { Box } from './layout.js';

/** The smallest text a person can read on a phone, in CSS pixels. */
export const MIN_TEXT_PX = 11;
export const MIN_SCALE = MIN_TEXT_PX / Math.min(FONT.label, FONT.name);
export const MAX_SCALE = 3;
/** The room kept between what is shown and the panel's edge, in CSS pixels. */
const MARGIN = 16;

export interface Camera {
  readonly x: number;
  readonly y: number;
  readonly scale: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);
export const clampScale = (scale: number) => clamp(scale, MIN_SCALE, MAX_SCALE);

/** The scale at which `content` fits the panel, whether readable or not. */
export const fitScale = (content: Size, panel: Size) =>
  Math.min((panel.width - 2 * MARGIN) / content.width, (panel.height - 2 * MARGIN) / content.height);

/**
 * Keeps the drawing on the panel: along an axis where it is smaller than the panel it is centred, along one
 * where it is bigger it can be moved until its edge meets the panel's (less a margin).
 */
export function keepInside(camera: Camera, content: Size, panel: Size): Camera {
  const axis = (offset: number, length: number, room: number) => {
    const drawn = length * camera.scale;
    if (drawn + 2 * MARGIN <= room) return (room - drawn) / 2;
    return clamp(offset, room - drawn - MARGIN, MARGIN);
  };
  return {
    scale: camera.scale,
    x: axis(camera.x, content.width, panel.width),
    y: axis(camera.y, content.height, panel.height),
  };
}

/** The camera that shows `box` in the middle of the panel at `scale`. */
export function centreOn(box: Box, scale: number, content: Size, panel: Size): Camera {
  const x = panel.width / 2 - (box.x + box.width / 2) * scale;
  const y = panel.height / 2 - (box.y + box.height / 2) * scale;
  return keepInside({ x, y, scale }, content, panel);
}

/**
 * Fit: the whole drawing when it can be read whole; else the readable scale, centred on the first of `focus`
 * (the current state and the last transition, say) that fits the panel, or the last of them.
 */
export function fitCamera(content: Size, panel: Size, focus: readonly Box[] = []): Camera {
  const scale = clamp(fitScale(content, panel), MIN_SCALE, 1.25);
  if (scale > MIN_SCALE || focus.length === 0)
    return centreOn({ x: 0, y: 0, ...content }, scale, content, panel);
  const fits = (box: Box) =>
    box.width * scale + 2 * MARGIN <= panel.width && box.height * scale + 2 * MARGIN <= panel.height;
  return centreOn(focus.find(fits) ?? (focus.at(-1) as Box), scale, content, panel);
}

/** Whether `box` can be shown whole at `camera`'s scale. */
export const fitsAt = (camera: Camera, box: Box, panel: Size) =>
  box.width * camera.scale + 2 * MARGIN <= panel.width &&
  box.height * camera.scale + 2 * MARGIN <= panel.height;

/** The least move that brings `box` into view (its top-left corner first, if it cannot be shown whole). */
export function reveal(camera: Camera, box: Box, content: Size, panel: Size): Camera {
  const axis = (offset: number, start: number, length: number, room: number) => {
    const low = start * camera.scale + offset;
    const high = (start + length) * camera.scale + offset;
    if (high - low + 2 * MARGIN > room || low < MARGIN) return MARGIN - start * camera.scale;
    if (high > room - MARGIN) return room - MARGIN - (start + length) * camera.scale;
    return offset;
  };
  const moved = {
    scale: camera.scale,
    x: axis(camera.x, box.x, box.width, panel.width),
    y: axis(camera.y, box.y, box.height, panel.height),
  };
  return keepInside(moved, content, panel);
}

/** Zooms by `factor` around a point of the panel (it stays where it is on the screen). */
export function zoomAt(
  camera: Camera,
  factor: number,
  at: { x: number; y: number },
  content: Size,
  panel: Size,
): Camera {
  const scale = clampScale(camera.scale * factor);
  const ratio = scale / camera.scale;
  return keepInside(
    { scale, x: at.x - (at.x - camera.x) * ratio, y: at.y - (at.y - camera.y) * ratio },
    content,
    panel,
  );
}

/** Moves the drawing by `dx`, `dy` screen pixels. */
export const panBy = (camera: Camera, dx: number, dy: number, content: Size, panel: Size): Camera =>
  keepInside({ ...camera, x: camera.x + dx, y: camera.y + dy }, content, panel);

/** The smallest box holding all of `boxes`. */
export function union(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  const left = Math.min(...boxes.map((box) => box.x));
  const top = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

export const transformOf = (camera: Camera) =>
  `translate(${Math.round(camera.x * 10) / 10} ${Math.round(camera.y * 10) / 10}) scale(${Math.round(camera.scale * 1000) / 1000})`;
