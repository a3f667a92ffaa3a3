// `snapshot.can(event)` is true exactly where the event does something a user would want: a UI shows a button
// where can() says so, and nothing else. Checked in every snapshot the model reaches, for every user event.
import { describe, expect, it } from 'vitest';
import type { AnyEventObject } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';
import type { EtnaAuthEvent } from '../../src/index.js';
import {
  bareModelMachine,
  MODEL_EVENTS,
  MODEL_MAX_STEPS,
  MODEL_STARTS,
  MODEL_USER_EVENTS,
} from '../../src/testing/model/events.js';
import { type ModelSnapshot, stateValueName } from '../../src/testing/model/expectation.js';

const FORMS = ['pinSetup.choosing', 'passwordChange.editing', 'passwordReset.newPassword'];
const JOURNEYS = /^(expecting|pinSetup|passwordChange|passwordReset)\./;
/** The re-login's steps inside a session that ends soon: CANCEL returns to its warning. */
const RELOGIN_STEPS = [
  'succeeded.endingSoon.authenticating',
  'succeeded.endingSoon.securityPin',
  'succeeded.endingSoon.verificationCode',
];

/** Where each user event is offered, by the contract (DESIGN.md's tables and the journey guides). */
function offered(type: string, snapshot: ModelSnapshot): boolean {
  const state = stateValueName(snapshot.value);
  const { context } = snapshot;
  switch (type) {
    case 'SUBMIT_CREDENTIALS':
      // A login, or a login again while the session ends soon (not before a 429's wait is over).
      return (
        state === 'idle' ||
        (state === 'succeeded.endingSoon.warning' && context.retryAvailableAt === undefined)
      );
    case 'FORGOT_PASSWORD':
      return state === 'idle';
    case 'SUBMIT_PIN':
      return state === 'expecting.securityPin' || state === 'succeeded.endingSoon.securityPin';
    case 'SUBMIT_VERIFICATION_CODE':
      return state === 'expecting.verificationCode' || state === 'succeeded.endingSoon.verificationCode';
    case 'RESEND_CODE':
      return state === 'expecting.verificationCode' && context.resendAvailableAt === undefined;
    case 'SUBMIT_NEW_PIN':
      return state === 'pinSetup.choosing';
    case 'SUBMIT_NEW_PASSWORD':
      return FORMS.slice(1).includes(state);
    case 'SUBMIT_SECRET_ANSWER':
      return state === 'passwordReset.question';
    case 'SUBMIT_RESET_CODE':
      return state === 'passwordReset.code';
    case 'RETRY':
      return (
        state === 'failed' ||
        (state === 'error' && context.error?.kind !== 'appKey' && context.retryAvailableAt === undefined)
      );
    case 'CANCEL':
      return (
        state === 'authenticating' ||
        state === 'error' ||
        JOURNEYS.test(state) ||
        RELOGIN_STEPS.includes(state)
      );
    case 'LOGOUT':
      return state.startsWith('succeeded.') || state === 'loggingOut';
    default:
      throw new Error(`no contract for ${type}`);
  }
}

describe('snapshot.can() is true exactly where the contract offers an event', () => {
  const snapshots: ModelSnapshot[] = [];
  for (const start of MODEL_STARTS) {
    const adjacency = getAdjacencyMap(bareModelMachine(MODEL_MAX_STEPS, start), {
      events: [...MODEL_EVENTS] as EtnaAuthEvent[],
      serializeState: (snapshot) => {
        const {
          sessionExpiresAt: _at,
          retryAvailableAt,
          resendAvailableAt,
          ...context
        } = (snapshot as ModelSnapshot).context;
        return JSON.stringify({
          value: snapshot.value,
          context,
          retry: retryAvailableAt !== undefined,
          resend: resendAvailableAt !== undefined,
        });
      },
    });
    for (const entry of Object.values(adjacency)) snapshots.push(entry.state as ModelSnapshot);
  }
  const valid = new Map<string, AnyEventObject>();
  for (const event of MODEL_USER_EVENTS) if (!valid.has(event.type)) valid.set(event.type, event);

  it('reaches every state of the chart, waits included', () => {
    const states = new Set(snapshots.map((snapshot) => stateValueName(snapshot.value)));
    for (const state of [
      'expecting.resendingCode',
      'pinSetup.loadingImages',
      ...FORMS,
      'passwordReset.question',
      'passwordReset.code',
      'succeeded.endingSoon.warning',
      ...RELOGIN_STEPS,
    ])
      expect(states).toContain(state);
    expect(snapshots.some((s) => s.value === 'error' && s.context.retryAvailableAt !== undefined)).toBe(true);
    expect(
      snapshots.some(
        (s) =>
          stateValueName(s.value) === 'succeeded.endingSoon.warning' &&
          s.context.retryAvailableAt !== undefined,
      ),
    ).toBe(true);
    expect(snapshots.some((s) => s.context.resendAvailableAt !== undefined)).toBe(true);
  });

  it.each([...valid.keys()])('%s', (type) => {
    const event = valid.get(type) as AnyEventObject;
    const wrong = snapshots
      .filter((snapshot) => snapshot.can(event as EtnaAuthEvent) !== offered(type, snapshot))
      .map(
        (snapshot) =>
          `${stateValueName(snapshot.value)} (error ${snapshot.context.error?.kind ?? 'none'}, retry wait ${
            snapshot.context.retryAvailableAt !== undefined
          }, resend wait ${snapshot.context.resendAvailableAt !== undefined}): can() is ${snapshot.can(
            event as EtnaAuthEvent,
          )}`,
      );
    expect([...new Set(wrong)]).toEqual([]);
  });
});
