// The kit's Node flavour against a UI made of the actor itself (the screen is the snapshot), so that what the kit
// does per path (a fresh fake server, the gateway, the clock, the other tab, the API, the checks) is proven on its
// own; then the same UI broken in one way at a time, which the kit must catch and name.

import { afterAll, describe, expect, it } from 'vitest';
import { type Actor, createActor } from 'xstate';
import { createEtnaClient } from '../../../../src/client/index.js';
import type { EtnaAuthEvent, EtnaAuthMachine } from '../../../../src/index.js';
import {
  getEtnaAuthPaths,
  MODEL_USER_EVENTS,
  type ModelDriver,
  type ModelPath,
  ModelPathsError,
  type ModelUserEvent,
  runModelPaths,
  type ScreenReading,
  stateValueName,
} from '../../../../src/testing/index.js';

const TYPES = [...new Set(MODEL_USER_EVENTS.map((event) => event.type))];
const paths = getEtnaAuthPaths();

/** What a broken UI gets wrong, if anything. */
interface Breakage {
  /** Rewrites what the screen shows. */
  readonly read?: (reading: ScreenReading, state: string) => ScreenReading;
  /** Rewrites the event the UI sends for a user's action. */
  readonly send?: (event: ModelUserEvent) => ModelUserEvent;
  /** The UI's actor ignores the kit's clock. */
  readonly ownClock?: boolean;
}

/** A "UI" whose screen is the snapshot: the state, busy, and the events `can()` takes. */
function snapshotUi(breakage: Breakage = {}): ModelDriver {
  let actor: Actor<EtnaAuthMachine> | undefined;
  const live = () => actor ?? expect.fail('no actor');
  return {
    start: ({ machine, actorOptions }) => {
      actor = createActor(machine, breakage.ownClock ? {} : actorOptions).start();
    },
    stop: () => {
      actor?.stop();
    },
    read: () => {
      const snapshot = live().getSnapshot();
      const state = stateValueName(snapshot.value);
      const reading: ScreenReading = {
        screen: state,
        busy: snapshot.hasTag('busy'),
        actions: TYPES.filter((type) =>
          MODEL_USER_EVENTS.some((event) => event.type === type && snapshot.can(event as EtnaAuthEvent)),
        ),
      };
      return breakage.read ? breakage.read(reading, state) : reading;
    },
    submit: async (_, event) => {
      live().send((breakage.send ? breakage.send(event) : event) as EtnaAuthEvent);
    },
    callApi: async () => {
      await createEtnaClient(live())
        .get('v1.0/users/@me/info', { throwHttpErrors: false })
        .catch(() => undefined);
    },
  };
}

const some = (predicate: (path: ModelPath) => boolean, count = 3) => paths.filter(predicate).slice(0, count);
const failuresOf = async (driver: ModelDriver, chosen: readonly ModelPath[]) => {
  const report = await runModelPaths(driver, { paths: chosen, throwOnFailure: false, settleMs: 1_500 });
  return report.failed;
};

describe('runModelPaths (the Node flavour)', () => {
  const timings: string[] = [];
  afterAll(() => console.log(timings.join('\n')));

  it('runs every generated path through a faithful UI, covering the whole machine', async () => {
    const report = await runModelPaths(snapshotUi());
    timings.push(`kit, Node flavour, a UI of the snapshot: ${report.summary}`);
    expect(report.failed).toEqual([]);
    expect(report.passed).toHaveLength(paths.length);
    expect(report.coverage.missing).toEqual([]);
  }, 120_000);

  it('names a path whose screen lacks a button the machine offers, at its step', async () => {
    const chosen = some((path) => path.steps.some((step) => step.expected.state === 'error'));
    const failed = await failuresOf(
      snapshotUi({
        read: (reading, state) =>
          state === 'error'
            ? { ...reading, actions: reading.actions.filter((type) => type !== 'CANCEL') }
            : reading,
      }),
      chosen,
    );
    expect(failed.map((failure) => failure.description)).toEqual(chosen.map((path) => path.description));
    expect(failed[0]?.message).toMatch(/actions offered are .*not .*CANCEL/);
    expect(failed[0]?.step).toBeGreaterThan(0);
  });

  it('catches a wrong screen, a wrong busy flag and a field missing for an offered event', async () => {
    const [login] = some((path) => path.description === 'SUBMIT_CREDENTIALS(valid) → server: succeeded', 1);
    if (!login) throw new Error('no such path');
    const wrongScreen = await failuresOf(
      snapshotUi({ read: (reading) => ({ ...reading, screen: 'home' }) }),
      [login],
    );
    expect(wrongScreen[0]).toMatchObject({ step: 0, message: expect.stringContaining('"home", not "idle"') });
    const wrongBusy = await failuresOf(snapshotUi({ read: (reading) => ({ ...reading, busy: false }) }), [
      login,
    ]);
    expect(wrongBusy[0]).toMatchObject({
      step: 1,
      message: expect.stringContaining('busy is false, not true'),
    });
    const noPassword = await failuresOf(
      snapshotUi({ read: (reading) => ({ ...reading, fields: ['username'] }) }),
      [login],
    );
    expect(noPassword[0]?.message).toContain('no field for password');
  });

  it('checks what each request carries: a UI that sends another password is caught', async () => {
    const chosen = some(
      (path) => path.description.startsWith('SUBMIT_CREDENTIALS(valid) → server: succeeded'),
      1,
    );
    const failed = await failuresOf(
      snapshotUi({
        send: (event) => (event.type === 'SUBMIT_CREDENTIALS' ? { ...event, password: 'typo' } : event),
      }),
      chosen,
    );
    expect(failed[0]).toMatchObject({
      step: 1,
      message: 'the POST token request carries the wrong password',
    });
  });

  it('needs the kit clock: a UI whose actor keeps its own never reaches a wait', async () => {
    const chosen = some((path) => path.steps.some((step) => step.kind === 'wait'), 1);
    const failed = await failuresOf(snapshotUi({ ownClock: true }), chosen);
    expect(failed).toHaveLength(1);
  });

  it('rejects with ModelPathsError naming each failed path', async () => {
    const chosen = some((path) => path.start === 'restored', 2);
    const error = await runModelPaths(snapshotUi({ read: (reading) => ({ ...reading, actions: [] }) }), {
      paths: chosen,
      settleMs: 500,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelPathsError);
    for (const path of chosen) expect((error as Error).message).toContain(path.description);
    expect((error as ModelPathsError).report.passed).toEqual([]);
  });
});
