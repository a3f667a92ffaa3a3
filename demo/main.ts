// The web demo: the etna-auth machine driving a plain DOM login screen — the whole login journey, from the
// credentials to the PIN, the verification code, the first PIN set-up, an expired password and a forgotten
// one — a session panel that calls the API, a live statechart, an event log and the fake server's mailbox.
// Query parameters (for tests and demos): ?timeout=<ms per request>&maxSteps=<Expecting answers in a row>
// &sessionLifetime=<ms a new session lasts>&resendCooldown=<ms before a new code may be asked for>
// &sessionWarning=<ms before the end at which the page offers to log in again>&slidingSession=1 (each successful
// API call moves the end on)&storage=session (keep the session in this tab's sessionStorage: tabs stay apart;
// by default it is kept in localStorage, which the site's tabs share).
import { createBrowserInspector } from '@statelyai/inspect';
import { HTTPError } from 'ky';
import { createActor, type InspectionEvent } from 'xstate';
import { createEtnaClient, EtnaClientError } from '../src/client/index.js';
import { FAILURE_GUIDANCE } from '../src/contract/failure-guidance.js';
import {
  browserLocalStorage,
  browserSessionStorage,
  createEtnaAuthMachine,
  DEFAULT_PERSIST_KEY,
  type EtnaAuthErrorKind,
  type EtnaAuthEvent,
  type EtnaSessionEndReason,
  type EtnaSessionStorage,
  Secret,
  type SecurityImage,
  selectToken,
  withRedaction,
} from '../src/index.js';
import { DEMO_APP_KEY, DEMO_USERS, describeDemoUserSteps } from '../src/testing/demo-users.js';
import { createInspectorStatus } from './inspector-status.js';
import { createStatechartDiagram } from './statechart-diagram.js';
import './demo.css';

