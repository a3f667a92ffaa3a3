// The server's Reasons and Steps that the catalogs have words for, read the way the chart reads them: a known
// text in any case and spacing; anything else is not known, and is shown as the server sent it (or not at all).
import { routedFailureOf } from '../contract/session.js';
import type { EtnaKnownReason, EtnaKnownStep } from './catalog.js';

const REASONS: Readonly<Record<string, EtnaKnownReason>> = {
  'invalid credentials': 'invalidCredentials',
  'expecting confirmation code': 'expectingCode',
  'corrupted ticket': 'corruptedTicket',
  'invalid pin': 'invalidPin',
};

const STEPS: Readonly<Record<string, EtnaKnownStep>> = {
  baseauthentication: 'credentials',
  // The platform's own misspelling, and the later rewrite's.
  secutitypin: 'securityPin',
  securitypin: 'securityPin',
  verificationcode: 'verificationCode',
};

const key = (text: string) => text.trim().replace(/\s+/g, ' ').replace(/\.$/, '').toLowerCase();

/** The known Reason `reason` is, if any (`Invalid pin` → `invalidPin`). */
export function knownReasonOf(reason: string): EtnaKnownReason | undefined {
  const known = key(reason);
  if (Object.hasOwn(REASONS, known)) return REASONS[known];
  // The two Reasons an app must route are read as the chart reads them.
  return routedFailureOf(reason);
}

/** The known Step `step` is, if any (`SecutityPin` → `securityPin`). */
export function knownStepOf(step: string): EtnaKnownStep | undefined {
  const known = key(step).replace(/ /g, '');
  return Object.hasOwn(STEPS, known) ? STEPS[known] : undefined;
}
