// The buttons that send an event with nothing in it (RETRY, CANCEL, LOGOUT), each shown while the machine takes it.
import type { EtnaAuthEvent } from '../src/index.js';
import type { DemoActor } from './demo-actor.js';
import { byId } from './dom.js';
import type { DemoSnapshot } from './screen.js';

/** The events the buttons send. */
export type ActionEvent = 'RETRY' | 'CANCEL' | 'LOGOUT';

export interface ActionButtons {
  /** The button that sends `event`. */
  button(event: ActionEvent): HTMLButtonElement | undefined;
  /** Shows each button the snapshot takes, hides the others. */
  render(snapshot: DemoSnapshot): void;
}

/** The buttons of `#actions`, sending to `actor`; `beforeLogout` runs before a LOGOUT is sent. */
export function createActionButtons(actor: DemoActor, beforeLogout: () => void): ActionButtons {
  const buttons = Array.from(byId('actions').querySelectorAll<HTMLButtonElement>('button[data-event]'));
  for (const button of buttons) {
    button.addEventListener('click', () => {
      const type = button.dataset.event as ActionEvent;
      if (type === 'LOGOUT') beforeLogout();
      actor.send({ type });
    });
  }
  return {
    button: (event) => buttons.find((candidate) => candidate.dataset.event === event),
    render(snapshot) {
      for (const button of buttons) {
        button.hidden = !snapshot.can({ type: button.dataset.event } as EtnaAuthEvent);
      }
    },
  };
}
