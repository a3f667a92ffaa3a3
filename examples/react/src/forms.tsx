// The forms and small parts of <EtnaLogin>. Inputs are uncontrolled and read with FormData on submit: typing
// renders nothing. Each form moves the focus to its first field when it appears.
import type { EtnaAuthErrorData, EtnaAuthFailure } from 'etna-auth';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { secondsLeft, startCountdown } from '../../ui-common/countdown.js';
import {
  ANTI_PHISHING_ADVICE,
  editMakesStale,
  errorText,
  PERSONAL_PHRASE_INTRO,
  PROMPT_TEXT,
  refusalShown,
  reloginAlerts,
  reloginCountdownText,
} from '../../ui-common/error-text.js';
import {
  answerOf,
  CREDENTIALS_FORM,
  NEW_PASSWORD_FORM,
  PIN_SETUP_FORM,
  type PromptSpec,
  RELOGIN_FORM,
  SECURITY_IMAGE_ALT,
  type SecurityImage,
} from '../../ui-common/forms.js';
import { focusFirstField } from '../../ui-common/view.js';

/** The values of a submitted form, by field name. */
export function submitted(event: FormEvent<HTMLFormElement>): (name: string) => string {
  event.preventDefault();
  return valuesOf(event.currentTarget);
}

function valuesOf(form: HTMLFormElement | null): (name: string) => string {
  const data = form ? new FormData(form) : undefined;
  return (name) => {
    const value = data?.get(name);
    return typeof value === 'string' ? value : '';
  };
}

/** A form that takes the focus when it appears. */
function useFocusedForm() {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => focusFirstField(form.current), []);
  return form;
}

type Errors = {
  /** The server's `Errors` of the last refused call (`context.serverErrors`). */
  readonly serverErrors?: readonly string[] | undefined;
  /** `context.error`: a refused value (kind `input`), or a failed request the form stays for. */
  readonly error: EtnaAuthErrorData | undefined;
};

/**
 * A form's view of `context.error`: a refused value is shown until the person edits its field (the form's
 * `onInput`), a failed request until the machine drops it. Editing sets state once per refusal, not per key.
 */
function useShownError(error: EtnaAuthErrorData | undefined) {
  const [edited, setEdited] = useState<EtnaAuthErrorData>();
  const shown = error?.kind === 'input' ? refusalShown(error, edited) : error;
  const onInput = (event: FormEvent<HTMLFormElement>) => {
    const { name } = event.target as HTMLInputElement;
    if (error !== edited && editMakesStale(error, name)) setEdited(error);
  };
  return { shown, onInput };
}

/**
 * What went wrong, announced: the server's refusal first, then the machine's error. The server's Errors answered
 * the submission before a refused value: they are not shown beside it.
 */
export function Alerts({ serverErrors, error, refused }: Errors & { readonly refused: boolean }) {
  return (
    <>
      {serverErrors && serverErrors.length > 0 && !refused && (
        <div role="alert">
          {serverErrors.map((text) => (
            <p key={text}>{text}</p>
          ))}
        </div>
      )}
      {error && <p role="alert">{errorText(error)}</p>}
    </>
  );
}

const invalid = (error: EtnaAuthErrorData | undefined, field: string) =>
  error?.kind === 'input' && error.field === field ? 'true' : undefined;

interface CredentialsFormProps {
  /** Refills the form after a cancel; the machine keeps the username, never the form's values. */
  readonly username: string | undefined;
  readonly error: EtnaAuthErrorData | undefined;
  readonly onLogIn: (credentials: { username: string; password: string }) => void;
  /** "Forgot password?": the reset starts for what the username field holds. */
  readonly onForgot: (username: string) => void;
}

export function CredentialsForm({ username, error, onLogIn, onForgot }: CredentialsFormProps) {
  const form = useFocusedForm();
  const { shown, onInput } = useShownError(error);
  return (
    <form
      ref={form}
      aria-label="Log in"
      onInput={onInput}
      onSubmit={(event) => {
        const field = submitted(event);
        onLogIn({ username: field('username').trim(), password: field('password') });
      }}
    >
      <label>
        Username{' '}
        <input
          name="username"
          autoComplete="username"
          maxLength={CREDENTIALS_FORM.usernameMaxLength}
          defaultValue={username ?? ''}
          aria-invalid={invalid(shown, 'username')}
        />
      </label>
      <label>
        Password{' '}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          maxLength={CREDENTIALS_FORM.passwordMaxLength}
          aria-invalid={invalid(shown, 'password')}
        />
      </label>
      <Alerts error={shown} refused={error?.kind === 'input'} />
      <button type="submit" data-event="SUBMIT_CREDENTIALS">
        Log in
      </button>
      <button
        type="button"
        data-event="FORGOT_PASSWORD"
        onClick={() => onForgot(valuesOf(form.current)('username').trim())}
      >
        Forgot password?
      </button>
    </form>
  );
}

