// The fake server's former home, kept while src/testing/model/ still imports from it: the server is fake/index.ts.
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
