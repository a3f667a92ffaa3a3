// Races explored, not sampled: fast-check's scheduler orders the user's events (in their order, as a person acts),
// the server's answers (each request is held at the fake server until its answer's task runs), the clock's steps,
// another tab's writes (and, apart, their notices to this tab), a slow storage's answers and the app's API calls,
// over the real actor and its ky services. After every task the world settles and the invariants are checked
// (races/invariants.ts); a failure prints the shrunk interleaving one task a line.
// RACES_RUNS sets the number of runs, RACES_SEED replays one, RACES_STRICT=1 fails on the known defects too.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getStateNodes } from 'xstate/graph';
import { etnaAuthMachine } from '../../src/machine/etna-auth-machine.js';
import { KNOWN_DEFECTS } from './races/invariants.js';
import {
  CLOCK_STEPS,
  type OtherTabWrite,
  RACE_STARTS,
  RACE_USER_EVENTS,
  type RaceStart,
  type UserAction,
  userActionLabel,
  type WorldAction,
} from './races/menus.js';
import { newRaceStats } from './races/report.js';
import { RaceWorld } from './races/world.js';

/** The chart's state nodes, by id. */
const ALL_NODES = getStateNodes(etnaAuthMachine.root).map((node) => node.id);

const RUNS = Number(process.env.RACES_RUNS ?? 1_000);
const SEED = process.env.RACES_SEED === undefined ? undefined : Number(process.env.RACES_SEED);
const STRICT = process.env.RACES_STRICT === '1';

const realNow = Date.now.bind(Date);
let raceNow: (() => number) | undefined;
// The machine reads the wall clock (its end times, Retry-After) and its timers run on the race's clock: one time.
beforeAll(() => {
  vi.spyOn(Date, 'now').mockImplementation(() => raceNow?.() ?? realNow());
});
afterAll(() => {
  vi.restoreAllMocks();
});

const valid = RACE_USER_EVENTS.filter((user) => !user.refused);

const userAction: fc.Arbitrary<UserAction> = fc.oneof(
  // Mostly what the screen offers, so that races reach the PIN, the code, the journeys and the session.
  { weight: 5, arbitrary: fc.nat().map((pick) => ({ kind: 'offered', pick }) as const) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(...RACE_USER_EVENTS).map((user) => ({ kind: 'send', user }) as const),
  },
  { weight: 1, arbitrary: fc.constantFrom(...valid).map((user) => ({ kind: 'twice', user }) as const) },
  // The user waits: the resend cooldown, the warning, a 429's wait pass between two of their events.
  { weight: 1, arbitrary: fc.constantFrom(...CLOCK_STEPS).map((ms) => ({ kind: 'wait', ms }) as const) },
);

const OTHER_TAB_WRITES: readonly OtherTabWrite[] = [
  'login as model-user',
  'login as carol',
  'logout',
  'moves the end',
];

const worldAction: fc.Arbitrary<WorldAction> = fc.oneof(
  fc.constantFrom(...CLOCK_STEPS).map((ms) => ({ kind: 'clock', ms }) as const),
  fc.constantFrom(...OTHER_TAB_WRITES).map((write) => ({ kind: 'otherTab', write }) as const),
  fc.constantFrom(200 as const, 401 as const).map((status) => ({ kind: 'api', status }) as const),
);

interface Race {
  readonly start: RaceStart;
  readonly user: readonly UserAction[];
  readonly world: readonly WorldAction[];
  readonly answers: readonly number[];
}

const scenario: fc.Arbitrary<Race> = fc.record({
  start: fc.constantFrom(...RACE_STARTS),
  user: fc.array(userAction, { minLength: 1, maxLength: 10 }),
  world: fc.array(worldAction, { maxLength: 4 }),
  // Which of the model's answers each request gets, by its arrival (the first, the one that goes on, once the
  // list runs out).
  answers: fc.array(
    fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.nat({ max: 99 }) }),
    {
      maxLength: 12,
    },
  ),
});

const stats = newRaceStats();

