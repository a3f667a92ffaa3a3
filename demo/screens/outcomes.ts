// The outcomes region's screens: `failed` (the server refused the login: its reason, its step and what to do) and
// `error` (no usable answer: what went wrong, RETRY, and after a 429 the wait before RETRY is offered again).
import { FAILURE_GUIDANCE } from '../../src/index.js';
import type { ActionButtons } from '../action-buttons.js';
import { byId, renderCountdown, setText, waitLine } from '../dom.js';
import type { RegionScreen } from '../screen.js';
import { ERROR_TITLES, type ServerErrorKind, sentence } from '../words.js';

const failedPanel = byId('failed-panel');
const failureReason = byId('failure-reason');
const failureStep = byId('failure-step');
const failureAdvice = byId('failure-advice');
const errorPanel = byId('error-panel');
const errorTitle = byId('error-title');
const errorMessage = byId('error-message');
const errorKind = byId('error-kind');
const errorDetail = byId('error-detail');
const retryWait = waitLine('retry-wait', 'retry-at');

/** The outcomes; RETRY is one of the page's `actions`. */
export function createOutcomesScreen(actions: ActionButtons): RegionScreen {
  let retryWasShown = false;

  return {
    render({ context, state }) {
      failedPanel.hidden = state !== 'failed';
      setText(failureReason, context.failure?.reason ?? '');
      setText(failureStep, context.failure?.step ?? '');
      setText(failureAdvice, context.failure ? FAILURE_GUIDANCE[context.failure.code] : '');

      const serverError = state === 'error' && context.error ? context.error : undefined;
      errorPanel.hidden = !serverError;
      setText(errorTitle, serverError ? ERROR_TITLES[serverError.kind as ServerErrorKind] : '');
      setText(errorMessage, serverError ? sentence(serverError.message) : '');
      setText(errorKind, serverError ? `error.kind = "${serverError.kind}"` : '');
      setText(
        errorDetail,
        [
          serverError?.status !== undefined ? `HTTP ${serverError.status}` : '',
          serverError?.retryAfterMs !== undefined ? `retry after ${serverError.retryAfterMs / 1000} s` : '',
        ]
          .filter(Boolean)
          .join(', '),
      );
      // After a 429, RETRY is offered only once its Retry-After has passed: the machine's own timer says when.
      return renderCountdown(retryWait, state === 'error' ? context.retryAvailableAt : undefined);
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
