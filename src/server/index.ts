export type { BffErrorKind, BffLoginView } from '../contract/bff.js';
export { BFF_CSRF_HEADER, BFF_CSRF_VALUE, BFF_ROUTES, DEFAULT_BFF_PATH } from '../contract/bff.js';
export type { EtnaBffLogEntry } from './bff-log.js';
export type {
  EtnaApiProxyOptions,
  EtnaApiRoute,
  EtnaBffMachineOptions,
  EtnaBffOptions,
} from './bff-options.js';
export type { EtnaBff } from './create-etna-bff.js';
export { createEtnaBff } from './create-etna-bff.js';
export { memorySessionStore } from './stores/memory-store.js';
export type { RedisSessionStoreOptions } from './stores/redis-store.js';
export { redisSessionStore } from './stores/redis-store.js';
export type { EtnaBffStore } from './stores/session-store.js';
export { EtnaStoreUnavailableError } from './stores/session-store.js';
