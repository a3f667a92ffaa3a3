export type { FakeEtnaUser } from './demo-users.js';
export { DEMO_APP_KEY, DEMO_USERS, describeDemoUser, describeDemoUserSteps } from './demo-users.js';
export type {
  FakeEtnaServer,
  FakeEtnaServerOptions,
  FakeFault,
  RecordedRequest,
} from './fake-etna-server.js';
export { FAKE_ETNA_ROUTES, isFakeEtnaRoute, startFakeEtnaServer } from './fake-etna-server.js';
export type { ModelCoverage } from './model-coverage.js';
export { measureCoverage, modelEventOf } from './model-coverage.js';
export type {
  ModelEndpoint,
  ModelExpectation,
  ModelOutcome,
  ModelPath,
  ModelPathsOptions,
  ModelServerAnswer,
  ModelSessionEnd,
  ModelStart,
  ModelStep,
  ModelUserEvent,
} from './model-events.js';
export {
  expectationOf,
  MODEL_INTERIM_TOKENS,
  MODEL_OUTCOMES,
  MODEL_SESSION_EVENTS,
  MODEL_SESSION_TOKEN,
  MODEL_USER,
  MODEL_USER_EVENTS,
  modelStoredSession,
} from './model-events.js';
export { getEtnaAuthPaths, injectServerAnswer } from './model-paths.js';
export type { ModelMachineOptions } from './model-setup.js';
export { createModelMachine } from './model-setup.js';
