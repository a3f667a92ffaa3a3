// The header's "Stately inspector" toggle: while it is ticked, the page's inspection events go to the Stately
// inspector, through withRedaction (secrets [redacted], what is personal [personal]); its status line says whether
// the inspector window answered.
import { createBrowserInspector } from '@statelyai/inspect';
import type { InspectionEvent } from 'xstate';
import { withRedaction } from '../src/index.js';
import { byId } from './dom.js';
import { createInspectorStatus } from './inspector-status.js';

/**
 * Binds the toggle; returns where the page sends each inspection event. `introduce` tells a new inspector of the
 * actor, which started before it did (its first, redacted, snapshot).
 */
export function createInspectorToggle(
  introduce: (inspect: (event: InspectionEvent) => void) => void,
): (event: InspectionEvent) => void {
  let toInspector: ((event: InspectionEvent) => void) | undefined;
  const toggle = byId<HTMLInputElement>('inspect');
  const inspectorStatus = createInspectorStatus(toggle.closest('label') ?? toggle);
  let inspector: ReturnType<typeof createBrowserInspector> | undefined;
  toggle.addEventListener('change', (change) => {
    if ((change.target as HTMLInputElement).checked) {
      const started = createBrowserInspector();
      inspector = started;
      inspectorStatus.started();
      toInspector = withRedaction(started.inspect);
      introduce(toInspector);
    } else {
      toInspector = undefined;
      inspector?.stop();
      inspector = undefined;
      inspectorStatus.stopped();
    }
  });
  return (event) => toInspector?.(event);
}
