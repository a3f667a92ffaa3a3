export type { AsyncTestStorage, AsyncTestStorageOptions, HeldReadAnswer } from './async-storage.js';
export { createAsyncStorage } from './async-storage.js';
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
} from './fake/index.js';
export {
  FAKE_ETNA_ROUTES,
  FAKE_SECURITY_IMAGES,
  isFakeEtnaRoute,
  startFakeEtnaServer,
} from './fake/index.js';
export type {
  BrowserModelDriver,
  ModelBrowserContext,
  ModelPage,
  RunModelPathsInBrowserOptions,
} from './kit/browser.js';
export type { ModelAppSetup, ModelDriver } from './kit/node.js';
export { ModelPathsError, runModelPaths, runModelPathsInBrowser } from './kit/run-paths.js';
export type {
  ModelAppSettings,
  ModelPathFailure,
  ModelPathsReport,
  RunModelPathsOptions,
  ScreenDriver,
  ScreenReading,
} from './kit/types.js';
export type { ModelEndpoint, ModelOutcome, ModelSource } from './model/answers.js';
export type { ModelCoverage } from './model/coverage.js';
export { measureCoverage, modelEventOf } from './model/coverage.js';
export {
  isRefusedModelEvent,
  MODEL_BUSY_ENDPOINTS,
  MODEL_OUTCOMES,
  MODEL_USER_EVENTS,
  MODEL_WAIT_EVENTS,
} from './model/events.js';
export type { ModelExpectation } from './model/expectation.js';
export { expectationOf, stateValueName } from './model/expectation.js';
export { MODEL_INTERIM_TOKENS, MODEL_SESSION_TOKEN } from './model/login.js';
export { MODEL_PASSWORD_CHANGE_TOKEN } from './model/password-change.js';
export { MODEL_RESET_TOKEN, MODEL_SECRET_QUESTION } from './model/password-reset.js';
export { getEtnaAuthPaths, injectServerAnswer } from './model/paths.js';
export { MODEL_PIN_SETUP_TOKENS, MODEL_SECURITY_IMAGES } from './model/pin-setup.js';
export type { ModelOtherTab, ModelSessionEnd } from './model/session.js';
export {
  MODEL_API_SUCCESS_EVENT,
  MODEL_OTHER_TAB_EVENTS,
  MODEL_OTHER_USER,
  MODEL_SESSION_EVENTS,
  MODEL_SESSION_SETTINGS,
  MODEL_SESSION_WARNING_MS,
  modelOtherTabWrite,
  modelStoredSession,
} from './model/session.js';
export type { ModelMachineOptions } from './model/setup.js';
export { createModelMachine } from './model/setup.js';
export type {
  ModelPath,
  ModelPathsOptions,
  ModelServerAnswer,
  ModelStart,
  ModelStep,
  ModelWait,
} from './model/steps.js';
export type { ModelUserEvent } from './model/user.js';
export { MODEL_USER } from './model/user.js';
export type { SharedMemoryStorage, SharedStorageTab } from './shared-storage.js';
export { createSharedMemoryStorage } from './shared-storage.js';
