// The outcomes region's screens: `failed` (the server refused the login: its reason, its step and what to do) and
// `error` (no usable answer: what went wrong, RETRY, and after a 429 the wait before RETRY is offered again).
import type { ActionButtons } from '../action-buttons.js';
import { byId, renderWait, setText, waitLine } from '../dom.js';
import type { RegionScreen } from '../screen.js';
import { describeError, describeFailure, WORDS } from '../words.js';

const failedPanel = byId('failed-panel');
const failureReason = byId('failure-reason');
const failureStepLine = byId('failure-step-line');
const failureStep = byId('failure-step');
const failureAdvice = byId('failure-advice');
const errorPanel = byId('error-panel');
const errorTitle = byId('error-title');
const errorMessage = byId('error-message');
const retryWait = waitLine('retry-wait', 'retry-at');

/** The outcomes; RETRY is one of the page's `actions`. */
export function createOutcomesScreen(actions: ActionButtons): RegionScreen {
  let retryWasShown = false;

  return {
    render({ context, state }) {
      failedPanel.hidden = state !== 'failed';
      const failure = context.failure ? describeFailure(context.failure, WORDS) : undefined;
      setText(failureReason, failure?.reason ?? '');
      setText(failureStep, failure?.step ?? '');
      failureStepLine.hidden = failure?.step === undefined;
      setText(failureAdvice, failure?.advice ?? '');

      // What went wrong, in the catalog's words; the error's kind and message are the event log's, for developers.
      const serverError = state === 'error' && context.error ? context.error : undefined;
      errorPanel.hidden = !serverError;
      if (serverError) errorPanel.dataset.kind = serverError.kind;
      else delete errorPanel.dataset.kind;
      setText(errorTitle, serverError ? WORDS.errorTitles[serverError.kind] : '');
      setText(errorMessage, serverError ? describeError(serverError, WORDS) : '');
      // After a 429, RETRY is offered only once its Retry-After has passed: the machine's own timer says when.
      return renderWait(retryWait, 'retry', state === 'error' ? context.retryAvailableAt : undefined);
    },

    focus({ state, entered }) {
      const retry = actions.button('RETRY');
      const retryShown = retry !== undefined && !retry.hidden;
      if (entered && state === 'failed') retry?.focus();
      // While a 429's wait holds Retry back, the error itself: Retry gets focus when it comes.
      if (entered && state === 'error') (retryShown ? retry : errorTitle).focus();
      // Retry came back after a rate limit's wait: focus it, unless the person went elsewhere meanwhile.
      if (
        !entered &&
        retryShown &&
        !retryWasShown &&
        [errorTitle, document.body].includes(document.activeElement as HTMLElement)
      )
        retry?.focus();
      retryWasShown = retryShown;
    },
  };
}