interface ReloginFormProps {
  /** The logged-in username (`context.username`): shown, not editable, since the machine refuses another. */
  readonly username: string;
  /** A refused login again (`context.failure`); the session still works. */
  readonly failure: EtnaAuthFailure | undefined;
  readonly error: EtnaAuthErrorData | undefined;
  /** After a 429 (`context.retryAvailableAt`): no login again before then, counted down. */
  readonly retryAt: number | undefined;
  readonly onLogIn: (password: string) => void;
}

/** While the session ends soon: the password again, for the same username, logs in again in place. */
export function ReloginForm({ username, failure, error, retryAt, onLogIn }: ReloginFormProps) {
  const form = useFocusedForm();
  const promptId = useId();
  const { shown, onInput } = useShownError(error);
  return (
    <form
      ref={form}
      aria-label={RELOGIN_FORM.title}
      aria-describedby={promptId}
      onInput={onInput}
      onSubmit={(event) => onLogIn(submitted(event)('password'))}
    >
      <p id={promptId}>{RELOGIN_FORM.prompt}</p>
      {/* Read-only, not disabled: a password manager still sees whose password this is. */}
      <label>
        {RELOGIN_FORM.username}{' '}
        <input
          name="username"
          autoComplete="username"
          maxLength={RELOGIN_FORM.usernameMaxLength}
          value={username}
          readOnly
        />
      </label>
      <label>
        {RELOGIN_FORM.password}{' '}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          maxLength={RELOGIN_FORM.passwordMaxLength}
          aria-invalid={invalid(shown, 'password')}
        />
      </label>
      {reloginAlerts(failure, shown).map((alert) => (
        <div role="alert" key={alert[0]}>
          {alert.map((text) => (
            <p key={text}>{text}</p>
          ))}
        </div>
      ))}
      {retryAt !== undefined && <Countdown key={retryAt} at={retryAt} text={reloginCountdownText} />}
      <button type="submit" data-event="SUBMIT_CREDENTIALS" disabled={retryAt !== undefined}>
        {RELOGIN_FORM.submit}
      </button>
    </form>
  );
}

interface PromptFormProps extends Errors {
  readonly spec: PromptSpec;
  /** The machine's event the form sends (`SUBMIT_PIN`…), on its button as `data-event` for tests. */
  readonly event: string;
  /** What the field answers: the server's Reason ("Invalid pin"), the secret question, … */
  readonly description: string | undefined;
  /** Shown but not usable, while the machine is busy on this prompt's behalf (a new code being sent). */
  readonly disabled?: boolean;
  readonly onAnswer: (answer: string) => void;
}

/** One field the server asks for, described by what it asks. */
export function PromptForm({
  spec,
  event,
  description,
  error,
  serverErrors,
  disabled = false,
  onAnswer,
}: PromptFormProps) {
  const form = useFocusedForm();
  const descriptionId = useId();
  const { shown, onInput } = useShownError(error);
  return (
    <form
      ref={form}
      aria-label={spec.title}
      onInput={onInput}
      onSubmit={(event) => onAnswer(answerOf(spec, submitted(event)(spec.name)))}
    >
      <p id={descriptionId}>{description}</p>
      <label>
        {spec.label}{' '}
        <input
          name={spec.name}
          type={spec.type}
          inputMode={spec.inputmode}
          autoComplete={spec.autocomplete}
          maxLength={spec.maxLength}
          aria-describedby={descriptionId}
          aria-invalid={invalid(shown, spec.name)}
          disabled={disabled}
        />
      </label>
      <Alerts serverErrors={serverErrors} error={shown} refused={error?.kind === 'input'} />
      <button type="submit" data-event={event} disabled={disabled}>
        {spec.submit}
      </button>
    </form>
  );
}

/** On the PIN prompt: the picture and phrase the person chose, which a phishing page cannot know. */
export function AntiPhishing({
  phrase,
  image,
}: {
  readonly phrase: string | undefined;
  readonly image: SecurityImage | undefined;
}) {
  if (phrase === undefined && image === undefined) return null;
  return (
    <figure>
      {image && <img src={image.dataUrl} alt={SECURITY_IMAGE_ALT} />}
      <figcaption>
        {phrase !== undefined && (
          <p>
            {PERSONAL_PHRASE_INTRO} <q>{phrase}</q>
          </p>
        )}
        <p>{ANTI_PHISHING_ADVICE}</p>
      </figcaption>
    </figure>
  );
}

