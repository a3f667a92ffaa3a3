export type { EtnaClientOptions, EtnaSessionActor } from './create-etna-client.js';
export { createEtnaClient } from './create-etna-client.js';
export type { EtnaClientErrorCode } from './etna-client-error.js';
export { EtnaClientError } from './etna-client-error.js';
