// The journey's forms, one per prompt: each shown while its state asks (and, read-only, while the request it sent
// is in flight), with the refusal of its fields and the server's Errors, its secrets emptied, and focus on it.
// What a form says goes stale when the person moves on: a refusal goes once its field is edited, and the server's
// Errors of the submission before are not shown beside a new refusal.
import type { EtnaAuthEvent } from '../src/index.js';
import type { DemoActor } from './demo-actor.js';
import { setText } from './dom.js';
import type { Frame } from './screen.js';
import { describeError, WORDS } from './words.js';

/** The states that show a form to fill in. */
export type Prompt =
  | 'idle'
  | 'expecting.securityPin'
  | 'expecting.verificationCode'
  | 'succeeded.endingSoon.warning'
  | 'succeeded.endingSoon.securityPin'
  | 'succeeded.endingSoon.verificationCode'
  | 'pinSetup.choosing'
  | 'passwordChange.editing'
  | 'passwordReset.question'
  | 'passwordReset.code'
  | 'passwordReset.newPassword';

/** One prompt: its form, its fields by the `field` an input refusal names, and where its messages go. */
export interface PromptView {
  readonly form: HTMLFormElement;
  readonly fields: Readonly<Record<string, HTMLElement>>;
  /** The fields that hold a secret: emptied once it was sent, and whenever a prompt is shown anew. */
  readonly secrets: readonly HTMLInputElement[];
  /** A refused input's message (`context.error` of kind `input`), in a `role="alert"`. */
  readonly fieldError: HTMLElement;
  /** The server's `Errors` of a refused call (`context.serverErrors`), in a `role="alert"`. */
  readonly serverErrors?: HTMLElement;
  /** Writes what a form two prompts share says for this one (its heading, its hint), whenever it is shown. */
  readonly onShow?: () => void;
  /**
   * In the document only while shown (see index.html): its new-password and answer fields must not sit hidden
   * beside the login form, where password managers and labels would take them for the login's.
   */
  readonly onlyWhileShown?: boolean;
  /** The field focus moves to when the prompt is shown. */
  first(): HTMLElement;
}

/** Sends `event()` to `actor` when `form` is submitted: the page never navigates. */
export function onSubmit(form: HTMLFormElement, actor: DemoActor, event: () => EtnaAuthEvent): void {
  form.addEventListener('submit', (submit) => {
    submit.preventDefault();
    actor.send(event());
  });
}

/** The prompts of the page, by state. */
export type PromptViews = Readonly<Record<Prompt, PromptView>>;

/** Each once: a form or a slot two prompts share is one element. */
const each = <T>(values: readonly T[]) => [...new Set(values)];

export interface Prompts {
  /** The prompt `state` asks, if it is one. */
  of(state: string): PromptView | undefined;
  /** Shows the frame's form (hiding the others), busy or not, and what was refused in it. */
  render(frame: Frame): void;
  /** Focus on a prompt just shown, or on a field just refused. */
  focus(frame: Frame): void;
}

