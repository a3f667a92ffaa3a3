export type { FakeEtnaUser } from './demo-users.js';
export { DEMO_APP_KEY, DEMO_USERS, describeDemoUser, describeDemoUserSteps } from './demo-users.js';
export type {
  FakeEtnaServer,
  FakeEtnaServerOptions,
  FakeFault,
  FakeJourneyRoute,
  FakeMail,
  FakeRateLimit,
  FakeSecurityImage,
  RecordedRequest,
} from './fake-etna-server.js';
export {
  FAKE_ETNA_ROUTES,
  FAKE_SECURITY_IMAGES,
  isFakeEtnaRoute,
  startFakeEtnaServer,
} from './fake-etna-server.js';
export type { ModelCoverage } from './model-coverage.js';
export { measureCoverage, modelEventOf } from './model-coverage.js';
export type {
  ModelEndpoint,
  ModelExpectation,
  ModelOtherTab,
  ModelOutcome,
  ModelPath,
  ModelPathsOptions,
  ModelServerAnswer,
  ModelSessionEnd,
  ModelStart,
  ModelStep,
  ModelUserEvent,
  ModelWait,
} from './model-events.js';
export {
  expectationOf,
  isRefusedModelEvent,
  MODEL_API_SUCCESS_EVENT,
  MODEL_BUSY_ENDPOINTS,
  MODEL_INTERIM_TOKENS,
  MODEL_OTHER_TAB_EVENTS,
  MODEL_OUTCOMES,
  MODEL_PASSWORD_CHANGE_TOKEN,
  MODEL_PIN_SETUP_TOKENS,
  MODEL_RESET_TOKEN,
  MODEL_SECRET_QUESTION,
  MODEL_SECURITY_IMAGES,
  MODEL_SESSION_EVENTS,
  MODEL_SESSION_SETTINGS,
  MODEL_SESSION_TOKEN,
  MODEL_SESSION_WARNING_MS,
  MODEL_USER,
  MODEL_USER_EVENTS,
  MODEL_WAIT_EVENTS,
  modelStoredSession,
  stateValueName,
} from './model-events.js';
export { getEtnaAuthPaths, injectServerAnswer } from './model-paths.js';
export type { ModelMachineOptions } from './model-setup.js';
export { createModelMachine } from './model-setup.js';
export type { SharedMemoryStorage, SharedStorageTab } from './shared-storage.js';
export { createSharedMemoryStorage } from './shared-storage.js';
