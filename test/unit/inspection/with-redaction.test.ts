// withRedaction on odd events: cycles, deep nesting, values posing as actors, getters that throw. The inspector
// is always called, with a copy it can print, and nothing secret lies anywhere in it, however deep.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { createActor } from 'xstate';
import { REDACTED } from '../../../src/contract/secret.js';
import { createEtnaAuthMachine, Secret, withRedaction } from '../../../src/index.js';
import { MAX_REDACTION_DEPTH } from '../../../src/inspection/with-redaction.js';

const CANARY = 'redaction-canary-7Qw';

const actorRef = createActor(createEtnaAuthMachine({ baseUrl: 'https://broker.example/api/', appKey: 'k' }));

/** What the inspector got for an `@xstate.event` carrying `event`; fails the test if it threw or got nothing. */
function inspected(event: object): Record<string, unknown> {
  const got: InspectionEvent[] = [];
  const inspection = {
    type: '@xstate.event',
    rootId: actorRef.sessionId,
    actorRef,
    sourceRef: undefined,
    event,
  };
  withRedaction((redacted) => got.push(redacted))(inspection as unknown as InspectionEvent);
  expect(got).toHaveLength(1);
  return (got[0] as unknown as { event: Record<string, unknown> }).event;
}

/** `levels` objects, each holding the next under `key`, the innermost holding `leaf`. */
function nested(levels: number, key: string, leaf: unknown): unknown {
  let value = leaf;
  for (let level = 0; level < levels; level++) value = { [key]: value };
  return value;
}

/** How deep a printable value goes. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    deepest = Math.max(deepest, depth);
    if (typeof item === 'object' && item !== null) {
      for (const inner of Object.values(item)) stack.push([inner, depth + 1]);
    }
  }
  return deepest;
}

describe('withRedaction on odd events', () => {
  it('hands an event holding a cycle on as a finite copy that JSON can print', () => {
    const event: Record<string, unknown> = {
      type: 'SUBMIT_CREDENTIALS',
      username: 'alice',
      password: CANARY,
    };
    event.self = event;
    event.list = [event, { back: event }];
    const copy = inspected(event);
    const printed = JSON.stringify(copy);
    expect(printed).not.toContain(CANARY);
    expect(copy).toMatchObject({ username: 'alice', password: REDACTED, self: '[circular]' });
  });

  it('hands an event posing an actor whose parent is itself on, with a parent chain that ends', () => {
    const posing: Record<string, unknown> = { id: 'x', sessionId: 'x:0', send() {}, getSnapshot: () => ({}) };
    posing._parent = posing;
    const copy = inspected({ type: 'SOMETHING', ref: posing });
    let link = copy.ref as { _parent?: unknown } | undefined;
    for (let hops = 0; link !== undefined; hops++) {
      expect(hops).toBeLessThanOrEqual(MAX_REDACTION_DEPTH);
      link = link._parent as typeof link;
    }
  });

  it.each([
    ['a secret key', nested(2_000, 'inner', { password: CANARY })],
    ['a plain key', nested(2_000, 'inner', { note: CANARY })],
    ['arrays', nested(2_000, '0', [CANARY])],
  ])('hands 2 000 levels of nesting under %s on, redacting what lies past the cap', (_, deep) => {
    const copy = inspected({ type: 'DEEP', deep });
    const printed = JSON.stringify(copy);
    expect(printed).not.toContain(CANARY);
    expect(printed).toContain(REDACTED);
    expect(depthOf(copy)).toBeLessThanOrEqual(MAX_REDACTION_DEPTH + 2);
  });

  it('keeps what lies above the cap as it was', () => {
    const shallow = nested(MAX_REDACTION_DEPTH - 2, 'inner', { note: 'kept' });
    expect(JSON.stringify(inspected({ type: 'SHALLOW', shallow }))).toContain('"note":"kept"');
  });

  it('redacts a value whose getter throws, and the keys of a Map', () => {
    const copy = inspected({
      type: 'ODD',
      get broken(): never {
        throw new Error(CANARY);
      },
      map: new Map([[{ password: CANARY }, 1]]),
    });
    expect(copy.broken).toBe(REDACTED);
    expect(JSON.stringify([...(copy.map as Map<unknown, unknown>).keys()])).not.toContain(CANARY);
  });

  it('reads a very wide event in bounded time, redacting what lies past the budget', () => {
    const wide = Array.from({ length: 200 }, () => Array.from({ length: 200 }, () => ({ note: CANARY })));
    const started = performance.now();
    const copy = inspected({ type: 'WIDE', wide, sparse: new Array(1_000_000_000) });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(JSON.stringify(copy)).toContain(REDACTED);
  });

  it('hands on any generated event, cycles and depth included, with no secret in it (property)', () => {
    const secretKey = fc.constantFrom(
      'password',
      'pin',
      'code',
      'token',
      'answer',
      'newPassword',
      'Authorization',
    );
    const leaf = fc.oneof(
      fc.constant<unknown>(new Secret(CANARY)),
      secretKey.map((key) => ({ [key]: CANARY })),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(
        leaf,
        fc.integer({ min: 0, max: 3_000 }),
        fc.array(fc.constantFrom('inner', '0', 'x'), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (bottom, levels, keys, cyclic) => {
          const top: Record<string, unknown> = { type: 'GENERATED' };
          let value: unknown = bottom;
          for (let level = 0; level < levels; level++)
            value = { [keys[level % keys.length] as string]: value };
          top.value = value;
          if (cyclic) top.again = top;
          const copy = inspected(top);
          const printed = JSON.stringify(copy);
          expect(printed).not.toContain(CANARY);
          // A plain value within the cap is passed on as it was.
          if (levels < MAX_REDACTION_DEPTH - 2 && !(typeof bottom === 'object' && bottom !== null)) {
            expect(JSON.stringify(copy.value)).toBe(JSON.stringify(value));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('withRedaction on a running actor', () => {
  it('lets an actor take an event with a cycle and 2 000 levels, every inspection printable and free of it', () => {
    const printed: string[] = [];
    // Nothing leaves: the login's request is answered here, refused.
    const fetch = async () => new Response('{}', { status: 500 });
    const machine = createEtnaAuthMachine({ baseUrl: 'https://broker.example/api/', appKey: 'k', fetch });
    const actor = createActor(machine, {
      inspect: withRedaction((inspection) => {
        const {
          actorRef: _actor,
          sourceRef: _source,
          ...rest
        } = inspection as unknown as Record<string, unknown>;
        printed.push(JSON.stringify(rest));
      }),
    }).start();
    const odd: Record<string, unknown> = { type: 'SUBMIT_CREDENTIALS', username: 'alice', password: CANARY };
    odd.deep = nested(2_000, 'inner', { note: CANARY });
    odd.self = odd;
    expect(() => actor.send(odd as never)).not.toThrow();
    expect(printed.some((line) => line.includes('SUBMIT_CREDENTIALS'))).toBe(true);
    expect(printed.join('\n')).not.toContain(CANARY);
    actor.stop();
  });
});
