// Whether the Stately inspector window answered: createBrowserInspector() opens https://stately.ai/inspect and
// sends nothing until that page posts "@statelyai.connected" back. Offline, or with the pop-up blocked, it never
// does, and the toggle would look ticked and silent: the page says so instead.

/** How long the inspector may take to connect before the page says it could not be reached (`?inspectorWait=`). */
const DEFAULT_WAIT_MS = 10_000;

export interface InspectorStatus {
  /** Call right after `createBrowserInspector()`, with the window it opened (or null, when blocked). */
  started(): void;
  /** The toggle was unticked: the status line is cleared. */
  stopped(): void;
}

/** A status line after `toggle` (the inspector's checkbox label), saying whether the inspector connected. */
export function createInspectorStatus(toggle: HTMLElement): InspectorStatus {
  const line = document.createElement('span');
  line.className = 'inspect-status';
  line.id = 'inspect-status';
  line.setAttribute('role', 'status');
  toggle.after(line);
  const waitParam = Number(new URLSearchParams(location.search).get('inspectorWait'));
  const waitMs = waitParam > 0 ? waitParam : DEFAULT_WAIT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watching = false;

  const say = (text: string, bad: boolean) => {
    line.textContent = text;
    line.classList.toggle('bad', bad);
  };
  const unreachable = () =>
    say(
      navigator.onLine
        ? `The Stately inspector did not answer within ${waitMs / 1000} s: https://stately.ai/inspect could not be reached, or its pop-up was blocked.`
        : 'The Stately inspector cannot be reached: this browser is offline.',
      true,
    );

  window.addEventListener('message', (event) => {
    const data = event.data as { type?: unknown } | null;
    if (!watching || typeof data !== 'object' || data?.type !== '@statelyai.connected') return;
    clearTimeout(timer);
    say('Connected to the Stately inspector.', false);
  });

  return {
    started() {
      watching = true;
      clearTimeout(timer);
      if (!navigator.onLine) return unreachable();
      say('Opening the Stately inspector…', false);
      timer = setTimeout(unreachable, waitMs);
    },
    stopped() {
      watching = false;
      clearTimeout(timer);
      say('', false);
    },
  };
}
