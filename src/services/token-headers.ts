import type { TokenRequest } from '../contract/token-request.js';

/** The headers of one `/token` request: the base three always, plus the interim token and the step's answer. */
export function tokenHeaders(request: TokenRequest, appKey: string): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Et-App-Key': appKey,
    Username: request.username,
    Password: request.password.reveal(),
  };
  const { continuation } = request;
  if (continuation) {
    headers.Authorization = `Bearer ${continuation.interimToken.reveal()}`;
    headers[continuation.step === 'securityPin' ? 'PinCode' : 'VerificationCode'] =
      continuation.answer.reveal();
  }
  return headers;
}

/** Every secret value a request carries, so server text that echoes one can be scrubbed. */
export function secretValuesOf(request: TokenRequest): string[] {
  const values = [request.password.reveal()];
  if (request.continuation) {
    values.push(request.continuation.interimToken.reveal(), request.continuation.answer.reveal());
  }
  return values;
}
