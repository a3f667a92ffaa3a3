import { useActorRef, useSelector } from '@xstate/react';
import {
  type EtnaAuthErrorData,
  type EtnaAuthMachine,
  FAILURE_GUIDANCE,
  Secret,
  selectToken,
} from 'etna-auth';
import { createEtnaClient } from 'etna-auth/client';
import { type FormEvent, useEffect, useEffectEvent, useId, useMemo, useRef, useState } from 'react';
import type { ActorOptions, SnapshotFrom } from 'xstate';
import { type ApiAnswer, type EtnaClient, whoAmI } from '../../ui-common/api-call.js';
import { errorText, sessionEndText } from '../../ui-common/error-text.js';
import { focusKey, focusNext, PROMPT_AUTOCOMPLETE } from '../../ui-common/focus.js';
import { HEADINGS, selectView } from '../../ui-common/view.js';

type Snapshot = SnapshotFrom<EtnaAuthMachine>;

export interface EtnaLoginProps {
  /** From `createEtnaAuthMachine(…)`, created once (module scope or a memo): the actor lives as long as the component. */
  readonly machine: EtnaAuthMachine;
  /** Options for the actor (`clock`, `inspect`…), read once, when it is created. */
  readonly options?: ActorOptions<EtnaAuthMachine>;
  /** Receives the session token after a login (or a restored session), and `undefined` once it ends. */
  readonly onToken?: (token: string | undefined) => void;
}

const selectBusy = (snapshot: Snapshot) => snapshot.hasTag('busy');
const selectUsername = (snapshot: Snapshot) => snapshot.context.username;
const selectReason = (snapshot: Snapshot) => snapshot.context.reason;
const selectFailure = (snapshot: Snapshot) => snapshot.context.failure;
const selectError = (snapshot: Snapshot) => snapshot.context.error;
// The buttons follow the chart: each is shown where `snapshot.can()` says its event does something.
const selectCanRetry = (snapshot: Snapshot) => snapshot.can({ type: 'RETRY' });
const selectCanCancel = (snapshot: Snapshot) => snapshot.can({ type: 'CANCEL' });
const selectCanLogOut = (snapshot: Snapshot) => snapshot.can({ type: 'LOGOUT' });

/** The values of a submitted form: inputs are uncontrolled, so typing never re-renders anything. */
function submitted(event: FormEvent<HTMLFormElement>): (name: string) => string {
  event.preventDefault();
  const data = new FormData(event.currentTarget);
  return (name) => {
    const value = data.get(name);
    return typeof value === 'string' ? value : '';
  };
}

/**
 * The ETNA login screen, driven by the machine alone: credentials, then any PIN or verification-code prompts;
 * logged in, who and an API call; logging out; and, back at the form, why the last session ended.
 */
