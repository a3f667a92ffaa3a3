import type { TokenAnswer, TokenRequest } from '../contract/token-request.js';
import { parseTokenResponse } from './parse-token-response.js';
import type { ServiceConfig } from './service-config.js';
import { createTransport } from './transport.js';

/** Sends one `/token` request and resolves with its validated answer; `signal` aborts it. */
type RequestToken = (request: TokenRequest, signal?: AbortSignal) => Promise<TokenAnswer>;

/**
 * The `/token` service: one POST per call through the transport (never a silent retry, no redirect followed, the
 * timeout over the body too), its answer parsed with every secret of the request scrubbed from what it shows.
 */
export function createRequestToken(config: ServiceConfig): RequestToken {
  const send = createTransport(config);
  return async (request, signal) => {
    const { continuation } = request;
    const password = request.password.reveal();
    const headers: Record<string, string> = { Username: request.username, Password: password };
    const secrets = [password];
    let bearer: string | undefined;
    if (continuation) {
      bearer = continuation.interimToken.reveal();
      const answer = continuation.answer.reveal();
      headers[continuation.step === 'securityPin' ? 'PinCode' : 'VerificationCode'] = answer;
      secrets.push(bearer, answer);
    }
    const { status, retryAfter, body } = await send(
      { method: 'post', url: config.tokenUrl, headers, bearer },
      signal,
    );
    return parseTokenResponse(status, retryAfter, body, secrets);
  };
}
