// The web demo: the etna-auth machine driving a plain DOM login screen, a session panel that calls the API,
// a live statechart and an event log.
// Query parameters (for tests and demos): ?timeout=<ms per request>&maxSteps=<Expecting answers in a row>
// &sessionLifetime=<ms a new session lasts>.
import { createBrowserInspector } from '@statelyai/inspect';
import { HTTPError } from 'ky';
import { createActor, type InspectionEvent } from 'xstate';
import { createEtnaClient, EtnaClientError } from '../src/client/index.js';
import { FAILURE_GUIDANCE } from '../src/contract/failure-guidance.js';
import {
  browserSessionStorage,
  createEtnaAuthMachine,
  DEFAULT_PERSIST_KEY,
  type EtnaAuthErrorKind,
  type EtnaAuthEvent,
  type EtnaSessionEndReason,
  type EtnaSessionStorage,
  Secret,
  selectToken,
  withRedaction,
} from '../src/index.js';
import { DEMO_APP_KEY, DEMO_USERS, describeDemoUserSteps } from '../src/testing/demo-users.js';
import { createInspectorStatus } from './inspector-status.js';
import { createStatechartDiagram } from './statechart-diagram.js';
import './demo.css';

type Prompt = 'idle' | 'expecting.securityPin' | 'expecting.verificationCode';
type ServerErrorKind = Exclude<EtnaAuthErrorKind, 'input'>;

