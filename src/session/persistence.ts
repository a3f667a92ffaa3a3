// What the machine's persistence actions and actors do with a storage: restore the session at start (at once,
// or in `restoring` for a storage that answers later), keep it, forget it, and follow what other tabs do to it.
import type { AnyActorRef } from 'xstate';
import { fromCallback, fromPromise } from 'xstate';
import type { StoredSession } from '../contract/session.js';
import type { EtnaAuthEvent } from '../machine/types.js';
import type { SessionKeeper } from './session-keeper.js';

/** How long a storage that answers later may take to give the stored session at start: then it holds none. */
export const RESTORE_TIMEOUT_MS = 5_000;

/** The event that hands a stored session to the machine: adopted, or ended when there is none. */
function adoptionOf(session: StoredSession | undefined): EtnaAuthEvent {
  return session
    ? {
        type: 'SESSION_ADOPTED',
        token: session.token,
        expiresAt: session.expiresAt,
        username: session.username,
      }
    : { type: 'SESSION_ENDED_ELSEWHERE' };
}

/** A stored session as the machine's context holds it; nothing when there is none. */
function heldSession(session: StoredSession | undefined) {
  return session
    ? { sessionToken: session.token, sessionExpiresAt: session.expiresAt, username: session.username }
    : {};
}

/** The stored session; a failed read, or none by `RESTORE_TIMEOUT_MS`, rejects: the machine never waits for ever. */
function readInTime(keeper: SessionKeeper): Promise<StoredSession | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the storage did not answer in time')), RESTORE_TIMEOUT_MS);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([keeper.read(() => Date.now()), late]).finally(() => clearTimeout(timer));
}

/** Sends `event` to `actor` only while it runs: a storage may answer after the actor stopped. */
function sendWhileRunning(actor: AnyActorRef, event: EtnaAuthEvent) {
  if (actor.getSnapshot().status === 'active') actor.send(event);
}

/**
 * Reads a storage that answers later for an event of the tabs: a read that one of this tab's own writes overtook
 * (a logout's clear, a login's save) answers what the storage held before that write, and is dropped.
 */
function readForTabs(keeper: SessionKeeper, use: (session: StoredSession | undefined) => void): void {
  const writes = keeper.writes;
  keeper
    .read(() => Date.now())
    .then(
      (session) => {
        if (keeper.writes === writes) use(session);
      },
      () => {},
    );
}

/**
 * What other tabs do to the shared session, as events: whenever the storage says the session changed, it is
 * read from the storage (the tabs' message carries no token) and adopted, or ended when it is gone.
 */
function sessionSync(keeper: SessionKeeper) {
  return fromCallback(({ sendBack }) => {
    let running = true;
    const stop = keeper.subscribe(() => {
      if (!keeper.async) return sendBack(adoptionOf(keeper.load(Date.now())));
      readForTabs(keeper, (session) => {
        if (running) sendBack(adoptionOf(session));
      });
    });
    return () => {
      running = false;
      stop();
    };
  });
}

/** The stored session as the machine's context holds it, when a storage that answers at once has a valid one. */
export const storedContext = (keeper: SessionKeeper) => heldSession(keeper.load(Date.now()));

/** Reads a storage that answers later, and hands a stored session to `actor` as another tab's would be. */
export function adoptWhenRead(keeper: SessionKeeper, actor: AnyActorRef): void {
  readForTabs(keeper, (session) => {
    if (session) sendWhileRunning(actor, adoptionOf(session));
  });
}

/** The actors `createEtnaAuthMachine` provides for `persist`: the tabs' sync, and the read at start. */
export function persistenceActors(keeper: SessionKeeper) {
  return {
    ...(keeper.shared && { sessionSync: sessionSync(keeper) }),
    ...(keeper.async && { readStoredSession: fromPromise(() => readInTime(keeper)) }),
  };
}
