export { EtnaConfigurationError } from './configuration-error.js';
export type { EtnaAuthErrorData, EtnaAuthErrorKind, InputProblemCode } from './contract/auth-error.js';
export { FAILURE_GUIDANCE } from './contract/failure-guidance.js';
export { INPUT_LIMITS, MIN_NEW_PIN_DIGITS } from './contract/input-rules.js';
export type {
  AntiPhishing,
  JourneyAnswer,
  JourneyCall,
  JourneyModels,
  JourneyRefusal,
  JourneyRequests,
  JourneyService,
  SecurityImage,
} from './contract/journey.js';
export { Secret } from './contract/secret.js';
export type { EtnaFailureCode, EtnaSessionEndReason } from './contract/session.js';
export type {
  ContinuationStep,
  FailedAnswer,
  PasswordChangeAnswer,
  PinSetupAnswer,
  StepAnswer,
  SucceededAnswer,
  TokenAnswer,
  TokenRequest,
} from './contract/token-request.js';
export { createEtnaAuthMachine } from './create-etna-auth-machine.js';
export {
  DEFAULT_MAX_STEPS,
  DEFAULT_PERSIST_KEY,
  DEFAULT_RATE_LIMIT_WAIT_MS,
  DEFAULT_RESEND_COOLDOWN_MS,
  DEFAULT_SERVER_LOGOUT,
  DEFAULT_SESSION_LIFETIME_MS,
  DEFAULT_SESSION_WARNING_MS,
  DEFAULT_SLIDING_SESSION,
  DEFAULT_TIMEOUT_MS,
} from './defaults.js';
export { withRedaction } from './inspection/with-redaction.js';
export type { EtnaAuthMachine } from './machine/etna-auth-machine.js';
export { LOGOUT_ID, REQUEST_TOKEN_ID } from './machine/etna-auth-machine.js';
export { selectToken } from './machine/select-token.js';
export type {
  EtnaAuthContext,
  EtnaAuthEvent,
  EtnaAuthFailure,
  EtnaAuthSettings,
  EtnaRetryTarget,
  SecretInput,
} from './machine/types.js';
export type { EtnaAuthOptions } from './options.js';
export { EtnaAuthError } from './services/errors/etna-auth-error.js';
export type { EtnaAsyncSessionStorage, EtnaSessionStorage } from './session/storage.js';
export {
  browserLocalStorage,
  browserSessionStorage,
  memoryStorage,
  SESSION_CHANNEL,
} from './session/storage.js';