export function EtnaLogin({ machine, options, onToken }: EtnaLoginProps) {
  const actor = useActorRef(machine, options);
  // Calls the API with the session token; a 401 to it ends the session (SESSION_REVOKED).
  const api = useMemo(() => createEtnaClient(actor), [actor]);
  const view = useSelector(actor, selectView);
  const busy = useSelector(actor, selectBusy);
  const username = useSelector(actor, selectUsername);
  const reason = useSelector(actor, selectReason);
  const failure = useSelector(actor, selectFailure);
  const error = useSelector(actor, selectError);
  const token = useSelector(actor, selectToken);
  // Remounts the credentials form after a logout, so it starts empty.
  const [formKey, setFormKey] = useState(0);

  const reportToken = useEffectEvent((next: string | undefined) => onToken?.(next));
  useEffect(() => {
    reportToken(token);
  }, [token]);

  const canRetry = useSelector(actor, selectCanRetry);
  const canCancel = useSelector(actor, selectCanCancel);
  const canLogOut = useSelector(actor, selectCanLogOut);
  const logOut = () => {
    actor.send({ type: 'LOGOUT' });
    setFormKey((key) => key + 1);
  };
  const cancel = () => actor.send({ type: 'CANCEL' });

  // Focus follows the screen: the next field to fill in, otherwise the heading (../../ui-common/focus.ts).
  const screen = useRef<HTMLElement>(null);
  const focusOn = focusKey(view, error);
  useEffect(() => {
    if (focusOn) focusNext(screen.current);
  }, [focusOn]);

  return (
    <section ref={screen} aria-label="ETNA login" aria-busy={busy ? 'true' : 'false'}>
      <h2 tabIndex={-1}>{HEADINGS[view]}</h2>
      {view !== 'idle' && view !== 'succeeded' && username !== undefined && (
        <p>
          Account: <strong>{username}</strong>
        </p>
      )}

      {view === 'idle' && <SessionEnd reason={reason} />}
      {view === 'idle' && (
        <form
          key={formKey}
          aria-label="Log in"
          onSubmit={(event) => {
            const field = submitted(event);
            // Secrets go to the machine wrapped: a Secret prints as [redacted], should an event ever be printed
            // (a development build of XState prints one sent to a stopped actor, e.g. after an unmount).
            actor.send({
              type: 'SUBMIT_CREDENTIALS',
              username: field('username'),
              password: new Secret(field('password')),
            });
          }}
        >
          <label>
            Username{' '}
            <input
              name="username"
              autoComplete="username"
              defaultValue={username ?? ''}
              aria-invalid={error?.field === 'username' ? 'true' : undefined}
            />
          </label>
          <label>
            Password{' '}
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              aria-invalid={error?.field === 'password' ? 'true' : undefined}
            />
          </label>
          <InputError error={error} />
          <button type="submit">Log in</button>
        </form>
      )}

      {view === 'authenticating' && <p role="status">Checking with the server…</p>}

      {view === 'securityPin' && (
        <Prompt
          label="PIN"
          name="pin"
          type="password"
          reason={reason}
          error={error}
          onAnswer={(pin) => actor.send({ type: 'SUBMIT_PIN', pin: new Secret(pin) })}
        />
      )}

      {view === 'verificationCode' && (
        <Prompt
          label="Code"
          name="code"
          type="text"
          reason={reason}
          error={error}
          onAnswer={(code) => actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: new Secret(code) })}
        />
      )}

      {view === 'succeeded' && <Session username={username} api={api} />}

      {view === 'loggingOut' && <p role="status">Ending the session on the server…</p>}

      {view === 'failed' && failure && (
        <div role="alert">
          <p>
            {failure.reason} ({failure.step})
          </p>
          <p>{FAILURE_GUIDANCE[failure.code]}</p>
        </div>
      )}

      {view === 'error' && error && <p role="alert">{errorText(error)}</p>}

      <div>
        {view === 'failed' && (
          <button type="button" onClick={() => actor.send({ type: 'RETRY' })}>
            Try again
          </button>
        )}
        {view === 'error' && canRetry && (
          <button type="button" onClick={() => actor.send({ type: 'RETRY' })}>
            Retry
          </button>
        )}
        {canCancel && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
        {/* LOGOUT, where there is a session: logs out, or stops waiting for the server's goodbye. */}
        {canLogOut && (
          <button type="button" onClick={logOut}>
            {view === 'loggingOut' ? 'Stop waiting' : 'Log out'}
          </button>
        )}
      </div>
    </section>
  );
}

/** In `idle`: why the last session ended, if one did. */
function SessionEnd({ reason }: { readonly reason: string | undefined }) {
  const notice = sessionEndText(reason);
  return notice === undefined ? null : <p role="status">{notice}</p>;
}

/** Logged in: who (a restored session has no username), and a call to the API with the session token. */
function Session({ username, api }: { readonly username: string | undefined; readonly api: EtnaClient }) {
  // Local to this view: it goes when the session does.
  const [answer, setAnswer] = useState<ApiAnswer>();
  return (
    <>
      <p role="status">
        {username === undefined ? 'Logged in with a restored session.' : `Logged in as ${username}.`}
      </p>
      <button type="button" onClick={async () => setAnswer(await whoAmI(api))}>
        Call the API
      </button>
      {answer && <p role={answer.ok ? undefined : 'alert'}>{answer.text}</p>}
    </>
  );
}

function InputError({ error }: { readonly error: EtnaAuthErrorData | undefined }) {
  return error?.kind === 'input' ? <p role="alert">{errorText(error)}</p> : null;
}

interface PromptProps {
  readonly label: string;
  readonly name: 'pin' | 'code';
  readonly type: 'password' | 'text';
  readonly reason: string | undefined;
  readonly error: EtnaAuthErrorData | undefined;
  readonly onAnswer: (answer: string) => void;
}

/** One more step the server asks for: the field is described by the server's Reason ("Invalid pin"…). */
function Prompt({ label, name, type, reason, error, onAnswer }: PromptProps) {
  const reasonId = useId();
  return (
    <form
      aria-label={name === 'pin' ? 'Security PIN' : 'Verification code'}
      onSubmit={(event) => onAnswer(submitted(event)(name))}
    >
      <p id={reasonId}>{reason}</p>
      <label>
        {label}{' '}
        <input
          name={name}
          type={type}
          inputMode="numeric"
          autoComplete={PROMPT_AUTOCOMPLETE[name]}
          aria-describedby={reasonId}
          aria-invalid={error?.field === name ? 'true' : undefined}
        />
      </label>
      <InputError error={error} />
      <button type="submit">Continue</button>
    </form>
  );
}
