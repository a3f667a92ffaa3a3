// The screen, a function of the snapshot: each region's screen draws its part (screens/, named like the regions of
// the chart); this draws what they share (the forms, the account and status lines, the action buttons, the
// statechart), moves focus once all is drawn, and draws again each second while a countdown runs.
import type { SnapshotFrom } from 'xstate';
import type { EtnaAuthMachine } from '../src/index.js';
import { describeBusy } from '../src/messages/index.js';
import type { EtnaRemoteSnapshot } from '../src/remote/index.js';
import type { ActionButtons } from './action-buttons.js';
import type { DemoActor } from './demo-actor.js';
import { byId, setText } from './dom.js';
import type { Prompts, PromptView } from './prompts.js';
import { stateName } from './state-name.js';
import { WORDS } from './words.js';

/** A snapshot of the page's login: the machine's here, or the backend's view of it (`npm start -- --bff`). */
export type DemoSnapshot = SnapshotFrom<EtnaAuthMachine> | EtnaRemoteSnapshot;

/** What every region's screen is drawn from: the snapshot, and what the screen showed before. */
export interface Frame {
  readonly snapshot: DemoSnapshot;
  readonly context: DemoSnapshot['context'];
  /** The state as one dotted name, e.g. `expecting.securityPin`. */
  readonly state: string;
  /** The state the screen showed before (undefined at the first drawing). */
  readonly shownState: string | undefined;
  /** The state is not the one the screen showed before. */
  readonly entered: boolean;
  /** Logged in: `succeeded.active`, or one of the phases of `succeeded.endingSoon` (the session still works). */
  readonly loggedIn: boolean;
  readonly busy: boolean;
  /** A request from a form is in flight: the form stays, read-only (loggingOut is busy too, but has no form). */
  readonly formBusy: boolean;
  /** The prompt the state asks, if it is one. */
  readonly prompt: PromptView | undefined;
  /** The state of the prompt shown last before this drawing (`idle` at first). */
  readonly lastPrompt: string;
  /** The form on screen: the state's prompt, or the last prompt's while the request it sent is in flight. */
  readonly view: PromptView | undefined;
}

/** A region's part of the screen. */
export interface RegionScreen {
  /** Draws it; returns true while a countdown of it runs (the screen is then drawn each second). */
  render?(frame: Frame): boolean;
  /** What the status line says, when the region has something to say in this frame (else a busy state's line). */
  status?(frame: Frame): string | undefined;
  /** Moves focus, once the whole screen is drawn. */
  focus?(frame: Frame): void;
}

export interface ScreenParts {
  readonly prompts: Prompts;
  readonly regions: readonly RegionScreen[];
  readonly actions: ActionButtons;
  /** The statechart panel, told of each snapshot drawn. */
  readonly statechart: { update(snapshot: DemoSnapshot): void };
}

/** The page's `render`: draws the screen of `actor`'s snapshot. */
export function createScreen(actor: DemoActor, { prompts, regions, actions, statechart }: ScreenParts) {
  const account = byId('account');
  const status = byId('status');
  let lastPrompt = 'idle';
  let shownState: string | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;

  function frameOf(snapshot: DemoSnapshot): Frame {
    const state = stateName(snapshot.value);
    const busy = snapshot.hasTag('busy');
    const formBusy = busy && state !== 'loggingOut';
    const prompt = prompts.of(state);
    const shownPrompt = lastPrompt;
    if (prompt) lastPrompt = state;
    return {
      snapshot,
      context: snapshot.context,
      state,
      shownState,
      entered: state !== shownState,
      loggedIn: snapshot.matches('succeeded'),
      busy,
      formBusy,
      prompt,
      lastPrompt: shownPrompt,
      view: prompt ?? (formBusy ? prompts.of(lastPrompt) : undefined),
    };
  }

  return function render(): void {
    const snapshot = actor.getSnapshot();
    const frame = frameOf(snapshot);
    const { context, state, loggedIn, busy } = frame;

    prompts.render(frame);
    let counting = false;
    for (const region of regions) counting = region.render?.(frame) === true || counting;

    // The account of a journey in progress; a logged-in session says it in its own panel.
    account.hidden = state === 'idle' || loggedIn || state === 'loggingOut' || !context.username;
    account.querySelector('b')?.replaceChildren(context.username ?? '');
    // Waiting for the server, or for a storage that answers later.
    status.classList.toggle('busy', busy || snapshot.hasTag('restoring'));
    const said = regions.map((region) => region.status?.(frame)).find((text) => text !== undefined);
    // A busy state says what is happening, in the catalog's words.
    setText(status, said ?? (busy ? (describeBusy(snapshot.value, WORDS) ?? '') : ''));
    actions.render(snapshot);
    statechart.update(snapshot);

    prompts.focus(frame);
    for (const region of regions) region.focus?.(frame);

    if (counting && ticker === undefined) ticker = setInterval(render, 1_000);
    if (!counting && ticker !== undefined) {
      clearInterval(ticker);
      ticker = undefined;
    }
    shownState = state;
  };
}