/** The states that show a form to fill in. */
type Prompt =
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
  endedElsewhere: 'Your session ended in another tab. Log in again to continue.',
};
/** The status line of each busy state: what the request in flight is doing. */
const BUSY_STATUS: Readonly<Record<string, string>> = {
  authenticating: 'Waiting for the server…',
  'succeeded.endingSoon.authenticating': 'Logging in again…',
  loggingOut: 'Logging out…',
  'expecting.resendingCode': 'Sending a new code…',
  'pinSetup.loadingImages': 'Loading security images…',
  'pinSetup.saving': 'Saving your PIN…',
  'passwordChange.saving': 'Saving your password…',
  'passwordReset.loadingQuestion': 'Looking up your account…',
  'passwordReset.requestingCode': 'Sending a reset code…',
  'passwordReset.verifyingCode': 'Checking the code…',
  'passwordReset.saving': 'Saving your password…',
};
/** The mailbox's name for each kind of mail the fake server sends. */
const MAIL_KINDS: Readonly<Record<string, string>> = {
  verificationCode: 'Verification code',
  passwordReset: 'Password-reset code',
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

/** Writes a text only when it changed: rewriting a live region's text would announce it again. */
function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

// Every element is looked up here, at start: the journey's forms leave the document while they are not shown.
const input = (id: string) => byId<HTMLInputElement>(id);
const field = {
  username: input('username'),
  password: input('password'),
  pin: input('pin'),
  code: input('code'),
  newPin: input('new-pin'),
  personalPhrase: input('personal-phrase'),
  newPassword: input('new-password'),
  confirmation: input('confirm-password'),
  answer: input('secret-answer'),
  resetCode: input('reset-code'),
  reloginUsername: input('relogin-username'),
  reloginPassword: input('relogin-password'),
};
/** The fields that hold a secret: emptied once it was sent, and whenever a prompt is shown anew. */
const SECRET_FIELDS = [
  field.password,
  field.pin,
  field.code,
  field.newPin,
  field.newPassword,
  field.confirmation,
  field.answer,
  field.resetCode,
  field.reloginPassword,
];
const imageChoices = byId('image-choices');
const imageChoiceList = byId('image-choice-list');
const radios = () => Array.from(imageChoiceList.querySelectorAll<HTMLInputElement>('input[type="radio"]'));

/** One prompt: its form, its fields by the `field` an input refusal names, and where its messages go. */
interface PromptView {
  readonly form: HTMLFormElement;
  readonly fields: Readonly<Record<string, HTMLElement>>;
  /** A refused input's message (`context.error` of kind `input`), in a `role="alert"`. */
  readonly fieldError: HTMLElement;
  /** The server's `Errors` of a refused call (`context.serverErrors`), in a `role="alert"`. */
  readonly serverErrors?: HTMLElement;
  /** The heading and hint of a form two prompts share. */
  readonly title?: string;
  readonly hint?: string;
  /** The field focus moves to when the prompt is shown. */
  first(): HTMLElement;
}

const newPasswordForm = byId<HTMLFormElement>('new-password-form');
const newPasswordFields = { password: field.newPassword, confirmation: field.confirmation };
const pinView: PromptView = {
  form: byId('pin-form'),
  fields: { pin: field.pin },
  fieldError: byId('pin-error'),
  first: () => field.pin,
};
const codeView: PromptView = {
  form: byId('code-form'),
  fields: { code: field.code },
  fieldError: byId('code-error'),
  first: () => field.code,
};
const views: Record<Prompt, PromptView> = {
  idle: {
    form: byId('login-form'),
    fields: { username: field.username, password: field.password },
    fieldError: byId('login-error'),
    first: () => (field.username.value ? field.password : field.username),
  },
  'expecting.securityPin': pinView,
  'expecting.verificationCode': codeView,
  // A login again while the session ends soon: the same user, in place; its PIN and code prompts are the login's.
  'succeeded.endingSoon.warning': {
    form: byId('relogin-form'),
    fields: { username: field.reloginUsername, password: field.reloginPassword },
    fieldError: byId('relogin-error'),
    first: () => (field.reloginUsername.value ? field.reloginPassword : field.reloginUsername),
  },
  'succeeded.endingSoon.securityPin': pinView,
  'succeeded.endingSoon.verificationCode': codeView,
  'pinSetup.choosing': {
    form: byId('pin-setup-form'),
    fields: { imageName: imageChoices, pin: field.newPin, personalPhrase: field.personalPhrase },
    fieldError: byId('pin-setup-error'),
    serverErrors: byId('pin-setup-server-errors'),
    first: () => radios().find((radio) => radio.checked) ?? radios()[0] ?? field.newPin,
  },
  'passwordChange.editing': {
    form: newPasswordForm,
    fields: newPasswordFields,
    fieldError: byId('new-password-error'),
    serverErrors: byId('new-password-server-errors'),
    title: 'Your password has expired',
    hint: 'Choose a new password and type it again: you are then logged in with it.',
    first: () => field.newPassword,
  },
  'passwordReset.question': {
    form: byId('question-form'),
    fields: { answer: field.answer },
    fieldError: byId('question-error'),
    serverErrors: byId('question-server-errors'),
    first: () => field.answer,
  },
  'passwordReset.code': {
    form: byId('reset-code-form'),
    fields: { code: field.resetCode },
    fieldError: byId('reset-code-error'),
    serverErrors: byId('reset-code-server-errors'),
    first: () => field.resetCode,
  },
  'passwordReset.newPassword': {
    form: newPasswordForm,
    fields: newPasswordFields,
    fieldError: byId('new-password-error'),
    serverErrors: byId('new-password-server-errors'),
    title: 'Choose a new password',
    hint: 'The code was right. Choose a new password and type it again: you are then logged in with it.',
    first: () => field.newPassword,
  },
};
const VIEWS = Object.values(views);
const FORMS = [...new Set(VIEWS.map((view) => view.form))];
const FIELD_ERRORS = [...new Set(VIEWS.map((view) => view.fieldError))];
const SERVER_ERRORS = [...new Set(VIEWS.flatMap((view) => (view.serverErrors ? [view.serverErrors] : [])))];
const CHECKED_FIELDS = [...new Set(VIEWS.flatMap((view) => Object.values(view.fields)))];

const loginForm = views.idle.form;
const forgotButton = byId<HTMLButtonElement>('forgot-password');
const antiPhishing = byId('anti-phishing');
const pinImage = byId<HTMLImageElement>('pin-image');
const pinPhraseLine = byId('pin-phrase-line');
const pinPhrase = byId('pin-phrase');
const codeResent = byId('code-resent');
const codeAlert = byId('code-alert');
const resendButton = byId<HTMLButtonElement>('resend-code');
const resendWait = { line: byId('resend-wait'), time: byId<HTMLTimeElement>('resend-at') };
const retryWait = { line: byId('retry-wait'), time: byId<HTMLTimeElement>('retry-at') };
const secretQuestion = byId('secret-question');
const newPasswordTitle = byId('new-password-title');
const newPasswordHint = byId('new-password-hint');
const errorTitle = byId('error-title');
const account = byId('account');
const status = byId('status');
const log = byId<HTMLOListElement>('log');
const faultChoice = byId<HTMLSelectElement>('fault');
const keepSession = byId<HTMLInputElement>('keep-session');
const sessionPanel = byId('succeeded-panel');
const endingPanel = byId('ending-panel');
const endingWait = { line: byId('ending-wait'), time: byId<HTMLTimeElement>('ending-at') };
const reloginProblem = byId('relogin-problem');
const callApiButton = byId<HTMLButtonElement>('call-api');
const apiResult = byId('api-result');
const mailboxFor = byId('mailbox-for');
const mailboxList = byId<HTMLOListElement>('mailbox-list');
const actionButtons = Array.from(byId('actions').querySelectorAll<HTMLButtonElement>('button[data-event]'));
const actionButton = (event: string) => actionButtons.find((candidate) => candidate.dataset.event === event);

/**
 * The journey's forms are in the document only while shown (see index.html): each leaves a comment in its
 * place, and goes back there when its prompt comes.
 */
const places = new Map<HTMLFormElement, Comment>();
for (const form of [
  views['succeeded.endingSoon.warning'].form,
  views['pinSetup.choosing'].form,
  newPasswordForm,
  views['passwordReset.question'].form,
  views['passwordReset.code'].form,
]) {
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
 * Where a kept session lives: the origin's localStorage, which every tab of the site shares (a login, a logout
 * or an end in one tab is seen in the others), or with `?storage=session` this tab's own sessionStorage.
 */
const sharedByTabs = params.get('storage') !== 'session';
const tabStorage = sharedByTabs ? browserLocalStorage() : browserSessionStorage();

/**
 * "Keep me logged in". The page always creates its one actor with the storage as `persist`, so a session kept
 * before a reload (or by another tab) is restored at start, and the library clears it whenever a session ends
 * (logout, expiry, revocation). Writing is what the checkbox decides: its value is taken when a login (or a
 * password reset, which ends in one) is started, and a session that succeeds is stored only if it was ticked,
 * or if a session is kept already (another tab's, adopted here, or this one's, restored): its renewal or its
 * moved end is kept with it, so the tabs never disagree. One actor for the page's life: nothing to rebuild when
 * the choice changes, and the inspector and the API client keep working with it. `subscribe` is the storage's
 * own: without it the tabs would not hear of each other.
 */
let keepThisSession = false;
const persist: EtnaSessionStorage = {
  getItem: (key) => tabStorage.getItem(key),
  setItem: (key, value) => {
    if (keepThisSession || tabStorage.getItem(key) !== null) tabStorage.setItem(key, value);
  },
  removeItem: (key) => tabStorage.removeItem(key),
  ...(tabStorage.subscribe && { subscribe: tabStorage.subscribe }),
};

if (!sharedByTabs) {
  setText(byId('keep-label'), 'Keep me logged in in this tab');
  setText(
    byId('keep-hint'),
    "Keeps the session token in this tab's sessionStorage until you log out or the session ends, so a reload does not ask again.",
  );
}

const machine = createEtnaAuthMachine({
  baseUrl: new URL('/api/', location.href).href,
  appKey: DEMO_APP_KEY,
  timeout: numberParam('timeout'),
  maxSteps: numberParam('maxSteps'),
  sessionLifetime: numberParam('sessionLifetime'),
  resendCooldown: numberParam('resendCooldown'),
  sessionWarning: numberParam('sessionWarning'),
  slidingSession: params.get('slidingSession') === '1',
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

// withRedaction hides the secrets ([redacted]) and what is personal, the phrase and pictures ([personal]).
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
    const started = createBrowserInspector();
    inspector = started;
    inspectorStatus.started();
    toInspector = withRedaction(started.inspect);
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

// The page's own fetch, not the machine's: the fault select is for the login's requests only.
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

// --- the demo mailbox: GET /demo/mailbox?user=… on the demo server, never part of a real login ----------

interface DemoMail {
  readonly kind: string;
  readonly code: string;
  readonly at: number;
}

function isDemoMail(value: unknown): value is DemoMail {
  const mail = value as Partial<DemoMail> | null;
  return (
    typeof mail === 'object' &&
    mail !== null &&
    typeof mail.kind === 'string' &&
    typeof mail.code === 'string' &&
    typeof mail.at === 'number'
  );
}

let mailboxReads = 0;

/**
 * The login whose mailbox the panel shows: the attempt's, or the one typed in the login form. A reset may name
 * the account by its e-mail address; the mailbox is by login, which the demo users' table tells.
 */
function mailboxUser(typed?: string): string {
  const snapshot = actor.getSnapshot();
  const user = (
    typed ??
    (snapshot.matches('idle') || !snapshot.context.username
      ? field.username.value
      : snapshot.context.username)
  ).trim();
  return (
    DEMO_USERS.find((demoUser) => demoUser.email?.toLowerCase() === user.toLowerCase())?.username ?? user
  );
}

function mailboxLine(...parts: (string | Node)[]): void {
  mailboxFor.replaceChildren(...parts);
}

/** Reads what the fake server e-mailed `user` and lists it, newest first. */
async function readMailbox(user: string): Promise<void> {
  const read = ++mailboxReads;
  if (user === '') {
    mailboxLine('Type a username in the login form, then check its mailbox.');
    mailboxList.replaceChildren();
    return;
  }
  mailboxList.setAttribute('aria-busy', 'true');
  let mails: DemoMail[] | undefined;
  try {
    const answer = await fetch(`/demo/mailbox?user=${encodeURIComponent(user)}`, { cache: 'no-store' });
    const body: unknown = answer.ok ? await answer.json() : undefined;
    if (Array.isArray(body)) mails = body.filter(isDemoMail);
  } catch {
    mails = undefined;
  }
  // A later read (another user, a newer code) has the last word.
  if (read !== mailboxReads) return;
  mailboxList.setAttribute('aria-busy', 'false');
  const who = Object.assign(document.createElement('b'), { textContent: user });
  if (!mails) {
    mailboxLine('The mailbox of ', who, ' could not be read.');
    return;
  }
  if (mails.length === 0) mailboxLine('Nothing e-mailed to ', who, ' yet.');
  else mailboxLine('Codes e-mailed to ', who, ', newest first:');
  mailboxList.replaceChildren(
    ...[...mails].reverse().map((mail) => {
      const item = document.createElement('li');
      const kind = Object.assign(document.createElement('span'), {
        textContent: MAIL_KINDS[mail.kind] ?? mail.kind,
      });
      const code = Object.assign(document.createElement('code'), { textContent: mail.code });
      const sent = document.createElement('time');
      sent.dateTime = new Date(mail.at).toISOString();
      sent.textContent = new Date(mail.at).toLocaleTimeString('en-GB');
      item.append(kind, code, sent);
      return item;
    }),
  );
}

// --- the screen: a function of the snapshot ------------------------------------------------------------

let prompt: Prompt = 'idle';
let shownState: string | undefined;
let shownError: unknown;
let retryWasShown = false;
let offeredImages: readonly SecurityImage[] | undefined;
const shownServerErrors = new Map<HTMLElement, string>();
let ticker: ReturnType<typeof setInterval> | undefined;
let askedAgain = false;
const statechart = createStatechartDiagram(byId('chart'), actor);

/** The picker of a PIN set-up: a radio group of the offered pictures, each named by its file name. */
function renderImageChoices(images: readonly SecurityImage[] | undefined): void {
  if (images === offeredImages) return;
  offeredImages = images;
  imageChoiceList.replaceChildren(
    ...(images ?? []).map((image) => {
      const choice = document.createElement('label');
      choice.className = 'choice';
      const radio = Object.assign(document.createElement('input'), {
        type: 'radio',
        name: 'imageName',
        value: image.fileName,
      });
      const picture = Object.assign(document.createElement('img'), {
        src: image.dataUrl,
        alt: image.fileName,
      });
      const caption = Object.assign(document.createElement('span'), { textContent: image.fileName });
      // The picture's alt text names the radio; the caption shows the same name to the eye.
      caption.setAttribute('aria-hidden', 'true');
      choice.append(radio, picture, caption);
      return choice;
    }),
  );
  imageChoices.hidden = !images?.length;
  // The set-up is over (or another began): its phrase goes with it.
  field.personalPhrase.value = '';
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
  list.append(...errors.map((error) => Object.assign(document.createElement('li'), { textContent: error })));
  slot.replaceChildren(list);
}

/** A countdown to `at` (epoch ms), in whole seconds; hidden without one. Returns whether it is shown. */
function renderCountdown(
  { line, time }: { line: HTMLElement; time: HTMLTimeElement },
  at: number | undefined,
) {
  line.hidden = at === undefined;
  if (at === undefined) return false;
  time.dateTime = new Date(at).toISOString();
  setText(time, String(Math.max(1, Math.ceil((at - Date.now()) / 1000))));
  return true;
}

/** A countdown to `at` (epoch ms) as minutes and seconds, M:SS; hidden without one. Returns whether it is shown. */
function renderClock({ line, time }: { line: HTMLElement; time: HTMLTimeElement }, at: number | undefined) {
  line.hidden = at === undefined;
  if (at === undefined) return false;
  const seconds = Math.max(0, Math.ceil((at - Date.now()) / 1000));
  time.dateTime = new Date(at).toISOString();
  setText(time, `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`);
  return true;
}

/** Whether the machine holds a refused input (the form says what to fix), rather than a server's problem. */
const inputProblem = (context: { readonly error?: { readonly kind: string } | undefined }) =>
  context.error?.kind === 'input';

function render(): void {
  const snapshot = actor.getSnapshot();
  const { context } = snapshot;
  const state = stateName(snapshot.value);
  const entered = state !== shownState;
  // Logged in: `succeeded.active`, or one of the phases of `succeeded.endingSoon` (the session still works).
  const loggedIn = snapshot.matches('succeeded');
  const endingSoon = snapshot.hasTag('endingSoon');
  const busy = snapshot.hasTag('busy');
  // A request from a form is in flight: the form stays, read-only (loggingOut is busy too, but has no form).
  const formBusy = busy && state !== 'loggingOut';
  const shownPrompt = prompt;
  if (state in views) prompt = state as Prompt;
  const view = state in views ? views[state as Prompt] : formBusy ? views[prompt] : undefined;

  for (const form of FORMS) {
    const shown = form === view?.form;
    showForm(form, shown);
    form.setAttribute('aria-busy', String(shown && formBusy));
    for (const control of Array.from(form.querySelectorAll('input'))) {
      if (control.type === 'checkbox' || control.type === 'radio') control.disabled = formBusy;
      else control.readOnly = formBusy;
    }
    for (const button of Array.from(form.querySelectorAll('button'))) button.disabled = formBusy;
  }
  // A login again is the logged-in user's: the username is shown, not typed (unless storage did not keep it).
  field.reloginUsername.value = context.username ?? field.reloginUsername.value;
  field.reloginUsername.readOnly = formBusy || context.username !== undefined;
  if (view?.title !== undefined) {
    setText(newPasswordTitle, view.title);
    setText(newPasswordHint, view.hint ?? '');
  }
  const ended = state === 'idle' ? (context.reason as EtnaSessionEndReason | undefined) : undefined;
  setText(byId('session-ended'), ended ? SESSION_ENDED[ended] : '');
  if (entered && !formBusy) {
    // Secrets leave the DOM as soon as they were sent; a prompt shown again starts empty.
    for (const secret of SECRET_FIELDS) secret.value = '';
    if (state === 'idle') field.username.value = context.username ?? '';
  }
  // A prompt asked again right after it was answered: the server's Reason says what was wrong ("Invalid pin").
  if (entered)
    askedAgain = state !== 'idle' && state === shownPrompt && (shownState ?? '').endsWith('authenticating');
  byId('pin-reason').classList.toggle('rejected', askedAgain && views[state as Prompt] === pinView);
  byId('code-reason').classList.toggle('rejected', askedAgain && views[state as Prompt] === codeView);
  account.hidden = state === 'idle' || loggedIn || state === 'loggingOut' || !context.username;
  account.querySelector('b')?.replaceChildren(context.username ?? '');

  // The PIN prompt: the server's Reason, and the anti-phishing picture and phrase when the answer had them.
  setText(byId('pin-reason'), context.reason ?? 'Enter your security PIN.');
  const image = context.securityImage;
  if (image && pinImage.getAttribute('src') !== image.dataUrl) pinImage.src = image.dataUrl;
  if (!image) pinImage.removeAttribute('src');
  pinImage.hidden = !image;
  setText(pinPhrase, context.personalPhrase ?? '');
  pinPhraseLine.hidden = !context.personalPhrase;
  antiPhishing.hidden = !image && !context.personalPhrase;

  // The code prompt: a new code on request once the cooldown is over, and what a resend did.
  setText(byId('code-reason'), context.reason ?? 'Enter the code you received.');
  codeResent.hidden = !context.codeResent;
  resendButton.hidden = !snapshot.can({ type: 'RESEND_CODE' });
  const resendCounting = renderCountdown(
    resendWait,
    state === 'expecting.verificationCode' ? context.resendAvailableAt : undefined,
  );
  // A request that failed without leaving the prompt (a resend): shown on the form, whose code still works.
  const formProblem = state !== 'error' && context.error?.kind !== 'input' ? context.error : undefined;
  codeAlert.hidden = !formProblem;
  setText(
    byId('code-alert-title'),
    formProblem ? `${ERROR_TITLES[formProblem.kind as ServerErrorKind]}.` : '',
  );
  setText(
    byId('code-alert-message'),
    formProblem ? `${sentence(formProblem.message)} The code you already have still works.` : '',
  );

  renderImageChoices(context.securityImages);
  setText(secretQuestion, context.secretQuestion ?? '');
  for (const slot of SERVER_ERRORS) {
    renderServerErrors(slot, slot === view?.serverErrors ? (context.serverErrors ?? []) : []);
  }

  // The session ends soon: how long it has left, and a login again in place. One that failed leaves the
  // session as it was: it still works until its end.
  endingPanel.hidden = !endingSoon;
  const endingCounting = renderClock(endingWait, endingSoon ? context.sessionExpiresAt : undefined);
  const reloginFailed =
    state === 'succeeded.endingSoon.warning' &&
    (context.failure || (context.error && !inputProblem(context)));
  reloginProblem.hidden = !reloginFailed;
  const reloginError = reloginFailed && !context.failure ? context.error : undefined;
  setText(
    byId('relogin-problem-title'),
    !reloginFailed
      ? ''
      : context.failure
        ? `${sentence(context.failure.reason)}`
        : `${ERROR_TITLES[reloginError?.kind as ServerErrorKind]}.`,
  );
  setText(
    byId('relogin-problem-detail'),
    !reloginFailed
      ? ''
      : context.failure
        ? FAILURE_GUIDANCE[context.failure.code]
        : sentence(reloginError?.message ?? ''),
  );

  const inputError = context.error?.kind === 'input' ? context.error : undefined;
  const refused = inputError && view ? view.fields[inputError.field ?? ''] : undefined;
  for (const slot of FIELD_ERRORS) {
    setText(slot, inputError && slot === view?.fieldError ? inputError.message : '');
  }
  for (const checked of CHECKED_FIELDS) {
    if (checked === refused) checked.setAttribute('aria-invalid', 'true');
    else checked.removeAttribute('aria-invalid');
  }

  renderSession(state, loggedIn, context.username, context.sessionExpiresAt, selectToken(snapshot));

  byId('failed-panel').hidden = state !== 'failed';
  setText(byId('failure-reason'), context.failure?.reason ?? '');
  setText(byId('failure-step'), context.failure?.step ?? '');
  setText(byId('failure-advice'), context.failure ? FAILURE_GUIDANCE[context.failure.code] : '');

  const serverError = state === 'error' && context.error ? context.error : undefined;
  byId('error-panel').hidden = !serverError;
  setText(errorTitle, serverError ? ERROR_TITLES[serverError.kind as ServerErrorKind] : '');
  setText(byId('error-message'), serverError ? sentence(serverError.message) : '');
  setText(byId('error-kind'), serverError ? `error.kind = "${serverError.kind}"` : '');
  setText(
    byId('error-detail'),
    [
      serverError?.status !== undefined ? `HTTP ${serverError.status}` : '',
      serverError?.retryAfterMs !== undefined ? `retry after ${serverError.retryAfterMs / 1000} s` : '',
    ]
      .filter(Boolean)
      .join(', '),
  );
  // After a 429, RETRY is offered only once its Retry-After has passed: the machine's own timer says when.
  const retryCounting = renderCountdown(retryWait, state === 'error' ? context.retryAvailableAt : undefined);

  status.classList.toggle('busy', busy);
  setText(
    status,
    busy
      ? (BUSY_STATUS[state] ?? 'Waiting for the server…')
      : loggedIn
        ? context.username
          ? `Logged in as ${context.username}.`
          : 'Logged in (session restored).'
        : '',
  );

  for (const button of actionButtons) {
    button.hidden = !snapshot.can({ type: button.dataset.event } as EtnaAuthEvent);
  }
  forgotButton.hidden = !snapshot.can({ type: 'FORGOT_PASSWORD', username: field.username.value });
  statechart.update(snapshot);

  // A new session, not the same one in another phase: the last call's answer was another session's.
  if (loggedIn && !(shownState ?? '').startsWith('succeeded')) {
    apiResult.textContent = '';
    apiResult.classList.remove('bad');
  }
  if (entered) moveFocus(state);
  if (refused && inputError !== shownError) focusField(refused);
  // Retry came back after a rate limit's wait: focus it, unless the person went elsewhere meanwhile.
  const retry = actionButton('RETRY');
  const retryShown = retry !== undefined && !retry.hidden;
  if (
    !entered &&
    retryShown &&
    !retryWasShown &&
    [errorTitle, document.body].includes(document.activeElement as HTMLElement)
  )
    retry?.focus();
  // A code was just sent (a verification code, a reset code): the demo mailbox shows it.
  if (entered && (state === 'expecting.verificationCode' || state === 'passwordReset.code'))
    void readMailbox(mailboxUser(context.username ?? ''));

  const counting = resendCounting || retryCounting || endingCounting;
  if (counting && ticker === undefined) ticker = setInterval(render, 1_000);
  if (!counting && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  }
  retryWasShown = retryShown;
  shownState = state;
  shownError = context.error;
}

/** The session panel: who, until when, whether a reload keeps it; busy while logging out. */
function renderSession(
  state: string,
  loggedIn: boolean,
  username: string | undefined,
  expiresAt: number | undefined,
  token: string | undefined,
): void {
  const loggingOut = state === 'loggingOut';
  sessionPanel.hidden = !loggedIn && !loggingOut;
  sessionPanel.setAttribute('aria-busy', String(loggingOut));
  setText(byId('succeeded-title'), loggingOut ? 'Logging out' : 'Logged in');
  byId('session-facts').hidden = loggingOut;
  byId('logout-info').hidden = !loggingOut;
  const who = byId('session-who');
  const whoText = username
    ? `Account ${username}`
    : 'Restored from storage that did not keep the username: the server knows the account, the page was not told.';
  if (who.textContent !== whoText)
    who.replaceChildren(
      ...(username
        ? ['Account ', Object.assign(document.createElement('b'), { textContent: username })]
        : [whoText]),
    );
  const ends = byId<HTMLTimeElement>('session-ends');
  ends.dateTime = expiresAt === undefined ? '' : new Date(expiresAt).toISOString();
  setText(
    ends,
    expiresAt === undefined
      ? ''
      : new Date(expiresAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' }),
  );
  setText(byId('token-info'), token ? `${token.length} characters, held in memory (not shown).` : '');
  setText(
    byId('persist-info'),
    !sessionKept()
      ? 'Not kept: a reload logs you out.'
      : sharedByTabs
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

/** Focuses a refused field; a radio group, by its chosen (or first) radio. */
function focusField(target: HTMLElement): void {
  if (target === imageChoices) views['pinSetup.choosing'].first().focus();
  else target.focus();
}

/** Focus follows the flow: the next prompt's first field, or the button that moves on from an outcome. */
function moveFocus(state: string): void {
  const retry = actionButton('RETRY');
  if (state in views) views[state as Prompt].first().focus();
  // Not "Log out": one stray Enter would end the session. The panel's heading takes focus and reads it out.
  else if (state.startsWith('succeeded')) Object.assign(byId('succeeded-title'), { tabIndex: -1 }).focus();
  else if (state === 'failed') retry?.focus();
  // While a 429's wait holds Retry back, the error itself: Retry gets focus when it comes.
  else if (state === 'error') (retry && !retry.hidden ? retry : errorTitle).focus();
}

/** Only a login (or a reset, which ends in one) can change the choice: a stray submission while logged in must not. */
function takeKeepChoice(): void {
  if (actor.getSnapshot().matches('idle')) keepThisSession = keepSession.checked;
}

function onSubmit(form: HTMLFormElement, event: () => EtnaAuthEvent): void {
  form.addEventListener('submit', (submit) => {
    submit.preventDefault();
    actor.send(event());
  });
}

// Secrets are sent wrapped: a Secret prints as [redacted], should the event ever be printed (a development
// build of XState prints one sent to a stopped actor). The image's name and the phrase are plain strings.
onSubmit(loginForm, () => {
  takeKeepChoice();
  return {
    type: 'SUBMIT_CREDENTIALS',
    username: field.username.value,
    password: new Secret(field.password.value),
  };
});
// A login again while the session ends soon: the logged-in user's (the machine refuses anyone else).
onSubmit(views['succeeded.endingSoon.warning'].form, () => ({
  type: 'SUBMIT_CREDENTIALS',
  username: field.reloginUsername.value,
  password: new Secret(field.reloginPassword.value),
}));
forgotButton.addEventListener('click', () => {
  takeKeepChoice();
  actor.send({ type: 'FORGOT_PASSWORD', username: field.username.value });
});
onSubmit(views['expecting.securityPin'].form, () => ({
  type: 'SUBMIT_PIN',
  pin: new Secret(field.pin.value),
}));
onSubmit(views['expecting.verificationCode'].form, () => ({
  type: 'SUBMIT_VERIFICATION_CODE',
  code: new Secret(field.code.value),
}));
resendButton.addEventListener('click', () => actor.send({ type: 'RESEND_CODE' }));
onSubmit(views['pinSetup.choosing'].form, () => ({
  type: 'SUBMIT_NEW_PIN',
  pin: new Secret(field.newPin.value),
  imageName: radios().find((radio) => radio.checked)?.value ?? '',
  personalPhrase: field.personalPhrase.value,
}));
onSubmit(newPasswordForm, () => ({
  type: 'SUBMIT_NEW_PASSWORD',
  password: new Secret(field.newPassword.value),
  confirmation: new Secret(field.confirmation.value),
}));
onSubmit(views['passwordReset.question'].form, () => ({
  type: 'SUBMIT_SECRET_ANSWER',
  answer: new Secret(field.answer.value),
}));
onSubmit(views['passwordReset.code'].form, () => ({
  type: 'SUBMIT_RESET_CODE',
  code: new Secret(field.resetCode.value),
}));
for (const button of actionButtons) {
  button.addEventListener('click', () => {
    const type = button.dataset.event as 'RETRY' | 'CANCEL' | 'LOGOUT';
    // LOGOUT forgets the username too, even when it leaves the screen on the same login form.
    if (type === 'LOGOUT') loginForm.reset();
    actor.send({ type });
  });
}

callApiButton.addEventListener('click', () => {
  void callApi();
});
// The same page in a new tab: with the shared storage, it shows the same session, and follows this one.
byId('open-tab').addEventListener('click', () => {
  window.open(location.href, '_blank', 'noopener');
});
byId('revoke-sessions').addEventListener('click', () => {
  void fetch('/demo/revoke-sessions', { method: 'POST' });
});
byId('mailbox-refresh').addEventListener('click', () => {
  void readMailbox(mailboxUser());
});
mailboxLine('Codes appear here when the fake server e-mails one; or type a username and check its mailbox.');

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
