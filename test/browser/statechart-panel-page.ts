// What the statechart panel's browser test reads and does on the page: the rendered size of every label, where
// a box is on the screen, the drawing's scale (measured, not read from the page), a login, a two-finger pinch.
import type { Page } from 'playwright-core';

export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly width: number;
  readonly height: number;
}

/** Waits for the panel to be drawn (its layout done, its first snapshot marked). */
export async function waitForChart(page: Page): Promise<void> {
  await page.waitForSelector('#chart[data-drawn="true"][data-current]');
}

/** Logs in as a demo user (password `<name>-password`), as a person does. */
export async function logIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`${username}-password`);
  await page.getByLabel('Password').press('Enter');
}

/** Where the first element matching `selector` is drawn on the screen, in CSS px. */
export async function rectOf(page: Page, selector: string): Promise<Rect> {
  const element = page.locator(selector).first();
  await element.waitFor({ state: 'attached' });
  return element.evaluate((node) => node.getBoundingClientRect().toJSON() as Rect);
}

/** CSS px per drawing unit, measured: a drawn box's rendered width over its width in the SVG. */
export function scaleOf(page: Page): Promise<number> {
  return page.evaluate(() => {
    const box = document.querySelector<SVGRectElement>('#chart .sc-shown rect');
    if (!box) throw new Error('no box drawn');
    return box.getBoundingClientRect().width / box.width.baseVal.value;
  });
}

export interface ChartLabels {
  /** Every text the open view draws, with its rendered height (CSS px). */
  readonly drawn: readonly { readonly text: string; readonly height: number }[];
  /** How many of them are inside the panel's visible area now. */
  readonly inSight: number;
  /** The rendered height of each line of the panel's buttons, caption and hint. */
  readonly controls: readonly number[];
}

/** Measures the labels of the panel as rendered: `getBoundingClientRect` of each SVG text, a Range over HTML text. */
export function labelsOfChart(page: Page): Promise<ChartLabels> {
  return page.evaluate(() => {
    const frame = (document.querySelector('#chart .sc-viewport') as HTMLElement).getBoundingClientRect();
    // One label per row: a text's rows (tspans; a label broken before its guard has two), or the text itself.
    const rows = Array.from(document.querySelectorAll<SVGTextElement>('#chart .sc-shown text')).flatMap(
      (text) => {
        const parts = Array.from(text.querySelectorAll('tspan'));
        return parts.length > 0 ? parts : [text];
      },
    );
    const drawn = rows
      .map((row) => ({ text: row.textContent ?? '', rect: row.getBoundingClientRect() }))
      .filter(({ rect }) => rect.width > 0 && rect.height > 0);
    const inSight = drawn.filter(
      ({ rect }) =>
        rect.left >= frame.left &&
        rect.right <= frame.right &&
        rect.top >= frame.top &&
        rect.bottom <= frame.bottom,
    ).length;
    const controls = Array.from(document.querySelectorAll<HTMLElement>('#chart button, #chart p')).flatMap(
      (element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return Array.from(range.getClientRects(), (rect) => rect.height).filter((height) => height > 0);
      },
    );
    return { drawn: drawn.map(({ text, rect }) => ({ text, height: rect.height })), inSight, controls };
  });
}

/** Two fingers on the panel at `at`, `from` px apart, moving to `to` px apart (a real touch, by the DevTools protocol). */
export async function pinch(
  page: Page,
  at: { x: number; y: number },
  from: number,
  to: number,
): Promise<void> {
  const session = await page.context().newCDPSession(page);
  const fingers = (apart: number) => [
    { x: at.x - apart / 2, y: at.y, id: 1 },
    { x: at.x + apart / 2, y: at.y, id: 2 },
  ];
  try {
    await session.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(from) });
    for (let step = 1; step <= 5; step += 1) {
      const apart = from + ((to - from) * step) / 5;
      await session.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: fingers(apart) });
    }
    await session.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  } finally {
    await session.detach();
  }
}
