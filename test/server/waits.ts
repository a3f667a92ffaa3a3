// Waiting for conditions, never for fixed delays: an adapter's snapshot, a child process's exit.
import type { ChildProcess } from 'node:child_process';
import type { EtnaRemoteActor, EtnaRemoteSnapshot } from '../../src/remote/index.js';

/**
 * Resolves with the adapter's first snapshot (the current one included) that meets `predicate` and has no event
 * on its way (`sending`); rejects after `ms`, naming `what` and the last snapshot.
 */
export function untilSnapshot(
  actor: EtnaRemoteActor,
  predicate: (snapshot: EtnaRemoteSnapshot) => boolean,
  what = 'the snapshot',
  ms = 15_000,
): Promise<EtnaRemoteSnapshot> {
  return new Promise((resolve, reject) => {
    const check = (snapshot: EtnaRemoteSnapshot) => {
      if (snapshot.hasTag('sending') || !predicate(snapshot)) return;
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve(snapshot);
    };
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`${what} not reached in ${ms} ms; last: ${JSON.stringify(actor.getSnapshot())}`));
    }, ms);
    const subscription = actor.subscribe(check);
    check(actor.getSnapshot());
  });
}

/** Resolves once the child process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}
