export type { FakeEtnaUser } from './demo-users.js';
export { DEMO_APP_KEY, DEMO_USERS, describeDemoUser, describeDemoUserSteps } from './demo-users.js';
export type {
  FakeEtnaServer,
  FakeEtnaServerOptions,
  FakeFault,
  RecordedRequest,
} from './fake-etna-server.js';
export { startFakeEtnaServer } from './fake-etna-server.js';
export type {
  ModelCoverage,
  ModelExpectation,
  ModelOutcome,
  ModelPath,
  ModelPathsOptions,
  ModelStep,
} from './model-paths.js';
export {
  expectationOf,
  getEtnaAuthPaths,
  MODEL_INTERIM_TOKENS,
  MODEL_OUTCOMES,
  MODEL_SESSION_TOKEN,
  MODEL_USER,
  MODEL_USER_EVENTS,
  measureCoverage,
  modelEventOf,
} from './model-paths.js';
