import type { Secret } from '../contract/secret.js';
import type { ContinuationStep, TokenRequest } from '../contract/token-request.js';
import type { LoginContext } from './context.js';
import { secretOf } from './input-problems.js';
import type { SecretInput } from './types.js';

/** The request that answers the pending step: the same credentials, the interim token, and the answer. */
export function continuation(
  context: Pick<LoginContext, 'request' | 'interimToken'>,
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
