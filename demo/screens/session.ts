// The session region's screens: logged in (who, until when, whether a reload keeps it, and a call to the API with
// the session), the warning that it ends soon with a login again in place, and logging out.
import { HTTPError } from 'ky';
import { createEtnaClient, EtnaClientError } from '../../src/client/index.js';
import { Secret, selectToken } from '../../src/index.js';
import type { DemoActor } from '../demo-actor.js';
import { byId, renderWait, setText, waitLine } from '../dom.js';
import { onSubmit, type PromptView } from '../prompts.js';
import type { Frame, RegionScreen } from '../screen.js';
import type { SessionKeeping } from '../session-keeping.js';
import { describeError, describeFailure, limitLength, titleOf, WORDS } from '../words.js';
import { codeView, pinView } from './login.js';

/** The protected route the session panel calls, relative to the API root. */
const API_ROUTE = 'v1.0/users/@me/info';

const reloginUsername = byId<HTMLInputElement>('relogin-username');
const reloginPassword = byId<HTMLInputElement>('relogin-password');
const endingPanel = byId('ending-panel');
const endingWait = waitLine('ending-wait', 'ending-at');
const reloginWait = waitLine('relogin-wait', 'relogin-at');
const reloginSubmit = byId<HTMLFormElement>('relogin-form').querySelector<HTMLButtonElement>(
  'button[type="submit"]',
) as HTMLButtonElement;
const reloginProblem = byId('relogin-problem');
const reloginProblemTitle = byId('relogin-problem-title');
const reloginProblemDetail = byId('relogin-problem-detail');
const reloginStillWorks = byId('relogin-still-works');
const sessionPanel = byId('succeeded-panel');
const sessionTitle = byId('succeeded-title');
const sessionFacts = byId('session-facts');
const logoutInfo = byId('logout-info');
const sessionWho = byId('session-who');
const sessionEnds = byId<HTMLTimeElement>('session-ends');
const tokenInfo = byId('token-info');
const persistInfo = byId('persist-info');
const callApiButton = byId<HTMLButtonElement>('call-api');
const apiResult = byId('api-result');
limitLength('username', reloginUsername);
limitLength('password', reloginPassword);

export const sessionViews = {
  // A login again while the session ends soon: the same user, in place; its PIN and code prompts are the login's.
  'succeeded.endingSoon.warning': {
    form: byId('relogin-form'),
    fields: { username: reloginUsername, password: reloginPassword },
    secrets: [reloginPassword],
    fieldError: byId('relogin-error'),
    onlyWhileShown: true,
    first: () => (reloginUsername.value ? reloginPassword : reloginUsername),
  },
  'succeeded.endingSoon.securityPin': pinView,
  'succeeded.endingSoon.verificationCode': codeView,
} satisfies Record<string, PromptView>;

