// What every screen of the demo does with the page: find an element, write a text, show a countdown.

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

/** A countdown to `at` (epoch ms), in whole seconds; hidden without one. Returns whether it is shown. */
export function renderCountdown({ line, time }: WaitLine, at: number | undefined): boolean {
  line.hidden = at === undefined;
  if (at === undefined) return false;
  time.dateTime = new Date(at).toISOString();
  setText(time, String(Math.max(1, Math.ceil((at - Date.now()) / 1000))));
  return true;
}

/** A countdown to `at` (epoch ms) as minutes and seconds, M:SS; hidden without one. Returns whether it is shown. */
export function renderClock({ line, time }: WaitLine, at: number | undefined): boolean {
  line.hidden = at === undefined;
  if (at === undefined) return false;
  const seconds = Math.max(0, Math.ceil((at - Date.now()) / 1000));
  time.dateTime = new Date(at).toISOString();
  setText(time, `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`);
  return true;
}
