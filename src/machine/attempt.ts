import type { Secret } from '../contract/secret.js';
import type { ContinuationStep, TokenRequest } from '../contract/token-request.js';
import { secretOf } from './input-problems.js';
import type { EtnaAuthContext, SecretInput } from './types.js';

/** Everything one attempt or session holds, emptied; the settings stay as they are. */
export const NOTHING_HELD = {
  username: undefined,
  step: undefined,
  reason: undefined,
  failure: undefined,
  error: undefined,
  stepCount: 0,
  request: undefined,
  interimToken: undefined,
  sessionToken: undefined,
  sessionExpiresAt: undefined,
  personalPhrase: undefined,
  securityImage: undefined,
  securityImages: undefined,
  secretQuestion: undefined,
  serverErrors: undefined,
  codeResent: false,
  resendAvailableAt: undefined,
  retryAvailableAt: undefined,
  call: undefined,
  journeyToken: undefined,
  confirmationToken: undefined,
} as const;

/** The secrets of an attempt, forgotten once it ends, and what was personal to its PIN step. */
export const FORGET_SECRETS = {
  request: undefined,
  interimToken: undefined,
  sessionToken: undefined,
  call: undefined,
  journeyToken: undefined,
  confirmationToken: undefined,
  personalPhrase: undefined,
  securityImage: undefined,
  securityImages: undefined,
  codeResent: false,
  resendAvailableAt: undefined,
} as const;

/** What a login again in `succeeded.endingSoon` held, forgotten; the session itself stays as it is. */
export const RELOGIN_FORGOTTEN = {
  step: undefined,
  reason: undefined,
  failure: undefined,
  error: undefined,
  stepCount: 0,
  request: undefined,
  interimToken: undefined,
  personalPhrase: undefined,
  securityImage: undefined,
} as const;

/** The request that answers the pending step: the same credentials, the interim token, and the answer. */
export function continuation(
  context: EtnaAuthContext,
  step: ContinuationStep,
  answer: SecretInput,
): TokenRequest {
  const { request, interimToken } = context;
  // Unreachable by the chart: an expecting state is only entered with both set.
  if (!request || !interimToken) throw new Error(`no pending request for ${step}`);
  return {
    username: request.username,
    password: request.password,
    continuation: { step, interimToken, answer: secretOf(answer) },
  };
}

/** The first step of a login: credentials only (a new login, a resend, or the login after a journey). */
export function credentials(username: string, password: Secret): TokenRequest {
  return { username, password };
}