const ERROR_TITLES: Record<ServerErrorKind, string> = {
  network: 'Network error',
  timeout: 'Timed out',
  http: 'Unexpected HTTP status',
  protocol: 'Unexpected answer',
  appKey: 'Application key refused',
  rateLimited: 'Too many attempts',
};
/** What `idle` says after a session ended, by `context.reason`. */
const SESSION_ENDED: Record<EtnaSessionEndReason, string> = {
  expired: 'Your session expired. Log in again.',
  revoked: 'The server no longer accepts your session: it was revoked or ended elsewhere. Log in again.',
  loggedOut: 'You logged out.',
};
/** The protected route the session panel calls, relative to the API root. */
const API_ROUTE = 'v1.0/users/@me/info';
/** The storage key of the session (the library's default). */
const SESSION_KEY = DEFAULT_PERSIST_KEY;
const LOG_LIMIT = 200;

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from index.html`);
  return found as T;
}

const forms: Record<Prompt, HTMLFormElement> = {
  idle: byId('login-form'),
  'expecting.securityPin': byId('pin-form'),
  'expecting.verificationCode': byId('code-form'),
};
const field = {
  username: byId<HTMLInputElement>('username'),
  password: byId<HTMLInputElement>('password'),
  pin: byId<HTMLInputElement>('pin'),
  code: byId<HTMLInputElement>('code'),
};
const fieldErrors: Record<Prompt, HTMLElement> = {
  idle: byId('login-error'),
  'expecting.securityPin': byId('pin-error'),
  'expecting.verificationCode': byId('code-error'),
};
const account = byId('account');
const status = byId('status');
const log = byId<HTMLOListElement>('log');
const faultChoice = byId<HTMLSelectElement>('fault');
const keepSession = byId<HTMLInputElement>('keep-session');
const sessionPanel = byId('succeeded-panel');
const callApiButton = byId<HTMLButtonElement>('call-api');
const apiResult = byId('api-result');
const actionButtons = Array.from(byId('actions').querySelectorAll<HTMLButtonElement>('button[data-event]'));

const params = new URLSearchParams(location.search);
const numberParam = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);

/** Tells the demo server which fault its fake ETNA server plays for this one request (the select on the page). */
const fetchWithDemoFault: typeof fetch = (input, init) => {
  const fault = faultChoice.value;
  if (!fault) return fetch(input, init);
  faultChoice.value = '';
  const request = new Request(input, init);
  request.headers.set('x-demo-fault', fault);
  return fetch(request);
};

/**
 * "Keep me logged in in this tab". The page always creates its one actor with the tab's sessionStorage as
 * `persist`, so a session kept before a reload is restored at start, and the library clears it whenever a
 * session ends (logout, expiry, revocation). Writing is what the checkbox decides: its value is taken when
 * the credentials are submitted, and a session that succeeds is stored only if it was ticked. One actor
 * for the page's life: nothing to rebuild when the choice changes, and the inspector and the API client keep
 * working with it.
 */
let keepThisSession = false;
const tabStorage = browserSessionStorage();
const persist: EtnaSessionStorage = {
  getItem: (key) => tabStorage.getItem(key),
  setItem: (key, value) => {
    if (keepThisSession) tabStorage.setItem(key, value);
  },
  removeItem: (key) => tabStorage.removeItem(key),
};

const machine = createEtnaAuthMachine({
  baseUrl: new URL('/api/', location.href).href,
  appKey: DEMO_APP_KEY,
  timeout: numberParam('timeout'),
  maxSteps: numberParam('maxSteps'),
  sessionLifetime: numberParam('sessionLifetime'),
  fetch: fetchWithDemoFault,
  persist,
  persistKey: SESSION_KEY,
});

/** Whether a session is kept for reloads right now; storage may be blocked, which means no. */
function sessionKept(): boolean {
  try {
    return tabStorage.getItem(SESSION_KEY) !== null;
  } catch {
    return false;
  }
}

// --- the event log, fed through withRedaction like any inspector -------------------------------------

let logged = 0;
let loggedState = '';

function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? ['', ''];
  return `${key}.${stateName(child)}`;
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

function appendLog(className: string, text: string, payload?: string): void {
  const item = document.createElement('li');
  const number = document.createElement('span');
  number.className = 'n';
  number.textContent = String(++logged);
  const main = document.createElement('span');
  main.className = className;
  main.textContent = text;
  item.append(number, main);
  if (payload) {
    const detail = document.createElement('span');
    detail.className = 'payload';
    detail.textContent = ` ${payload.length > 160 ? `${payload.slice(0, 159)}…` : payload}`;
    item.append(detail);
  }
  log.append(item);
  while (log.childElementCount > LOG_LIMIT) log.firstElementChild?.remove();
  log.scrollTop = log.scrollHeight;
}

function logInspection(event: InspectionEvent): void {
  const isRoot = event.actorRef.sessionId === event.rootId;
  if (event.type === '@xstate.actor' && !isRoot) {
    appendLog('', `invoke ${(event.actorRef as { id?: string }).id ?? 'actor'}`);
  } else if (event.type === '@xstate.event' && isRoot) {
    const { type, ...payload } = event.event;
    const text = JSON.stringify(payload);
    appendLog('event', type.replace(/^xstate\./, ''), text === '{}' ? '' : text);
  } else if (event.type === '@xstate.snapshot' && isRoot) {
    const state = stateName((event.snapshot as { value?: unknown }).value);
    if (state !== loggedState) appendLog('state', `→ ${state}`);
    loggedState = state;
  }
}

// --- the actor, the log and the optional Stately inspector ---------------------------------------------

const toLog = withRedaction(logInspection);
let inspector: ReturnType<typeof createBrowserInspector> | undefined;
let toInspector: ((event: InspectionEvent) => void) | undefined;

const actor = createActor(machine, {
  inspect: (event) => {
    toLog(event);
    toInspector?.(event);
  },
});

const inspectorStatus = createInspectorStatus(
  byId<HTMLInputElement>('inspect').closest('label') ?? byId('inspect'),
);
byId<HTMLInputElement>('inspect').addEventListener('change', (change) => {
  if ((change.target as HTMLInputElement).checked) {
    inspector = createBrowserInspector();
    inspectorStatus.started();
    toInspector = withRedaction(inspector.inspect);
    // The actor started before the inspector did: introduce it, with its current (redacted) snapshot.
    toInspector({ type: '@xstate.actor', actorRef: actor, rootId: actor.sessionId });
  } else {
    toInspector = undefined;
    inspector?.stop();
    inspector = undefined;
    inspectorStatus.stopped();
  }
});

// --- the API, called with the session: createEtnaClient from etna-auth/client ---------------------------

// The page's own fetch, not the machine's: the fault select is for /token and /logout only.
const api = createEtnaClient(actor, { fetch: (input, init) => fetch(input, init), retry: 0 });
let apiCalling = false;

/** GET v1.0/users/@me/info with the session token; a 401 ends the session (the client sends SESSION_REVOKED). */
async function callApi(): Promise<void> {
  apiCalling = true;
  apiResult.classList.remove('bad');
  apiResult.textContent = `GET ${API_ROUTE}…`;
  render();
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
  render();
}

// --- the screen: a function of the snapshot ------------------------------------------------------------

let prompt: Prompt = 'idle';
let shownState: string | undefined;
let shownError: unknown;
let askedAgain = false;
const statechart = createStatechartDiagram(byId('chart'), actor);

function render(): void {
  const snapshot = actor.getSnapshot();
  const { context } = snapshot;
  const state = stateName(snapshot.value);
  const entered = state !== shownState;
  const busy = snapshot.hasTag('busy');
  // A request from a form is in flight: the form stays, read-only (loggingOut is busy too, but has no form).
  const authenticating = state === 'authenticating';
  const shownPrompt = prompt;
  if (state in forms) prompt = state as Prompt;

  for (const [name, form] of Object.entries(forms) as [Prompt, HTMLFormElement][]) {
    form.hidden = name !== prompt || (state !== name && !authenticating);
    form.setAttribute('aria-busy', String(authenticating));
    for (const input of Array.from(form.querySelectorAll('input'))) {
      if (input.type === 'checkbox') input.disabled = authenticating;
      else input.readOnly = authenticating;
    }
    const submit = form.querySelector('button');
    if (submit) submit.disabled = authenticating;
  }
  const ended = state === 'idle' ? (context.reason as EtnaSessionEndReason | undefined) : undefined;
  byId('session-ended').textContent = ended ? SESSION_ENDED[ended] : '';
  if (entered && state !== 'authenticating') {
    // Secrets leave the DOM as soon as they were sent; a prompt shown again starts empty.
    field.password.value = field.pin.value = field.code.value = '';
    if (state === 'idle') field.username.value = context.username ?? '';
  }
  byId('pin-reason').textContent = context.reason ?? 'Enter your security PIN.';
  byId('code-reason').textContent = context.reason ?? 'Enter the code you received.';
  // A prompt asked again right after it was answered: the server's Reason says what was wrong ("Invalid pin").
  if (entered) askedAgain = state !== 'idle' && state === shownPrompt && shownState === 'authenticating';
  byId('pin-reason').classList.toggle('rejected', askedAgain && state === 'expecting.securityPin');
  byId('code-reason').classList.toggle('rejected', askedAgain && state === 'expecting.verificationCode');
  account.hidden = state === 'idle' || state === 'succeeded' || state === 'loggingOut' || !context.username;
  account.querySelector('b')?.replaceChildren(context.username ?? '');

  const inputError = context.error?.kind === 'input' ? context.error : undefined;
  for (const [name, slot] of Object.entries(fieldErrors) as [Prompt, HTMLElement][]) {
    slot.textContent = inputError && name === prompt ? inputError.message : '';
  }
  for (const [name, input] of Object.entries(field)) {
    if (inputError?.field === name) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  renderSession(state, context.username, context.sessionExpiresAt, selectToken(snapshot));

  byId('failed-panel').hidden = state !== 'failed';
  byId('failure-reason').textContent = context.failure?.reason ?? '';
  byId('failure-step').textContent = context.failure?.step ?? '';
  byId('failure-advice').textContent = context.failure ? FAILURE_GUIDANCE[context.failure.code] : '';

  const serverError = state === 'error' && context.error ? context.error : undefined;
  byId('error-panel').hidden = !serverError;
  byId('error-title').textContent = serverError ? ERROR_TITLES[serverError.kind as ServerErrorKind] : '';
  byId('error-message').textContent = serverError ? sentence(serverError.message) : '';
  byId('error-kind').textContent = serverError ? `error.kind = "${serverError.kind}"` : '';
  byId('error-detail').textContent = [
    serverError?.status !== undefined ? `HTTP ${serverError.status}` : '',
    serverError?.retryAfterMs !== undefined ? `retry after ${serverError.retryAfterMs / 1000} s` : '',
  ]
    .filter(Boolean)
    .join(', ');

  status.classList.toggle('busy', busy);
  status.textContent =
    state === 'loggingOut'
      ? 'Logging out…'
      : busy
        ? 'Waiting for the server…'
        : state === 'succeeded'
          ? context.username
            ? `Logged in as ${context.username}.`
            : 'Logged in (session restored).'
          : '';

  for (const button of actionButtons) {
    button.hidden = !snapshot.can({ type: button.dataset.event } as EtnaAuthEvent);
  }
  statechart.update(snapshot);

  if (entered && state === 'succeeded') {
    apiResult.textContent = '';
    apiResult.classList.remove('bad');
  }
  if (entered) moveFocus(state);
  if (inputError && inputError !== shownError) field[inputError.field as keyof typeof field]?.focus();
  shownState = state;
  shownError = context.error;
}

/** The session panel: who, until when, whether a reload keeps it; busy while logging out. */
function renderSession(
  state: string,
  username: string | undefined,
  expiresAt: number | undefined,
  token: string | undefined,
): void {
  const loggingOut = state === 'loggingOut';
  sessionPanel.hidden = state !== 'succeeded' && !loggingOut;
  sessionPanel.setAttribute('aria-busy', String(loggingOut));
  byId('succeeded-title').textContent = loggingOut ? 'Logging out' : 'Logged in';
  byId('session-facts').hidden = loggingOut;
  byId('logout-info').hidden = !loggingOut;
  byId('session-who').replaceChildren(
    ...(username
      ? ['Account ', Object.assign(document.createElement('b'), { textContent: username })]
      : ["Restored from this tab's storage: the server knows the account, the page was not told."]),
  );
  const ends = byId<HTMLTimeElement>('session-ends');
  ends.dateTime = expiresAt === undefined ? '' : new Date(expiresAt).toISOString();
  ends.textContent =
    expiresAt === undefined
      ? ''
      : new Date(expiresAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
  byId('token-info').textContent = token ? `${token.length} characters, held in memory (not shown).` : '';
  byId('persist-info').textContent = sessionKept()
    ? "Kept in this tab's sessionStorage: a reload keeps you logged in."
    : 'Not kept: a reload logs you out.';
  callApiButton.hidden = state !== 'succeeded';
  // A call's answer belongs to the session it was made in: not shown while that session is ending.
  apiResult.hidden = state !== 'succeeded';
  callApiButton.disabled = apiCalling;
  callApiButton.setAttribute('aria-busy', String(apiCalling));
}

/** Focus follows the flow: the next prompt's input, or the button that moves on from an outcome. */
function moveFocus(state: string): void {
  const button = (event: string) => actionButtons.find((candidate) => candidate.dataset.event === event);
  if (state === 'idle') (field.username.value ? field.password : field.username).focus();
  else if (state === 'expecting.securityPin') field.pin.focus();
  else if (state === 'expecting.verificationCode') field.code.focus();
  // Not "Log out": one stray Enter would end the session. The panel's heading takes focus and reads it out.
  else if (state === 'succeeded') Object.assign(byId('succeeded-title'), { tabIndex: -1 }).focus();
  else if (state === 'failed' || state === 'error') button('RETRY')?.focus();
}

forms.idle.addEventListener('submit', (submit) => {
  submit.preventDefault();
  // Only a login can change the choice: a stray submission while logged in must not.
  if (actor.getSnapshot().matches('idle')) keepThisSession = keepSession.checked;
  // Secrets are sent wrapped: a Secret prints as [redacted], should the event ever be printed (a development
  // build of XState prints one sent to a stopped actor).
  actor.send({
    type: 'SUBMIT_CREDENTIALS',
    username: field.username.value,
    password: new Secret(field.password.value),
  });
});
forms['expecting.securityPin'].addEventListener('submit', (submit) => {
  submit.preventDefault();
  actor.send({ type: 'SUBMIT_PIN', pin: new Secret(field.pin.value) });
});
forms['expecting.verificationCode'].addEventListener('submit', (submit) => {
  submit.preventDefault();
  actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: new Secret(field.code.value) });
});
for (const button of actionButtons) {
  button.addEventListener('click', () => {
    const type = button.dataset.event as 'RETRY' | 'CANCEL' | 'LOGOUT';
    // LOGOUT forgets the username too, even when it leaves the screen on the same login form.
    if (type === 'LOGOUT') forms.idle.reset();
    actor.send({ type });
  });
}

callApiButton.addEventListener('click', () => {
  void callApi();
});
byId('revoke-sessions').addEventListener('click', () => {
  void fetch('/demo/revoke-sessions', { method: 'POST' });
});

const users = byId('users').querySelector('tbody');
for (const user of DEMO_USERS) {
  const row = document.createElement('tr');
  for (const text of [user.username, user.password, describeDemoUserSteps(user)]) {
    const cell = document.createElement('td');
    cell.textContent = text;
    row.append(cell);
  }
  users?.append(row);
}

actor.subscribe(render);
actor.start();
render();
document.body.dataset.ready = 'true';
