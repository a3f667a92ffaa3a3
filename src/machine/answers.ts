import type { FailedAnswer, StepAnswer, SucceededAnswer, TokenAnswer } from '../contract/token-request.js';

type AnswerEvent = { readonly event: { readonly output: TokenAnswer } };

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
