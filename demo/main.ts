// The web demo: the etna-auth machine driving a plain DOM login screen, a live statechart and an event log.
// Query parameters (for tests): ?timeout=<ms per request>&maxSteps=<Expecting answers in a row>.
import { createBrowserInspector } from '@statelyai/inspect';
import { createActor, type InspectionEvent } from 'xstate';
import {
  createEtnaAuthMachine,
  type EtnaAuthErrorKind,
  type EtnaAuthEvent,
  selectToken,
  withRedaction,
} from '../src/index.js';
import { DEMO_APP_KEY, DEMO_USERS, describeDemoUserSteps } from '../src/testing/demo-users.js';
import { createStatechartPanel } from './statechart-panel.js';

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

const machine = createEtnaAuthMachine({
  baseUrl: new URL('/api/', location.href).href,
  appKey: DEMO_APP_KEY,
  timeout: numberParam('timeout'),
  maxSteps: numberParam('maxSteps'),
  fetch: fetchWithDemoFault,
});

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

byId<HTMLInputElement>('inspect').addEventListener('change', (change) => {
  if ((change.target as HTMLInputElement).checked) {
    inspector = createBrowserInspector();
    toInspector = withRedaction(inspector.inspect);
    // The actor started before the inspector did: introduce it, with its current (redacted) snapshot.
    toInspector({ type: '@xstate.actor', actorRef: actor, rootId: actor.sessionId });
  } else {
    toInspector = undefined;
    inspector?.stop();
    inspector = undefined;
  }
});

// --- the screen: a function of the snapshot ------------------------------------------------------------

let prompt: Prompt = 'idle';
let shownState: string | undefined;
let shownError: unknown;
const statechart = createStatechartPanel(byId('chart'), machine.root);

function render(): void {
  const snapshot = actor.getSnapshot();
  const { context } = snapshot;
  const state = stateName(snapshot.value);
  const entered = state !== shownState;
  const busy = snapshot.hasTag('busy');
  if (state in forms) prompt = state as Prompt;

  for (const [name, form] of Object.entries(forms) as [Prompt, HTMLFormElement][]) {
    form.hidden = name !== prompt || (state !== name && !busy);
    form.setAttribute('aria-busy', String(busy));
    for (const input of Array.from(form.querySelectorAll('input'))) input.readOnly = busy;
    const submit = form.querySelector('button');
    if (submit) submit.disabled = busy;
  }
  if (entered && state !== 'authenticating') {
    // Secrets leave the DOM as soon as they were sent; a prompt shown again starts empty.
    field.password.value = field.pin.value = field.code.value = '';
    if (state === 'idle') field.username.value = context.username ?? '';
  }
  byId('pin-reason').textContent = context.reason ?? 'Enter your security PIN.';
  byId('code-reason').textContent = context.reason ?? 'Enter the code you received.';
  account.hidden = state === 'idle' || state === 'succeeded' || !context.username;
  account.querySelector('b')?.replaceChildren(context.username ?? '');

  const inputError = context.error?.kind === 'input' ? context.error : undefined;
  for (const [name, slot] of Object.entries(fieldErrors) as [Prompt, HTMLElement][]) {
    slot.textContent = inputError && name === prompt ? inputError.message : '';
  }
  for (const [name, input] of Object.entries(field)) {
    if (inputError?.field === name) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  byId('succeeded-panel').hidden = state !== 'succeeded';
  const token = selectToken(snapshot);
  byId('token-info').textContent = token
    ? `Session token: ${token.length} characters, held in memory (not shown).`
    : '';

  byId('failed-panel').hidden = state !== 'failed';
  byId('failure-reason').textContent = context.failure?.reason ?? '';
  byId('failure-step').textContent = context.failure?.step ?? '';

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
  status.textContent = busy
    ? 'Waiting for the server…'
    : state === 'succeeded'
      ? `Logged in as ${context.username}.`
      : '';

  for (const button of actionButtons) {
    button.hidden = !snapshot.can({ type: button.dataset.event } as EtnaAuthEvent);
  }
  statechart.update(snapshot);

  if (entered) moveFocus(state);
  if (inputError && inputError !== shownError) field[inputError.field as keyof typeof field]?.focus();
  shownState = state;
  shownError = context.error;
}

/** Focus follows the flow: the next prompt's input, or the button that moves on from an outcome. */
function moveFocus(state: string): void {
  const button = (event: string) => actionButtons.find((candidate) => candidate.dataset.event === event);
  if (state === 'idle') (field.username.value ? field.password : field.username).focus();
  else if (state === 'expecting.securityPin') field.pin.focus();
  else if (state === 'expecting.verificationCode') field.code.focus();
  else if (state === 'succeeded') button('LOGOUT')?.focus();
  else if (state === 'failed' || state === 'error') button('RETRY')?.focus();
}

forms.idle.addEventListener('submit', (submit) => {
  submit.preventDefault();
  actor.send({ type: 'SUBMIT_CREDENTIALS', username: field.username.value, password: field.password.value });
});
forms['expecting.securityPin'].addEventListener('submit', (submit) => {
  submit.preventDefault();
  actor.send({ type: 'SUBMIT_PIN', pin: field.pin.value });
});
forms['expecting.verificationCode'].addEventListener('submit', (submit) => {
  submit.preventDefault();
  actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: field.code.value });
});
for (const button of actionButtons) {
  button.addEventListener('click', () => {
    const type = button.dataset.event as 'RETRY' | 'CANCEL' | 'LOGOUT';
    // LOGOUT forgets the username too, even when it leaves the screen on the same login form.
    if (type === 'LOGOUT') forms.idle.reset();
    actor.send({ type });
  });
}

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
