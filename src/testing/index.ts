export type { FakeEtnaUser } from './demo-users.js';
export { DEMO_APP_KEY, DEMO_USERS, describeDemoUser, describeDemoUserSteps } from './demo-users.js';
export type {
  FakeEtnaServer,
  FakeEtnaServerOptions,
  FakeFault,
  RecordedRequest,
} from './fake-etna-server.js';
export { FAKE_ETNA_ROUTES, isFakeEtnaRoute, startFakeEtnaServer } from './fake-etna-server.js';
export type {
  ModelCoverage,
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
} from './model-paths.js';
export {
  expectationOf,
  getEtnaAuthPaths,
  injectServerAnswer,
  MODEL_INTERIM_TOKENS,
  MODEL_OUTCOMES,
  MODEL_SESSION_EVENTS,
  MODEL_SESSION_TOKEN,
  MODEL_USER,
  MODEL_USER_EVENTS,
  measureCoverage,
  modelEventOf,
  modelStoredSession,
} from './model-paths.js';
