import type { InspectionEvent } from 'xstate';
import { REDACTED } from '../contract/secret.js';
import { withRedaction } from '../inspection/with-redaction.js';

type Snapshotted = { snapshot?: { context?: { settings?: { appKey?: unknown } } } };

/**
 * An inspection observer for the backend's actors: `withRedaction`, and the app key of the settings too, which
 * the in-browser mode shows (the page holds it anyway) and the backend keeps to itself.
 */
export function inspectBackend(observer: (event: InspectionEvent) => void): (event: InspectionEvent) => void {
  return withRedaction((event) => {
    // withRedaction hands over copies: changing them changes no actor.
    const settings = (event as Snapshotted).snapshot?.context?.settings;
    if (settings?.appKey !== undefined) settings.appKey = REDACTED;
    observer(event);
  });
}
