import { Secret } from '../contract/secret.js';

/** True in `succeeded` and every phase of it (`succeeded.active`, `succeeded.endingSoon.*`). */
export function isLoggedIn(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'succeeded' in value;
}

/**
 * The session token while the machine is in `succeeded` (any phase of it), otherwise undefined.
 * Works as a selector: `useSelector(actor, selectToken)`.
 * @example const token = useSelector(actor, selectToken);
 */
export function selectToken(snapshot: {
  readonly value: unknown;
  readonly context: { readonly sessionToken?: unknown };
}): string | undefined {
  const { sessionToken } = snapshot.context;
  return isLoggedIn(snapshot.value) && Secret.is(sessionToken) ? sessionToken.reveal() : undefined;
}
