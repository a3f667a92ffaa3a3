import { useActorRef, useSelector } from '@xstate/react';
import { type EtnaAuthMachine, Secret, selectToken } from 'etna-auth';
import { createEtnaClient } from 'etna-auth/client';
import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import type { ActorOptions, SnapshotFrom } from 'xstate';
import { type ApiAnswer, type EtnaClient, whoAmI } from '../../ui-common/api-call.js';
import {
  CODE_RESENT_NOTICE,
  errorText,
  failureParagraphs,
  loggedInText,
  PROMPT_TEXT,
  RESTORING_NOTICE,
  resendCountdownText,
  retryCountdownText,
  sessionEndingText,
  sessionEndText,
  stepPromptText,
} from '../../ui-common/error-text.js';
import { PROMPTS } from '../../ui-common/forms.js';
import {
  BUSY_STATUS,
  focusScreen,
  HEADINGS,
  isEndingSoon,
  isLoggedIn,
  selectView,
} from '../../ui-common/view.js';
import {
  AntiPhishing,
  Countdown,
  CredentialsForm,
  NewPasswordForm,
  type NewPin,
  PinSetupForm,
  PromptForm,
  ReloginForm,
} from './forms.js';

type Snapshot = SnapshotFrom<EtnaAuthMachine>;

export interface EtnaLoginProps {
  /** From `createEtnaAuthMachine(…)`, created once (module scope or a memo): the actor lives as long as the component. */
  readonly machine: EtnaAuthMachine;
  /** Options for the actor (`clock`, `inspect`…), read once, when it is created. */
  readonly options?: ActorOptions<EtnaAuthMachine>;
  /** Receives the session token after a login (or a restored session), and `undefined` once it ends. */
  readonly onToken?: (token: string | undefined) => void;
  /** The API client for "Call the API" (the backend mode's, through its proxy); unset, `createEtnaClient(actor)`. */
  readonly api?: EtnaClient;
}

const selectBusy = (snapshot: Snapshot) => snapshot.hasTag('busy');
const selectUsername = (snapshot: Snapshot) => snapshot.context.username;
const selectReason = (snapshot: Snapshot) => snapshot.context.reason;
const selectFailure = (snapshot: Snapshot) => snapshot.context.failure;
const selectError = (snapshot: Snapshot) => snapshot.context.error;
const selectPhrase = (snapshot: Snapshot) => snapshot.context.personalPhrase;
const selectImage = (snapshot: Snapshot) => snapshot.context.securityImage;
const selectImages = (snapshot: Snapshot) => snapshot.context.securityImages;
const selectQuestion = (snapshot: Snapshot) => snapshot.context.secretQuestion;
const selectServerErrors = (snapshot: Snapshot) => snapshot.context.serverErrors;
const selectCodeResent = (snapshot: Snapshot) => snapshot.context.codeResent;
const selectResendAt = (snapshot: Snapshot) => snapshot.context.resendAvailableAt;
const selectRetryAt = (snapshot: Snapshot) => snapshot.context.retryAvailableAt;
const selectExpiresAt = (snapshot: Snapshot) => snapshot.context.sessionExpiresAt;
// The buttons follow the chart: each is shown where `snapshot.can()` says its event does something.
const selectCanRetry = (snapshot: Snapshot) => snapshot.can({ type: 'RETRY' });
const selectCanResend = (snapshot: Snapshot) => snapshot.can({ type: 'RESEND_CODE' });
const selectCanCancel = (snapshot: Snapshot) => snapshot.can({ type: 'CANCEL' });
const selectCanLogOut = (snapshot: Snapshot) => snapshot.can({ type: 'LOGOUT' });

/**
 * The ETNA login screen, driven by the machine alone: credentials, then any PIN or verification-code prompts,
 * a first PIN's set-up, an expired password's change, or a forgotten password's reset; logged in, who and an
 * API call, and in the session's last minute a countdown and a login again in place (with its PIN or code);
 * logging out; and, back at the form, why the last session ended.
 */
