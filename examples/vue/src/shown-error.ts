// A form's view of `context.error`: a refused value is shown until the person edits its field, a failed request
// until the machine drops it (ui-common/error-text.ts says when a refusal is stale).
import type { EtnaAuthErrorData } from 'etna-auth';
import { computed, shallowRef } from 'vue';
import { editMakesStale, refusalShown } from '../../ui-common/error-text.js';

/** `error` read from the form's props; bind `onInput` to the form's `@input`. */
export function useShownError(error: () => EtnaAuthErrorData | undefined) {
  const edited = shallowRef<EtnaAuthErrorData>();
  const shown = computed(() => {
    const current = error();
    return current?.kind === 'input' ? refusalShown(current, edited.value) : current;
  });
  // Once per refusal, not per key: typing re-renders nothing else.
  const onInput = (event: Event) => {
    const current = error();
    if (current !== edited.value && editMakesStale(current, (event.target as HTMLInputElement).name))
      edited.value = current;
  };
  /** `aria-invalid` for the field named `name`. */
  const invalid = (name: string) =>
    shown.value?.kind === 'input' && shown.value.field === name ? 'true' : undefined;
  /** A value was just refused: the server's Errors of the submission before are stale beside it. */
  const refused = computed(() => error()?.kind === 'input');
  return { shown, onInput, invalid, refused };
}
