import { BFF_USER_EVENTS, type BffUserEventType } from '../contract/bff.js';
import { Secret } from '../contract/secret.js';
import type { EtnaAuthEvent } from '../machine/types.js';
import { BffRefusal } from './http-io.js';

/** The longest value a field may carry; the machine checks what it may contain. */
const MAX_FIELD_LENGTH = 1024;

/**
 * One user event from the browser's JSON body, with its secrets wrapped in `Secret` at once. Unknown types (the
 * machine's own events included), missing, extra or non-string fields are refused, naming the field and never
 * repeating its value.
 */
export function parseBrowserEvent(body: Buffer): EtnaAuthEvent {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BffRefusal('badEvent', 'the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BffRefusal('badEvent', 'the body must be one event: { "type": …, …fields }');
  }
  const { type, ...fields } = value as Record<string, unknown>;
  if (typeof type !== 'string' || !Object.hasOwn(BFF_USER_EVENTS, type)) {
    throw new BffRefusal(
      'badEvent',
      `unknown event type; the browser may send ${Object.keys(BFF_USER_EVENTS).join(', ')}`,
    );
  }
  const expected: Readonly<Record<string, string>> = BFF_USER_EVENTS[type as BffUserEventType];
  const event: Record<string, unknown> = { type };
  for (const name of Object.keys(fields)) {
    if (!Object.hasOwn(expected, name)) throw new BffRefusal('badEvent', `${type} has no field ${name}`);
  }
  for (const [name, kind] of Object.entries(expected)) {
    const field = fields[name];
    if (typeof field !== 'string') throw new BffRefusal('badEvent', `${type} needs ${name} as a string`);
    if (field.length > MAX_FIELD_LENGTH) {
      throw new BffRefusal('badEvent', `${name} is longer than ${MAX_FIELD_LENGTH} characters`);
    }
    event[name] = kind === 'secret' ? new Secret(field) : field;
  }
  return event as unknown as EtnaAuthEvent;
}
