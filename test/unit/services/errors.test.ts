// The error classes of src/services/errors/, one per kind, all EtnaAuthErrors.
import { describe, expect, it } from 'vitest';
import { AppKeyError } from '../../../src/services/errors/app-key-error.js';
import { EtnaAuthError } from '../../../src/services/errors/etna-auth-error.js';
import { HttpStatusError } from '../../../src/services/errors/http-status-error.js';
import { NetworkError } from '../../../src/services/errors/network-error.js';
import { ProtocolError } from '../../../src/services/errors/protocol-error.js';
import { RateLimitedError } from '../../../src/services/errors/rate-limited-error.js';
import { TimeoutError } from '../../../src/services/errors/timeout-error.js';

describe('error classes', () => {
  it.each([
    [new AppKeyError(403), 'AppKeyError', 'appKey', 403],
    [new HttpStatusError(502), 'HttpStatusError', 'http', 502],
    [new ProtocolError('bad', 200), 'ProtocolError', 'protocol', 200],
    [new RateLimitedError(undefined), 'RateLimitedError', 'rateLimited', 429],
    [new NetworkError(), 'NetworkError', 'network', undefined],
    [new TimeoutError(200), 'TimeoutError', 'timeout', undefined],
  ] as const)(
    '%s is an EtnaAuthError and an Error with its own name, kind and status',
    (error, name, kind, status) => {
      expect(error).toBeInstanceOf(EtnaAuthError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(String(error)).toBe(`${name}: ${error.message}`);
    },
  );

  it('gives a ProtocolError made without a status no status', () => {
    const error = new ProtocolError('bad');

    expect(error.status).toBeUndefined();
    expect(error.kind).toBe('protocol');
  });
});
