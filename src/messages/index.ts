export type {
  EtnaBusyState,
  EtnaInputField,
  EtnaInputProblemWords,
  EtnaKnownReason,
  EtnaKnownStep,
  EtnaMessages,
  EtnaWait,
} from './catalog.js';
export type { EtnaErrorFacts, EtnaFailureFacts, EtnaFailureWords } from './describe.js';
export {
  describeBusy,
  describeError,
  describeFailure,
  describeReason,
  describeSessionEnd,
  describeStep,
  describeWait,
} from './describe.js';
export { englishMessages } from './english.js';
export { frenchMessages } from './french.js';
