// The outcomes region's model: the ways out of a refusal or an error (RETRY, CANCEL), and the end of a rate
// limit's wait.
import type { RegionModel } from './answers.js';
import type { ModelUserEvent } from './user.js';

/** The end of a 429's `Retry-After`, as the machine's timer sends it. */
export const RETRY_WAIT_EVENT = { type: 'RETRY_ALLOWED' } as const;

export const outcomesModel: RegionModel<ModelUserEvent> = {
  userEvents: [{ type: 'CANCEL' }, { type: 'RETRY' }],
  refusedEvents: [],
  outcomes: [],
};
