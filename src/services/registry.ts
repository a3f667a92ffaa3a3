/** What `createEtnaClient` needs to know about the environment a machine logs into. */
export interface ApiEndpoint {
  readonly apiRoot: string;
  readonly appKey: string;
  readonly fetch: typeof globalThis.fetch | undefined;
}

const endpoints = new WeakMap<object, ApiEndpoint>();

/** Remembers which environment a machine made by `createEtnaAuthMachine` talks to. */
export function registerEndpoint(machine: object, endpoint: ApiEndpoint): void {
  endpoints.set(machine, endpoint);
}

/** The environment of a machine made by `createEtnaAuthMachine`, if it is one. */
export function endpointOf(machine: unknown): ApiEndpoint | undefined {
  // A WeakMap answers undefined for any key that is not an object it holds.
  return endpoints.get(machine as object);
}
