// How a route beside `/token` reads its request: what it is handed, and the JSON body's fields, each wrong one
// a 400 in ETNA's envelope.
import type { JourneyCall } from '../../contract/calls.js';
import { type Answer, badRequest } from './answers.js';
import type { RequestBody } from './recorded-request.js';

/** What a journey route reads of a request, once its method, fault and app key are dealt with. */
export interface JourneyRequest {
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly query: URLSearchParams;
  readonly body: RequestBody;
}

/** One journey route's rules: its answer to a request. */
export type JourneyHandler = (request: JourneyRequest) => Answer;

/**
 * The handlers of one region's calls. The server composes every region's into a `{ [K in JourneyCall]: … }`,
 * so a call added to `JOURNEY_CALLS` without its handler does not compile.
 */
export type JourneyHandlers<TCall extends JourneyCall> = { readonly [K in TCall]: JourneyHandler };

/** A body the route cannot read: `answerJourney` turns it into a 400. */
class BadRequest extends Error {}

/** Throws the 400 a route answers to what it cannot read. */
export function rejectRequest(message: string): never {
  throw new BadRequest(message);
}

/** A route's answer, or the 400 for a request it cannot read. */
export function answerJourney(handler: JourneyHandler, request: JourneyRequest): Answer {
  try {
    return handler(request);
  } catch (error) {
    if (error instanceof BadRequest) return badRequest(error.message);
    throw error;
  }
}

/** The body as a JSON object, sent as JSON. */
export function jsonObject(request: JourneyRequest): Record<string, unknown> {
  if (request.body.tooLarge) rejectRequest('The request body is too large.');
  if (request.body.text.trim() === '') rejectRequest('The request body is missing.');
  if (!/^application\/json\s*(;|$)/i.test(request.contentType ?? '')) {
    rejectRequest('The request body must be JSON (Content-Type: application/json).');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.text);
  } catch {
    rejectRequest('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    rejectRequest('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') rejectRequest(`${name} must be a string.`);
  return value;
}

/** A string, or undefined for a field that is absent or null. */
export function optionalStringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') rejectRequest(`${name} must be a string.`);
  return value;
}

export function numberField(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (typeof value !== 'number') rejectRequest(`${name} must be a number.`);
  return value;
}
