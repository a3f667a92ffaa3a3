// Where focus goes when the login screen changes, the same in the React, Vue and Svelte examples: to the field
// the person must fix or fill in next, otherwise to the screen's heading (which is focusable for this, with
// tabindex="-1"), so a screen reader reads the new screen and a stray Enter presses no button (in `succeeded`,
// that would be "Log out").
import type { EtnaAuthErrorData } from 'etna-auth';
import type { View } from './view.js';

/** The element to focus in the login section `screen`, as just rendered. */
export function nextFocus(screen: HTMLElement): HTMLElement | null {
  const fields = [...screen.querySelectorAll<HTMLInputElement>('input:not([type="hidden"])')];
  return (
    fields.find((input) => input.getAttribute('aria-invalid') === 'true') ??
    fields.find((input) => input.value === '') ??
    fields[0] ??
    screen.querySelector<HTMLElement>('h2')
  );
}

/** Moves focus for a screen that changed (its view, or the input error it shows); call it after rendering. */
export function focusNext(screen: HTMLElement | null | undefined): void {
  const target = screen ? nextFocus(screen) : null;
  if (target && target !== screen?.ownerDocument.activeElement) target.focus();
}

/** What a change of screen is keyed on: focus moves when one of these changes. */
export function focusKey(view: View, error: EtnaAuthErrorData | undefined): string {
  return `${view}:${error?.kind === 'input' ? (error.field ?? '') : ''}`;
}

/**
 * The `autocomplete` hint of each prompt's field, as on the web demo: a security PIN is neither the account
 * password nor a one-time code, so password managers and SMS autofill are kept out of it.
 */
export const PROMPT_AUTOCOMPLETE = { pin: 'off', code: 'one-time-code' } as const;