export interface NewPin {
  readonly imageName: string;
  readonly pin: string;
  readonly personalPhrase: string;
}

interface PinSetupFormProps extends Errors {
  readonly images: readonly SecurityImage[];
  readonly onSave: (choice: NewPin) => void;
}

/** The first PIN: a picture (radio group), the PIN, and the phrase shown with the picture at each login. */
export function PinSetupForm({ images, serverErrors, error, onSave }: PinSetupFormProps) {
  const form = useFocusedForm();
  const introId = useId();
  const imagesId = useId();
  const { shown, onInput } = useShownError(error);
  return (
    <form
      ref={form}
      aria-label={PIN_SETUP_FORM.title}
      aria-describedby={introId}
      onInput={onInput}
      onSubmit={(event) => {
        const field = submitted(event);
        onSave({
          imageName: field('imageName'),
          pin: field('pin').trim(),
          personalPhrase: field('personalPhrase'),
        });
      }}
    >
      <p id={introId}>{PROMPT_TEXT.pinSetup}</p>
      <p id={imagesId}>{PIN_SETUP_FORM.images}</p>
      <div role="radiogroup" aria-labelledby={imagesId} aria-invalid={invalid(shown, 'imageName')}>
        {images.map((image) => (
          <label key={image.fileName}>
            <input type="radio" name="imageName" value={image.fileName} />
            <img src={image.dataUrl} alt="" /> {image.fileName}
          </label>
        ))}
      </div>
      <label>
        {PIN_SETUP_FORM.pin}{' '}
        <input
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={PIN_SETUP_FORM.pinMaxLength}
          aria-invalid={invalid(shown, 'pin')}
        />
      </label>
      <label>
        {PIN_SETUP_FORM.personalPhrase}{' '}
        <input
          name="personalPhrase"
          autoComplete="off"
          maxLength={PIN_SETUP_FORM.personalPhraseMaxLength}
          aria-invalid={invalid(shown, 'personalPhrase')}
        />
      </label>
      <Alerts serverErrors={serverErrors} error={shown} refused={error?.kind === 'input'} />
      <button type="submit" data-event="SUBMIT_NEW_PIN">
        {PIN_SETUP_FORM.submit}
      </button>
    </form>
  );
}

interface NewPasswordFormProps extends Errors {
  readonly onSave: (passwords: { password: string; confirmation: string }) => void;
}

/** A new password, typed twice: for an expired password, and at the end of a reset. */
export function NewPasswordForm({ serverErrors, error, onSave }: NewPasswordFormProps) {
  const form = useFocusedForm();
  const descriptionId = useId();
  const { shown, onInput } = useShownError(error);
  return (
    <form
      ref={form}
      aria-label={NEW_PASSWORD_FORM.title}
      onInput={onInput}
      onSubmit={(event) => {
        const field = submitted(event);
        onSave({ password: field('password'), confirmation: field('confirmation') });
      }}
    >
      <p id={descriptionId}>{PROMPT_TEXT.newPassword}</p>
      <label>
        {NEW_PASSWORD_FORM.password}{' '}
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          maxLength={NEW_PASSWORD_FORM.maxLength}
          aria-describedby={descriptionId}
          aria-invalid={invalid(shown, 'password')}
        />
      </label>
      <label>
        {NEW_PASSWORD_FORM.confirmation}{' '}
        <input
          name="confirmation"
          type="password"
          autoComplete="new-password"
          maxLength={NEW_PASSWORD_FORM.maxLength}
          aria-invalid={invalid(shown, 'confirmation')}
        />
      </label>
      <Alerts serverErrors={serverErrors} error={shown} refused={error?.kind === 'input'} />
      <button type="submit" data-event="SUBMIT_NEW_PASSWORD">
        {NEW_PASSWORD_FORM.submit}
      </button>
    </form>
  );
}

/**
 * The seconds left of a wait the machine holds, once a second; the machine's own timer ends the wait and
 * takes this off the screen. Not a live region: a screen reader reads it when asked, not every second.
 */
export function Countdown({ at, text }: { readonly at: number; readonly text: (seconds: number) => string }) {
  const [seconds, setSeconds] = useState(() => secondsLeft(at));
  useEffect(() => startCountdown(at, setSeconds), [at]);
  return <p role="timer">{text(seconds)}</p>;
}
