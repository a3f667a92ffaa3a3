import { Secret } from '../contract/secret.js';

/**
 * The session token while the machine is in `succeeded`, otherwise undefined.
 * Works as a selector: `useSelector(actor, selectToken)`.
 */
export function selectToken(snapshot: {
  readonly value: unknown;
  readonly context: { readonly sessionToken?: unknown };
}): string | undefined {
  const { sessionToken } = snapshot.context;
  return snapshot.value === 'succeeded' && Secret.is(sessionToken) ? sessionToken.reveal() : undefined;
}
