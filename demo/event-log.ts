// The event log: what the actor did (the actors it invoked, the events it took, the states it entered), fed
// through withRedaction like any inspector, so that secrets show as [redacted] and what is personal as [personal].
import type { InspectionEvent } from 'xstate';
import { withRedaction } from '../src/index.js';
import { stateName } from './state-name.js';

/** The log keeps its latest lines only: a long session must not grow the page without end. */
const LOG_LIMIT = 200;
/** A payload longer than this is cut, with an ellipsis. */
const PAYLOAD_LIMIT = 160;

/** An inspector that writes the root actor's story into the list `log`, one numbered line each, redacted. */
export function createEventLog(log: HTMLOListElement): (event: InspectionEvent) => void {
  let logged = 0;
  let loggedState = '';

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
      detail.textContent = ` ${payload.length > PAYLOAD_LIMIT ? `${payload.slice(0, PAYLOAD_LIMIT - 1)}…` : payload}`;
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

  return withRedaction(logInspection);
}
