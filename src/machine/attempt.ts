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
} as const;

/** The secrets of an attempt, forgotten once it ends. */
export const FORGET_SECRETS = {
  request: undefined,
  interimToken: undefined,
  sessionToken: undefined,
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
