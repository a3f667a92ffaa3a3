// What the calls beside `/token` answer, as the machine and the screens see it. The calls themselves are listed
// in calls.ts.
import type { JourneyCall, JourneyModels, JourneyRequests } from './calls.js';

export type {
  JourneyCall,
  JourneyModels,
  JourneyRequests,
  PasswordChangeRequest,
  PinChangeRequest,
  ResetCodeExchange,
  ResetCodeRequest,
  SecretQuestionRequest,
  SecurityImagesRequest,
} from './calls.js';

/**
 * A security image as a UI shows it: the server's file name and the picture as a `data:` URL.
 * @example <img src={image.dataUrl} alt={image.fileName} />
 */
export interface SecurityImage {
  /** The server's `FileName`, e.g. `apple.png`; `SUBMIT_NEW_PIN` names the chosen image by it. */
  readonly fileName: string;
  /** `data:image/png;base64,…` (or jpeg, gif, webp), ready for an `<img src>`. Never a remote URL. */
  readonly dataUrl: string;
}

/**
 * The answer of a side call whose envelope said it did not succeed: the server's `Errors` (safe to show, cut
 * short) and `ErrorsCode`. The machine stays on the form and shows them.
 * @example if (!answer.ok) showErrors(answer.errors);
 */
export interface JourneyRefusal {
  readonly ok: false;
  readonly errors: readonly string[];
  readonly codes: readonly string[];
}

/**
 * A side call's answer: success with its model, or the server's refusal. Transport problems reject instead.
 * @example const answer: JourneyAnswer<string> = { ok: true, model: 'What was the name of your first pet?' };
 */
export type JourneyAnswer<TModel> = { readonly ok: true; readonly model: TModel } | JourneyRefusal;

/**
 * One side call as a function: resolves with its answer, rejects with an `EtnaAuthError` for a transport problem.
 * @example const securityImages: JourneyService<'securityImages'> = async () => ({ ok: true, model: [] });
 */
export type JourneyService<TCall extends JourneyCall> = (
  request: JourneyRequests[TCall],
  signal?: AbortSignal,
) => Promise<JourneyAnswer<JourneyModels[TCall]>>;

/**
 * The anti-phishing phrase and picture of a PIN-step answer (`PersonalPhrase`, `Image`): personal, never stored.
 * @example const { personalPhrase, securityImage }: AntiPhishing = snapshot.context;
 */
export interface AntiPhishing {
  readonly personalPhrase: string | undefined;
  readonly securityImage: SecurityImage | undefined;
}