/** The page's forms, driven by `views`. Takes the forms shown only while asked out of the document. */
export function createPrompts(views: PromptViews): Prompts {
  const all = Object.values(views);
  const forms = each(all.map((view) => view.form));
  const fieldErrors = each(all.map((view) => view.fieldError));
  const serverErrorSlots = each(all.flatMap((view) => (view.serverErrors ? [view.serverErrors] : [])));
  const checkedFields = each(all.flatMap((view) => Object.values(view.fields)));
  const secretFields = each(all.flatMap((view) => view.secrets));
  const shownServerErrors = new Map<HTMLElement, string>();
  let shownError: unknown;
  /** The refusal on screen, and whether its field was edited since: then it is no longer shown. */
  let refusalShown: { error: unknown; field: HTMLElement | undefined; slot: HTMLElement | undefined } = {
    error: undefined,
    field: undefined,
    slot: undefined,
  };
  let editedSinceRefusal = false;

  // Editing the refused field (typing, or picking another picture) takes its refusal off the screen.
  for (const form of forms) {
    form.addEventListener('input', (edit) => {
      const { field, slot } = refusalShown;
      if (!field || !(edit.target instanceof Node) || !field.contains(edit.target)) return;
      editedSinceRefusal = true;
      field.removeAttribute('aria-invalid');
      if (slot) setText(slot, '');
    });
  }

  // Each such form leaves a comment in its place, and goes back there when its prompt comes.
  const places = new Map<HTMLFormElement, Comment>();
  for (const form of each(all.filter((view) => view.onlyWhileShown).map((view) => view.form))) {
    const place = document.createComment(` ${form.id}: in the document while shown `);
    form.replaceWith(place);
    places.set(form, place);
  }

  function showForm(form: HTMLFormElement, shown: boolean): void {
    form.hidden = !shown;
    const place = places.get(form);
    if (!place) return;
    if (shown && !form.isConnected) place.replaceWith(form);
    else if (!shown && form.isConnected) form.replaceWith(place);
  }

  /** The server's `Errors` as a list in a form's alert, written only when they changed (or it would announce again). */
  function renderServerErrors(slot: HTMLElement, errors: readonly string[]): void {
    const key = JSON.stringify(errors);
    if ((shownServerErrors.get(slot) ?? '[]') === key) return;
    shownServerErrors.set(slot, key);
    if (errors.length === 0) {
      slot.replaceChildren();
      return;
    }
    const list = document.createElement('ul');
    list.append(
      ...errors.map((error) => Object.assign(document.createElement('li'), { textContent: error })),
    );
    slot.replaceChildren(list);
  }

  /** The input refused in the frame's form, and the field it names there. */
  function refusal({ context, view }: Frame) {
    const inputError = context.error?.kind === 'input' ? context.error : undefined;
    const refused = inputError && view ? view.fields[inputError.field ?? ''] : undefined;
    return { inputError, refused };
  }

  return {
    of: (state) => (Object.hasOwn(views, state) ? views[state as Prompt] : undefined),

    render(frame) {
      const { context, entered, formBusy, view } = frame;
      for (const form of forms) {
        const shown = form === view?.form;
        showForm(form, shown);
        form.setAttribute('aria-busy', String(shown && formBusy));
        for (const control of Array.from(form.querySelectorAll('input'))) {
          if (control.type === 'checkbox' || control.type === 'radio') control.disabled = formBusy;
          else control.readOnly = formBusy;
        }
        for (const button of Array.from(form.querySelectorAll('button'))) button.disabled = formBusy;
      }
      view?.onShow?.();
      // Secrets leave the DOM as soon as they were sent; a prompt shown again starts empty.
      if (entered && !formBusy) for (const secret of secretFields) secret.value = '';

      const { inputError, refused } = refusal(frame);
      for (const slot of serverErrorSlots) {
        const shown = slot === view?.serverErrors && !inputError;
        renderServerErrors(slot, shown ? (context.serverErrors ?? []) : []);
      }
      if (inputError !== refusalShown.error) editedSinceRefusal = false;
      refusalShown = { error: inputError, field: refused, slot: view?.fieldError };
      const said = inputError && !editedSinceRefusal ? describeError(inputError, WORDS) : '';
      for (const slot of fieldErrors) setText(slot, slot === view?.fieldError ? said : '');
      for (const checked of checkedFields) {
        if (checked === refused && !editedSinceRefusal) checked.setAttribute('aria-invalid', 'true');
        else checked.removeAttribute('aria-invalid');
      }
    },

    focus(frame) {
      const { inputError, refused } = refusal(frame);
      if (frame.entered) frame.prompt?.first().focus();
      // A refused group (the picture's radios) is focused by its chosen, or first, radio.
      if (refused && inputError !== shownError) {
        (refused instanceof HTMLInputElement ? refused : (frame.view?.first() ?? refused)).focus();
      }
      shownError = frame.context.error;
    },
  };
}
