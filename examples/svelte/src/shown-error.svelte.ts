// A form's view of `context.error`: a refused value is shown until the person edits its field, a failed request
// until the machine drops it (ui-common/error-text.ts says when a refusal is stale).
import type { EtnaAuthErrorData } from 'etna-auth';
import { editMakesStale, refusalShown } from '../../ui-common/error-text.js';

/** `error` read from the form's props; give `oninput` to the form. */
export function shownError(error: () => EtnaAuthErrorData | undefined) {
  let edited = $state.raw<EtnaAuthErrorData>();
  return {
    get shown() {
      const current = error();
      return current?.kind === 'input' ? refusalShown(current, edited) : current;
    },
    /** A value was just refused: the server's Errors of the submission before are stale beside it. */
    get refused() {
      return error()?.kind === 'input';
    },
    /** `aria-invalid` for the field named `name`. */
    invalid(name: string) {
      const shown = this.shown;
      return shown?.kind === 'input' && shown.field === name ? 'true' : undefined;
    },
    // Once per refusal, not per key: typing re-renders nothing else.
    oninput(event: Event) {
      const current = error();
      if (current !== edited && editMakesStale(current, (event.target as HTMLInputElement).name))
        edited = current;
    },
  };
}
