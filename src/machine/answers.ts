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

// The parser routed each answer once; the chart's guards read that decision, and these hand each action only the
// variant its branch handles: one function each for the answer and its Model, typed per branch.
const output = ({ event }: { readonly event: { readonly output: unknown } }) => event.output;
const model = ({ event }: CallEvent) => (event.output as { readonly model: unknown }).model;

/** The `/token` answer, for the guards. */
export const answer = output as (args: AnswerEvent) => TokenAnswer;
/** The answer in the `answerSucceeded` branch. */
export const succeededAnswer = output as (args: AnswerEvent) => SucceededAnswer;
/** The answer in the `answerFailed` branch. */
export const failedAnswer = output as (args: AnswerEvent) => FailedAnswer;
/** The answer in a step branch. */
export const stepAnswer = output as (args: AnswerEvent) => StepAnswer;
/** The answer in the `answerAsksForPinSetup` branch. */
export const pinSetupAnswer = output as (args: AnswerEvent) => PinSetupAnswer;
/** The answer in the `answerAsksForPasswordChange` branch. */
export const passwordChangeAnswer = output as (args: AnswerEvent) => PasswordChangeAnswer;

/** The answer of a call beside `/token`, for the guards. */
export const callAnswer = output as (args: CallEvent) => JourneyAnswer<unknown>;
/** The answer in a `callRefused` branch. */
export const refusal = output as (args: CallEvent) => JourneyRefusal;
/** The security images of an accepted `securityImages` call. */
export const imagesOf = model as (args: CallEvent) => readonly SecurityImage[];
/** The secret question of an accepted `secretQuestion` call (`''` when there is none). */
export const questionOf = model as (args: CallEvent) => string;
/** The reset token of an accepted `resetCode` call. */
export const resetTokenOf = model as (args: CallEvent) => Secret;