/** `refresh` draws the screen again (an API call's progress is the page's, not the machine's). */
export function createSessionScreen(
  actor: DemoActor,
  keeping: SessionKeeping,
  refresh: () => void,
): RegionScreen {
  // The page's own fetch, not the machine's: the fault select is for the login's requests only.
  const api = createEtnaClient(actor, { fetch: (input, init) => fetch(input, init), retry: 0 });
  let apiCalling = false;

  /** GET v1.0/users/@me/info with the session token; a 401 ends the session (the client sends SESSION_REVOKED). */
  async function callApi(): Promise<void> {
    apiCalling = true;
    apiResult.classList.remove('bad');
    apiResult.textContent = `GET ${API_ROUTE}…`;
    refresh();
    let text: string;
    let bad = true;
    try {
      const info = await api.get(API_ROUTE).json<{ Login?: unknown; Id?: unknown }>();
      text = `GET ${API_ROUTE} answered: Login ${String(info.Login)}, Id ${String(info.Id)}.`;
      bad = false;
    } catch (error) {
      if (error instanceof HTTPError) text = `GET ${API_ROUTE} failed: HTTP ${error.response.status}.`;
      // A redirect was answered to a request that went out: the client refused to follow it.
      else if (error instanceof EtnaClientError && error.code === 'redirect')
        text = `Not followed: ${error.message}.`;
      else if (error instanceof EtnaClientError) text = `Not sent: ${error.message}.`;
      else if (error instanceof Error && error.name === 'TimeoutError')
        text = `GET ${API_ROUTE}: no answer in time.`;
      else text = `GET ${API_ROUTE}: the server could not be reached.`;
    }
    apiCalling = false;
    apiResult.classList.toggle('bad', bad);
    apiResult.textContent = text;
    refresh();
  }

  // A login again while the session ends soon: the logged-in user's (the machine refuses anyone else).
  onSubmit(sessionViews['succeeded.endingSoon.warning'].form, actor, () => ({
    type: 'SUBMIT_CREDENTIALS',
    username: reloginUsername.value,
    password: new Secret(reloginPassword.value),
  }));
  callApiButton.addEventListener('click', () => {
    void callApi();
  });

  /** The session panel: who, until when, whether a reload keeps it; busy while logging out. */
  function renderSession({ snapshot, context, state, loggedIn }: Frame): void {
    const loggingOut = state === 'loggingOut';
    const { username, sessionExpiresAt: expiresAt } = context;
    const token = selectToken(snapshot);
    sessionPanel.hidden = !loggedIn && !loggingOut;
    sessionPanel.setAttribute('aria-busy', String(loggingOut));
    setText(sessionTitle, loggingOut ? 'Logging out' : 'Logged in');
    sessionFacts.hidden = loggingOut;
    logoutInfo.hidden = !loggingOut;
    const whoText = username
      ? `Account ${username}`
      : 'Restored from storage that did not keep the username: the server knows the account, the page was not told.';
    if (sessionWho.textContent !== whoText)
      sessionWho.replaceChildren(
        ...(username
          ? ['Account ', Object.assign(document.createElement('b'), { textContent: username })]
          : [whoText]),
      );
    sessionEnds.dateTime = expiresAt === undefined ? '' : new Date(expiresAt).toISOString();
    setText(
      sessionEnds,
      expiresAt === undefined
        ? ''
        : new Date(expiresAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' }),
    );
    setText(tokenInfo, token ? `${token.length} characters, held in memory (not shown).` : '');
    setText(
      persistInfo,
      !keeping.isKept()
        ? keeping.sharedByTabs
          ? 'Not kept: a reload, or a second tab, asks you to log in again.'
          : 'Not kept: a reload logs you out.'
        : keeping.sharedByTabs
          ? "Kept in this browser's localStorage, shared by this site's tabs: a reload or another tab keeps you logged in."
          : "Kept in this tab's sessionStorage: a reload keeps you logged in.",
    );
    // The session still works while it ends soon, and during a login again: the API can be called all along.
    callApiButton.hidden = !loggedIn;
    // A call's answer belongs to the session it was made in: not shown while that session is ending.
    apiResult.hidden = !loggedIn;
    callApiButton.disabled = apiCalling;
    callApiButton.setAttribute('aria-busy', String(apiCalling));
  }

  /**
   * The session ends soon: how long it has left, and a login again in place. One that failed leaves the session
   * as it was: it still works until its end. After a 429 the login again waits for its Retry-After, counted down,
   * its button disabled. Returns whether a countdown runs.
   */
  function renderEnding({ snapshot, context, state, formBusy }: Frame): boolean {
    const endingSoon = snapshot.hasTag('endingSoon');
    // A login again is the logged-in user's: the username is shown, not typed (unless storage did not keep it).
    reloginUsername.value = context.username ?? reloginUsername.value;
    reloginUsername.readOnly = formBusy || context.username !== undefined;
    endingPanel.hidden = !endingSoon;
    const counting = renderWait(endingWait, 'sessionEnd', endingSoon ? context.sessionExpiresAt : undefined);
    const warning = state === 'succeeded.endingSoon.warning';
    const holding = renderWait(reloginWait, 'relogin', warning ? context.retryAvailableAt : undefined);
    reloginSubmit.disabled = formBusy || holding;
    const { failure, error } = context;
    const reloginError = warning && !failure && error && error.kind !== 'input' ? error : undefined;
    const refusal = warning && failure ? describeFailure(failure, WORDS) : undefined;
    reloginProblem.hidden = !refusal && !reloginError;
    setText(reloginProblemTitle, refusal?.reason ?? (reloginError ? titleOf(reloginError) : ''));
    setText(
      reloginProblemDetail,
      refusal?.advice ?? (reloginError ? describeError(reloginError, WORDS) : ''),
    );
    setText(reloginStillWorks, WORDS.notices.sessionStillWorks);
    return counting || holding;
  }

  return {
    render(frame) {
      const counting = renderEnding(frame);
      renderSession(frame);
      // A new session, not the same one in another phase: the last call's answer was another session's.
      if (frame.loggedIn && !(frame.shownState ?? '').startsWith('succeeded')) {
        apiResult.textContent = '';
        apiResult.classList.remove('bad');
      }
      return counting;
    },
    status: ({ busy, loggedIn, context }) =>
      busy || !loggedIn
        ? undefined
        : context.username
          ? `Logged in as ${context.username}.`
          : 'Logged in (session restored).',
    focus({ state, entered, prompt }) {
      // Not "Log out": one stray Enter would end the session. The panel's heading takes focus and reads it out.
      if (entered && !prompt && state.startsWith('succeeded'))
        Object.assign(sessionTitle, { tabIndex: -1 }).focus();
    },
  };
}
