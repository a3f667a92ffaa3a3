// What a UI shows after a step of a model path: the public part of the snapshot, as a path expects it.
import type { AnyMachineSnapshot } from 'xstate';
import type { EtnaAuthErrorData } from '../../contract/auth-error.js';
import type { SecurityImage } from '../../contract/journey.js';
import type { EtnaAuthContext, EtnaAuthFailure } from '../../machine/types.js';

/** A snapshot of the login machine, bare or with its services. */
export type ModelSnapshot = AnyMachineSnapshot & { context: EtnaAuthContext };

/**
 * What a UI shows after a step: the public part of the snapshot.
 * @example expect(expectationOf(actor.getSnapshot())).toEqual(step.expected);
 */
export interface ModelExpectation {
  /** `idle`, `authenticating`, `expecting.securityPin`, … */
  readonly state: string;
  readonly busy: boolean;
  readonly username: string | undefined;
  readonly step: string | undefined;
  readonly reason: string | undefined;
  readonly failure: EtnaAuthFailure | undefined;
  /** `context.error` without its message (whose wording is not part of the contract). */
  readonly error: Omit<EtnaAuthErrorData, 'message'> | undefined;
  readonly hasToken: boolean;
  /** The PIN prompt's anti-phishing phrase, and its picture's file name. */
  readonly personalPhrase: string | undefined;
  readonly securityImage: string | undefined;
  /** The file names of the security images offered in `pinSetup.choosing`. */
  readonly securityImages: readonly string[] | undefined;
  readonly secretQuestion: string | undefined;
  /** The server's `Errors` of the last refused call beside `/token`. */
  readonly serverErrors: readonly string[] | undefined;
  /** True on the code prompt after a resend: the earlier code no longer works. */
  readonly codeResent: boolean;
  /** `snapshot.can({ type: 'RETRY' })`: false during a rate limit's wait. */
  readonly canRetry: boolean;
  /** `snapshot.can({ type: 'RESEND_CODE' })`: false during the cooldown. */
  readonly canResend: boolean;
  /** `snapshot.hasTag('endingSoon')`: the session ends within the warning; a re-login is offered. */
  readonly endingSoon: boolean;
}

/**
 * `idle`, `expecting.securityPin`, …: a state value as one dotted name.
 * @example stateValueName({ pinSetup: 'choosing' }) // 'pinSetup.choosing'
 */
export function stateValueName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? ['', ''];
  return `${key}.${stateValueName(child)}`;
}

/**
 * The expectation a snapshot of the model implies.
 * @example expect(expectationOf(actor.getSnapshot())).toEqual(step.expected);
 */
export function expectationOf(snapshot: ModelSnapshot): ModelExpectation {
  const { context } = snapshot;
  let error: ModelExpectation['error'];
  if (context.error) {
    const { message: _message, ...rest } = context.error;
    error = rest;
  }
  return {
    state: stateValueName(snapshot.value),
    busy: snapshot.hasTag('busy'),
    username: context.username,
    step: context.step,
    reason: context.reason,
    failure: context.failure,
    error,
    hasToken: snapshot.matches('succeeded') && context.sessionToken !== undefined,
    personalPhrase: context.personalPhrase,
    securityImage: context.securityImage?.fileName,
    securityImages: context.securityImages?.map((image: SecurityImage) => image.fileName),
    secretQuestion: context.secretQuestion,
    serverErrors: context.serverErrors,
    codeResent: context.codeResent,
    canRetry: snapshot.can({ type: 'RETRY' }),
    canResend: snapshot.can({ type: 'RESEND_CODE' }),
    endingSoon: snapshot.hasTag('endingSoon'),
  };
}
