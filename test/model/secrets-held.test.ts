// Every secret the chart holds, in every state it can reach: a secret is dropped as soon as nothing can need it
// again (a refused or answered request's secrets, an answered step's PIN or code, the secret answer once the
// code is on its way, the reset code once it gave its token).
import { describe, expect, it } from 'vitest';
import { getAdjacencyMap } from 'xstate/graph';
import { Secret } from '../../src/contract/secret.js';
import type { EtnaAuthEvent } from '../../src/index.js';
import {
  bareModelMachine,
  MODEL_EVENTS,
  MODEL_MAX_STEPS,
  MODEL_STARTS,
} from '../../src/testing/model/events.js';
import { type ModelSnapshot, stateValueName } from '../../src/testing/model/expectation.js';

/** The dotted paths of every `Secret` under `value` (`request.password`, `calls.pinChange.pin`, …). */
function secretPaths(value: unknown, path: string[] = []): string[] {
  if (Secret.is(value)) return [path.join('.')];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => secretPaths(inner, [...path, key]));
}

const LOGIN_REQUEST = [
  'request.password',
  'request.continuation.interimToken',
  'request.continuation.answer',
];
const CREDENTIALS = ['request.password'];
const PIN_SETUP_TOKENS = ['pinSetupTokens.token', 'pinSetupTokens.confirmationToken'];
const NEW_PASSWORD = [
  'calls.passwordChange.token',
  'calls.passwordChange.password',
  'calls.passwordChange.confirmation',
];

/** What each state may hold, at most: what its request (or the next one a form builds) needs. */
const MAY_HOLD: Readonly<Record<string, readonly string[]>> = {
  restoring: [],
  idle: [],
  authenticating: LOGIN_REQUEST,
  'expecting.securityPin': [...CREDENTIALS, 'interimToken'],
  'expecting.verificationCode': [...CREDENTIALS, 'interimToken'],
  // The code prompt stays during a resend: its interim token still works with the code already sent.
  'expecting.resendingCode': [...CREDENTIALS, 'interimToken'],
  'pinSetup.loadingImages': [...CREDENTIALS, ...PIN_SETUP_TOKENS, 'calls.securityImages.token'],
  'pinSetup.choosing': [...CREDENTIALS, ...PIN_SETUP_TOKENS],
  'pinSetup.saving': [
    ...CREDENTIALS,
    ...PIN_SETUP_TOKENS,
    'calls.pinChange.token',
    'calls.pinChange.confirmationToken',
    'calls.pinChange.pin',
  ],
  'passwordChange.editing': ['passwordToken'],
  'passwordChange.saving': ['passwordToken', ...NEW_PASSWORD],
  'passwordReset.loadingQuestion': [],
  'passwordReset.question': [],
  'passwordReset.requestingCode': ['calls.resetRequest.answer'],
  'passwordReset.code': [],
  'passwordReset.verifyingCode': ['calls.resetCode.code'],
  'passwordReset.newPassword': ['passwordToken'],
  'passwordReset.saving': ['passwordToken', ...NEW_PASSWORD],
  'succeeded.active': ['sessionToken'],
  'succeeded.endingSoon.warning': ['sessionToken'],
  'succeeded.endingSoon.authenticating': ['sessionToken', ...LOGIN_REQUEST],
  'succeeded.endingSoon.securityPin': ['sessionToken', ...CREDENTIALS, 'interimToken'],
  'succeeded.endingSoon.verificationCode': ['sessionToken', ...CREDENTIALS, 'interimToken'],
  loggingOut: ['sessionToken'],
  failed: [],
};

/** In `error`, the failed request's secrets stay for RETRY: those of the busy state it came from, by request. */
const FAILED_REQUEST_HOLDS: Readonly<Record<string, readonly string[]>> = {
  requestToken: MAY_HOLD.authenticating ?? [],
  securityImages: MAY_HOLD['pinSetup.loadingImages'] ?? [],
  pinChange: MAY_HOLD['pinSetup.saving'] ?? [],
  passwordChange: MAY_HOLD['passwordChange.saving'] ?? [],
  secretQuestion: [],
  resetRequest: MAY_HOLD['passwordReset.requestingCode'] ?? [],
  resetCode: MAY_HOLD['passwordReset.verifyingCode'] ?? [],
  resetPassword: MAY_HOLD['passwordReset.saving'] ?? [],
};

function reachableSnapshots(): ModelSnapshot[] {
  return MODEL_STARTS.flatMap((start) =>
    Object.values(
      getAdjacencyMap(bareModelMachine(MODEL_MAX_STEPS, start), {
        events: [...MODEL_EVENTS] as EtnaAuthEvent[],
        serializeState: (snapshot) => {
          const {
            sessionExpiresAt: _a,
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
      }),
    ).map((entry) => entry.state as ModelSnapshot),
  );
}

describe('secrets held by the chart', () => {
  const snapshots = reachableSnapshots();

  it('walks every state of the chart', () => {
    const states = new Set(snapshots.map((snapshot) => stateValueName(snapshot.value)));
    expect([...states].sort()).toEqual([...Object.keys(MAY_HOLD), 'error'].sort());
  });

  it('drops each secret as soon as nothing can need it again, in every reachable state', () => {
    const heldPastUse = new Set<string>();
    for (const snapshot of snapshots) {
      const state = stateValueName(snapshot.value);
      const allowed =
        state === 'error'
          ? (FAILED_REQUEST_HOLDS[snapshot.context.failedRequest ?? ''] ?? [])
          : (MAY_HOLD[state] ?? []);
      for (const path of secretPaths(snapshot.context)) {
        if (!allowed.includes(path))
          heldPastUse.add(
            `${state}${state === 'error' ? ` (after ${snapshot.context.failedRequest})` : ''}: ${path}`,
          );
      }
    }
    expect([...heldPastUse].sort()).toEqual([]);
  });
});
