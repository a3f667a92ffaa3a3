import type { EtnaFailureCode } from './session.js';

/**
 * What a person can do about a login that ended in `failed`, by `context.failure.code`: one sentence each,
 * to show after the server's Reason (and Step), which say what happened. The words suit any screen — a web
 * page, an app, a terminal — so the web demo, the framework examples and `etna-auth login` all show these.
 *
 * ```ts
 * const { failure } = snapshot.context;
 * if (failure) show(`${failure.reason} (${failure.step}) ${FAILURE_GUIDANCE[failure.code]}`);
 * ```
 * @example const advice = FAILURE_GUIDANCE[snapshot.context.failure!.code];
 */
export const FAILURE_GUIDANCE: Readonly<Record<EtnaFailureCode, string>> = {
  rejected: 'Check what you typed, then try again.',
  passwordExpired: "Change your password on your broker's website or app, then log in with the new one.",
  pinNotInitialized: "Set up a security PIN on your broker's website or app, then log in again.",
  unsupportedStep: "Finish this login on your broker's website or app: this step cannot be answered here.",
  resetRefused: "Reset your password on your broker's website or app, or ask the broker's support.",
};
