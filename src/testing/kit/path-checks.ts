// The smaller checks of a path run: the stored session, an API call, a span of the app's clock, a bounded wait, and
// a reading as a failure message shows it.
import type { FakeEtnaServer, RecordedRequest } from '../fake/index.js';
import type { ModelExpectation } from '../model/expectation.js';
import { MODEL_SESSION_TOKEN } from '../model/login.js';
import { MODEL_OTHER_USER } from '../model/session.js';
import { isLoginRequest } from './gateway.js';
import { MODEL_SECRETS } from './reading.js';
import type { ScreenReading } from './types.js';

/** A span of the app's clock: a time known to lie between `from` and `to`. */
export interface Span {
  readonly from: number;
  readonly to: number;
}
export const later = ({ from, to }: Span, ms: number): Span => ({ from: from + ms, to: to + ms });
export const span = (a: number, b: number): Span => ({ from: Math.min(a, b), to: Math.max(a, b) });
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The session token the app holds with `expected`: the model's, or the other user's it adopted. */
const tokenOf = (expected: ModelExpectation) =>
  expected.username === MODEL_OTHER_USER.username ? MODEL_OTHER_USER.token : MODEL_SESSION_TOKEN;

/**
 * What is wrong with the session the app keeps (`stored`, as its storage holds it; undefined: not known): it keeps
 * one exactly while logged in.
 */
export function storedMismatches(stored: string | null | undefined, expected: ModelExpectation): string[] {
  if (stored === undefined) return [];
  let token: unknown;
  try {
    token = stored === null ? undefined : (JSON.parse(stored) as { token?: unknown }).token;
  } catch {
    return ['the stored session is not what persist writes'];
  }
  const wanted = expected.hasToken ? tokenOf(expected) : undefined;
  // Not logged in, the storage may still hold the other user's session, which ended this tab's and waits.
  if (token === wanted || (wanted === undefined && token === MODEL_OTHER_USER.token)) return [];
  return [
    wanted ? 'the session is not kept in the storage' : 'a session is kept in the storage while logged out',
  ];
}

/** What is wrong with an API call the app made while it held the session of `previous`. */
export function apiCallMismatches(
  request: RecordedRequest,
  previous: ModelExpectation,
  server: Pick<FakeEtnaServer, 'url' | 'appKey'>,
): string[] {
  if (isLoginRequest(request.method, request.path, server.url)) return ['callApi() sent no API call'];
  const wrong: string[] = [];
  if (request.header('authorization') !== `Bearer ${tokenOf(previous)}`)
    wrong.push('the API call does not carry the session token');
  if (request.header('et-app-key') !== server.appKey) wrong.push('the API call does not carry the app key');
  return wrong;
}

/** `promise`, or the error `onTimeout` makes once `ms` have passed. */
export async function within<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A reading in a failure message: never its text, nor a problem that shows a secret. */
export function shown({ screen, busy, actions, fields, invalid, problem }: ScreenReading): string {
  const safe =
    problem === undefined || MODEL_SECRETS.some((secret) => problem.includes(secret)) ? undefined : problem;
  return JSON.stringify({ screen, busy, actions, fields, invalid, problem: safe });
}
