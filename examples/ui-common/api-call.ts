// The framework-free API call behind the examples' "Call the API" button, shared by the React, Vue and Svelte examples.
import { type createEtnaClient, EtnaClientError } from 'etna-auth/client';

/** A `ky` instance for the ETNA API that sends the actor's session token: `createEtnaClient(actor)`. */
export type EtnaClient = ReturnType<typeof createEtnaClient>;

/** What the API said, in words: `ok` is false for a refusal or a failure. */
export interface ApiAnswer {
  readonly ok: boolean;
  readonly text: string;
}

/**
 * Asks the API who is logged in. A 401 also ends the session (the client sends the actor `SESSION_REVOKED`),
 * so the login screen replaces the answer with why the session ended.
 */
export async function whoAmI(api: EtnaClient): Promise<ApiAnswer> {
  try {
    const response = await api.get('v1.0/users/@me/info', { throwHttpErrors: false });
    if (!response.ok) return { ok: false, text: `The API answered with HTTP ${response.status}.` };
    const { Login } = await response.json<{ Login: string }>();
    return { ok: true, text: `The API knows you as ${Login}.` };
  } catch (error) {
    return {
      ok: false,
      text: error instanceof EtnaClientError ? error.message : 'The API could not be reached.',
    };
  }
}