export function EtnaLogin({ machine, options, onToken, api: givenApi }: EtnaLoginProps) {
  const actor = useActorRef(machine, options);
  // Calls the API with the session token; a 401 to it ends the session (SESSION_REVOKED).
  const api = useMemo(() => givenApi ?? createEtnaClient(actor), [actor, givenApi]);
  const view = useSelector(actor, selectView);
  const busy = useSelector(actor, selectBusy);
  const username = useSelector(actor, selectUsername);
  const reason = useSelector(actor, selectReason);
  const failure = useSelector(actor, selectFailure);
  const error = useSelector(actor, selectError);
  const personalPhrase = useSelector(actor, selectPhrase);
  const securityImage = useSelector(actor, selectImage);
  const securityImages = useSelector(actor, selectImages);
  const secretQuestion = useSelector(actor, selectQuestion);
  const serverErrors = useSelector(actor, selectServerErrors);
  const codeResent = useSelector(actor, selectCodeResent);
  const resendAt = useSelector(actor, selectResendAt);
  const retryAt = useSelector(actor, selectRetryAt);
  const expiresAt = useSelector(actor, selectExpiresAt);
  const token = useSelector(actor, selectToken);
  // Remounts the credentials form after a logout, so it starts empty.
  const [formKey, setFormKey] = useState(0);

  const reportToken = useEffectEvent((next: string | undefined) => onToken?.(next));
  useEffect(() => {
    reportToken(token);
  }, [token]);

  const canRetry = useSelector(actor, selectCanRetry);
  const canResend = useSelector(actor, selectCanResend);
  const canCancel = useSelector(actor, selectCanCancel);
  const canLogOut = useSelector(actor, selectCanLogOut);
  const logOut = () => {
    actor.send({ type: 'LOGOUT' });
    setFormKey((key) => key + 1);
  };
  const cancel = () => actor.send({ type: 'CANCEL' });
  // Secrets go to the machine wrapped: a Secret prints as [redacted], should an event ever be printed
  // (a development build of XState prints one sent to a stopped actor, e.g. after an unmount).
  const saveNewPin = ({ pin, imageName, personalPhrase: phrase }: NewPin) =>
    actor.send({ type: 'SUBMIT_NEW_PIN', pin: new Secret(pin), imageName, personalPhrase: phrase });
  const saveNewPassword = ({ password, confirmation }: { password: string; confirmation: string }) =>
    actor.send({
      type: 'SUBMIT_NEW_PASSWORD',
      password: new Secret(password),
      confirmation: new Secret(confirmation),
    });
  const status = BUSY_STATUS[view];
  // Every phase of a session (`snapshot.matches('succeeded')`): the session panel stays, whatever else shows.
  const loggedIn = isLoggedIn(view);
  // A new screen without a field of its own: its heading takes the focus (a form focuses its first field).
  const screen = useRef<HTMLElement>(null);
  useEffect(() => {
    if (view) focusScreen(screen.current);
  }, [view]);

  return (
    <section ref={screen} aria-label="ETNA login" aria-busy={busy ? 'true' : 'false'} data-view={view}>
      <h2 tabIndex={-1}>{HEADINGS[view]}</h2>
      {view !== 'idle' && !loggedIn && username !== undefined && (
        <p>
          Account: <strong>{username}</strong>
        </p>
      )}

      {/* A storage that answers later is read at start: nothing to fill in or press until it answers. */}
      {view === 'restoring' && <p role="status">{RESTORING_NOTICE}</p>}
      {loggedIn && <Session username={username} api={api} />}
      {/* The session's last minute: the countdown to its end, and the password again to stay logged in. */}
      {isEndingSoon(view) && expiresAt !== undefined && (
        <Countdown key={expiresAt} at={expiresAt} text={sessionEndingText} />
      )}
      {view === 'endingSoon' && (
        <ReloginForm
          username={username ?? ''}
          failure={failure}
          error={error}
          retryAt={retryAt}
          onLogIn={(password) =>
            actor.send({
              type: 'SUBMIT_CREDENTIALS',
              username: username ?? '',
              password: new Secret(password),
            })
          }
        />
      )}

      {view === 'idle' && <SessionEnd reason={reason} />}
      {view === 'idle' && (
        <CredentialsForm
          key={formKey}
          username={username}
          error={error}
          onLogIn={(credentials) =>
            actor.send({
              type: 'SUBMIT_CREDENTIALS',
              username: credentials.username,
              password: new Secret(credentials.password),
            })
          }
          onForgot={(login) => actor.send({ type: 'FORGOT_PASSWORD', username: login })}
        />
      )}

      {/* The same prompts at a login and at a login again. */}
      {(view === 'securityPin' || view === 'reloginPin') && (
        <AntiPhishing phrase={personalPhrase} image={securityImage} />
      )}
      {(view === 'securityPin' || view === 'reloginPin') && (
        <PromptForm
          spec={PROMPTS.securityPin}
          event="SUBMIT_PIN"
          description={stepPromptText('securityPin', reason, error)}
          error={error}
          onAnswer={(pin) => actor.send({ type: 'SUBMIT_PIN', pin: new Secret(pin) })}
        />
      )}

      {(view === 'verificationCode' || view === 'reloginCode') && (
        <PromptForm
          spec={PROMPTS.verificationCode}
          event="SUBMIT_VERIFICATION_CODE"
          description={stepPromptText('verificationCode', reason, error)}
          error={error}
          onAnswer={(code) => actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: new Secret(code) })}
        />
      )}
      {/* Another instance: the live prompt comes back empty, since the code typed before no longer works. */}
      {view === 'resendingCode' && (
        <PromptForm
          spec={PROMPTS.verificationCode}
          event="SUBMIT_VERIFICATION_CODE"
          description={stepPromptText('verificationCode', reason, undefined)}
          error={undefined}
          disabled
          onAnswer={() => {}}
        />
      )}
      {view === 'verificationCode' && codeResent && <p role="status">{CODE_RESENT_NOTICE}</p>}
      {view === 'verificationCode' && resendAt !== undefined && (
        <Countdown key={resendAt} at={resendAt} text={resendCountdownText} />
      )}
      {view === 'verificationCode' && canResend && (
        <button type="button" data-event="RESEND_CODE" onClick={() => actor.send({ type: 'RESEND_CODE' })}>
          Send a new code
        </button>
      )}

      {view === 'pinSetup' && (
        <PinSetupForm
          images={securityImages ?? []}
          serverErrors={serverErrors}
          error={error}
          onSave={saveNewPin}
        />
      )}

      {view === 'passwordChange' && (
        <NewPasswordForm serverErrors={serverErrors} error={error} onSave={saveNewPassword} />
      )}

      {view === 'secretQuestion' && (
        <PromptForm
          spec={PROMPTS.secretQuestion}
          event="SUBMIT_SECRET_ANSWER"
          description={secretQuestion}
          serverErrors={serverErrors}
          error={error}
          onAnswer={(answer) => actor.send({ type: 'SUBMIT_SECRET_ANSWER', answer: new Secret(answer) })}
        />
      )}
      {view === 'resetCode' && (
        <PromptForm
          spec={PROMPTS.resetCode}
          event="SUBMIT_RESET_CODE"
          description={PROMPT_TEXT.resetCode}
          serverErrors={serverErrors}
          error={error}
          onAnswer={(code) => actor.send({ type: 'SUBMIT_RESET_CODE', code: new Secret(code) })}
        />
      )}
      {view === 'newPassword' && (
        <NewPasswordForm serverErrors={serverErrors} error={error} onSave={saveNewPassword} />
      )}

      {view === 'failed' && failure && (
        <div role="alert">
          {failureParagraphs(failure).map((text) => (
            <p key={text}>{text}</p>
          ))}
        </div>
      )}

      {view === 'error' && error && <p role="alert">{errorText(error)}</p>}
      {/* After a 429: Retry comes back by itself (the machine's timer) once the server's Retry-After has passed. */}
      {view === 'error' && retryAt !== undefined && (
        <Countdown key={retryAt} at={retryAt} text={retryCountdownText} />
      )}

      {status !== undefined && <p role="status">{status}</p>}

      <div>
        {view === 'failed' && canRetry && (
          <button type="button" data-event="RETRY" onClick={() => actor.send({ type: 'RETRY' })}>
            Try again
          </button>
        )}
        {view === 'error' && canRetry && (
          <button type="button" data-event="RETRY" onClick={() => actor.send({ type: 'RETRY' })}>
            Retry
          </button>
        )}
        {canCancel && (
          <button type="button" data-event="CANCEL" onClick={cancel}>
            Cancel
          </button>
        )}
        {/* LOGOUT, where there is a session: logs out, or stops waiting for the server's goodbye. */}
        {canLogOut && (
          <button type="button" data-event="LOGOUT" onClick={logOut}>
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

/**
 * Logged in, on every screen of the session: who (a session stored before usernames were has none), and a call
 * to the API with the session token.
 */
function Session({ username, api }: { readonly username: string | undefined; readonly api: EtnaClient }) {
  // Local to this view: it goes when the session does.
  const [answer, setAnswer] = useState<ApiAnswer>();
  return (
    <>
      <p role="status">{loggedInText(username)}</p>
      <button type="button" data-action="call-api" onClick={async () => setAnswer(await whoAmI(api))}>
        Call the API
      </button>
      {answer && <p role={answer.ok ? undefined : 'alert'}>{answer.text}</p>}
    </>
  );
}
