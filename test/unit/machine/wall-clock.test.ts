// The wall-clock check in `succeeded`: after a sleep (timers late) or a changed clock, the session ends as soon as
// the page is visible again, is shown, focused or back online, and not before its end. The page is an
// EventTarget here; test/browser/wall-clock.test.ts does the same in Chromium.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, fromPromise, SimulatedClock, waitFor } from 'xstate';
import { Secret } from '../../../src/contract/secret.js';
import type { TokenAnswer } from '../../../src/index.js';
import { selectToken } from '../../../src/index.js';
import { etnaAuthMachine } from '../../../src/machine/etna-auth-machine.js';

type Page = {
  addEventListener?: unknown;
  removeEventListener?: unknown;
  document?: unknown;
};

const page = globalThis as Page;
let window: EventTarget;
let document: EventTarget & { visibilityState: string };
/** The listeners the page holds now, as `type` names. */
let listening: string[];

/** An EventTarget that keeps count of its listeners. */
function counted<T extends EventTarget>(target: T): T {
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  return Object.assign(target, {
    addEventListener: (type: string, listener: EventListener) => {
      listening.push(type);
      add(type, listener);
    },
    removeEventListener: (type: string, listener: EventListener) => {
      listening.splice(listening.indexOf(type), 1);
      remove(type, listener);
    },
  });
}

beforeEach(() => {
  listening = [];
  window = counted(new EventTarget());
  document = counted(Object.assign(new EventTarget(), { visibilityState: 'visible' }));
  page.addEventListener = window.addEventListener;
  page.removeEventListener = window.removeEventListener;
  page.document = document;
});
afterEach(() => {
  delete page.addEventListener;
  delete page.removeEventListener;
  delete page.document;
  vi.restoreAllMocks();
});

async function loggedIn() {
  const machine = etnaAuthMachine.provide({
    actors: {
      requestToken: fromPromise(
        async (): Promise<TokenAnswer> => ({ state: 'succeeded', token: new Secret('t') }),
      ),
    },
  });
  // A simulated clock that never moves: the session's timer cannot fire, as in a computer that sleeps.
  const actor = createActor(machine, { clock: new SimulatedClock() }).start();
  actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'a', password: 'b' });
  await waitFor(actor, (s) => s.matches('succeeded'));
  return actor;
}

describe('the wall-clock check while logged in', () => {
  it('does nothing before the end, whatever the page does', async () => {
    const actor = await loggedIn();
    expect(listening.sort()).toEqual(['focus', 'online', 'pageshow', 'visibilitychange']);
    for (const type of ['pageshow', 'focus', 'online']) window.dispatchEvent(new Event(type));
    document.dispatchEvent(new Event('visibilitychange'));
    expect(selectToken(actor.getSnapshot())).toBe('t');
    actor.stop();
  });

  it.each([
    ['visibilitychange', 'document'],
    ['pageshow', 'window'],
    ['focus', 'window'],
    ['online', 'window'],
  ])('ends the session on %s once the wall clock is past the end', async (type, at) => {
    const actor = await loggedIn();
    const end = actor.getSnapshot().context.sessionExpiresAt ?? 0;
    vi.spyOn(Date, 'now').mockReturnValue(end + 1);
    (at === 'document' ? document : window).dispatchEvent(new Event(type));
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toBe('idle');
    expect(snapshot.context.reason).toBe('expired');
    expect(selectToken(snapshot)).toBeUndefined();
    actor.stop();
  });

  it('waits while the page is hidden, and stops listening once the session ended', async () => {
    const actor = await loggedIn();
    const end = actor.getSnapshot().context.sessionExpiresAt ?? 0;
    vi.spyOn(Date, 'now').mockReturnValue(end + 1);
    document.visibilityState = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(actor.getSnapshot().matches('succeeded')).toBe(true);
    document.visibilityState = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(actor.getSnapshot().value).toBe('idle');
    expect(listening, 'nothing is left listening').toEqual([]);
    actor.stop();
  });
});
