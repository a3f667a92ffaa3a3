export type { BffErrorKind, BffLoginView, BffStateValue } from '../contract/bff.js';
export { BFF_CSRF_HEADER, DEFAULT_BFF_PATH } from '../contract/bff.js';
export type { EtnaRemoteActor, EtnaRemoteActorOptions, EtnaRemoteEvent } from './create-etna-remote-actor.js';
export { createEtnaRemoteActor } from './create-etna-remote-actor.js';
export type { EtnaRemoteClientOptions } from './create-etna-remote-client.js';
export { createEtnaRemoteClient } from './create-etna-remote-client.js';
export type { EtnaRemoteContext, EtnaRemoteSnapshot } from './remote-snapshot.js';
