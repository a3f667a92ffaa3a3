// What every screen of the demo does with the page: find an element, write a text, show a countdown.
import type { EtnaWait } from '../src/messages/index.js';
import { describeWait, WORDS } from './words.js';

/** The element of `index.html` with this id; a missing one is a broken page, said at start. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from index.html`);
  return found as T;
}

/** Writes a text only when it changed: rewriting a live region's text would announce it again. */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** A line that says how long a wait has left, and the `<time>` in it. */
export interface WaitLine {
  readonly line: HTMLElement;
  readonly time: HTMLTimeElement;
}

/** The wait line `<p id={line}>…<time id={time}>`. */
export const waitLine = (line: string, time: string): WaitLine => ({
  line: byId(line),
  time: byId<HTMLTimeElement>(time),
});

/**
 * The sentence of a wait (`describeWait`) counting down to `at` (epoch ms), in its `<time>`; hidden without one.
 * Returns whether it is shown.
 */
export function renderWait({ line, time }: WaitLine, wait: EtnaWait, at: number | undefined): boolean {
  line.hidden = at === undefined;
  if (at === undefined) return false;
  const left = Math.ceil((at - Date.now()) / 1000);
  // A session's end counts down to 0:00; a wait before a button comes back says at least 1 s until it does.
  const seconds = wait === 'sessionEnd' ? Math.max(0, left) : Math.max(1, left);
  time.dateTime = new Date(at).toISOString();
  setText(time, describeWait(wait, seconds, WORDS));
  return true;
}