/** One race: the user's events in order, the world's at any point, then the clock past every timer. */
async function race(
  scheduler: fc.Scheduler,
  { start, user, world, answers }: Race,
  { strict = STRICT, counted = stats } = {},
): Promise<RaceWorld> {
  const tab = await RaceWorld.start(scheduler, start, answers, counted, (now) => {
    raceNow = now;
  });
  tab.strict = strict;
  try {
    scheduler.scheduleSequence(
      user.map((action) => ({
        label: userActionLabel(action),
        builder: () => tab.run({ kind: 'user', action }),
      })),
    );
    for (const action of world) tab.schedule({ kind: 'world', action });
    do {
      await scheduler.waitIdle();
      await tab.run({ kind: 'end' });
    } while (scheduler.count() > 0 && !tab.failure);
    tab.checkEnd();
  } finally {
    await tab.close();
    raceNow = undefined;
  }
  return tab;
}

describe('races between the user, the server, the clock, a slow storage and another tab', () => {
  // A defect the races found, fixed (src/create-etna-auth-machine.ts, adoptStoredSession): its shrunk interleaving
  // replayed, now holding every invariant.
  it("a tab whose session expired leaves carol's stored session for the user, in idle (the race's shrunk path)", async () => {
    const tab = await race(
      fc.schedulerFor([1, 2, 3, 4]),
      {
        start: 'restored',
        user: [],
        world: [
          { kind: 'clock', ms: 61_000 },
          { kind: 'otherTab', write: 'login as carol' },
          // To the end of the restored session, exactly.
          { kind: 'clock', ms: 59_000 },
        ],
        answers: [],
      },
      { strict: true, counted: newRaceStats() },
    );
    expect(tab.failure, tab.path()).toBeUndefined();
    expect(tab.known).toEqual([]);
    expect(tab.path()).toMatch(/clock: \+59 s → idle/);
  });

  it(
    'keep can() honest, send nothing after CANCEL, one request per submit, no token past its end, never stuck busy, no secret in a snapshot, and no change of user without idle',
    async () => {
      const interleavings = new Set<string>();
      const known = new Map<keyof typeof KNOWN_DEFECTS, { count: number; step: number; path: string }>();
      let runs = 0;
      let failures = 0;
      const property = fc.asyncProperty(fc.scheduler(), scenario, async (scheduler, scenarioOf) => {
        const tab = await race(scheduler, scenarioOf);
        runs++;
        interleavings.add(tab.steps.join('\n'));
        for (const { id, step } of tab.known) {
          const seen = known.get(id);
          // The shortest path that met it, to print.
          if (!seen || step < seen.step)
            known.set(id, { count: (seen?.count ?? 0) + 1, step, path: tab.path(step) });
          else seen.count++;
        }
        if (tab.failure) {
          failures++;
          throw new Error(`${tab.failure.message}, after:\n${tab.path()}`);
        }
      });
      const started = performance.now();
      try {
        await fc.assert(property, { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }) });
      } finally {
        const missed = ALL_NODES.filter((id) => !stats.nodes.has(id));
        console.log(
          [
            `races: ${runs} runs, ${interleavings.size} distinct interleavings explored (${stats.tasks} tasks, ` +
              `${stats.choices} picked among several ready), ${failures} failures, ` +
              `${((performance.now() - started) / 1_000).toFixed(1)} s`,
            `races reached ${ALL_NODES.length - missed.length}/${ALL_NODES.length} state nodes` +
              `${missed.length ? ` (not ${missed.join(', ')})` : ''}; ` +
              [...stats.happened].map(([name, count]) => `${name}: ${count}`).join(', '),
            ...[...known].map(
              ([id, { count, path }]) =>
                `known defect met ${count} times (RACES_STRICT=1 fails on it): ${KNOWN_DEFECTS[id]}; the shortest:\n${path}`,
            ),
          ].join('\n'),
        );
      }
      expect(runs).toBeGreaterThanOrEqual(RUNS);
    },
    RUNS * 3_000,
  );
});
