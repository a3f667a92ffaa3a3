import type { JourneyAnswer, JourneyRefusal, SecurityImage } from '../contract/journey.js';
import type { Secret } from '../contract/secret.js';
import type {
  FailedAnswer,
  PasswordChangeAnswer,
  PinSetupAnswer,
  StepAnswer,
  SucceededAnswer,
  TokenAnswer,
} from '../contract/token-request.js';

type AnswerEvent = { readonly event: { readonly output: TokenAnswer } };
type CallEvent = { readonly event: { readonly output: JourneyAnswer<unknown> } };

// The parser routed each answer once; the chart's guards read that decision, and these hand each action
// only the variant its branch handles.

/** The `/token` answer, for the guards. */
export const answer = ({ event }: AnswerEvent): TokenAnswer => event.output;
/** The answer in the `answerSucceeded` branch. */
export const succeededAnswer = ({ event }: AnswerEvent) => event.output as SucceededAnswer;
/** The answer in the `answerFailed` branch. */
export const failedAnswer = ({ event }: AnswerEvent) => event.output as FailedAnswer;
/** The answer in a step branch. */
export const stepAnswer = ({ event }: AnswerEvent) => event.output as StepAnswer;
/** The answer in the `answerAsksForPinSetup` branch. */
export const pinSetupAnswer = ({ event }: AnswerEvent) => event.output as PinSetupAnswer;
/** The answer in the `answerAsksForPasswordChange` branch. */
export const passwordChangeAnswer = ({ event }: AnswerEvent) => event.output as PasswordChangeAnswer;

/** The answer of a call beside `/token`, for the guards. */
export const callAnswer = ({ event }: CallEvent): JourneyAnswer<unknown> => event.output;
/** The answer in a `callRefused` branch. */
export const refusal = ({ event }: CallEvent) => event.output as JourneyRefusal;
/** The security images of an accepted `securityImages` call. */
export const imagesOf = ({ event }: CallEvent) =>
  (event.output as { readonly model: readonly SecurityImage[] }).model;
/** The secret question of an accepted `secretQuestion` call (`''` when there is none). */
export const questionOf = ({ event }: CallEvent) => (event.output as { readonly model: string }).model;
/** The reset token of an accepted `resetCode` call. */
export const resetTokenOf = ({ event }: CallEvent) => (event.output as { readonly model: Secret }).model;
