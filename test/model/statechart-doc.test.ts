import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regionsOf } from '../../demo/statechart/regions.js';
import {
  JOURNEY_DOCS,
  renderJourneyChart,
  renderStatechart,
  renderStatechartDoc,
  withJourneyCharts,
} from '../../scripts/statechart.js';
import { etnaAuthMachine } from '../../src/machine/etna-auth-machine.js';

describe('docs/statechart.md', () => {
  it('matches the diagram generated from the machine (run npm run docs:statechart after changing it)', () => {
    const committed = readFileSync(new URL('../../docs/statechart.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderStatechartDoc());
  });

  it('shows the overview and one picture per region of the machine, each linked to itself (its natural size)', () => {
    const doc = renderStatechartDoc();
    expect(doc).toContain('](statechart.svg)](statechart.svg)');
    for (const region of regionsOf(etnaAuthMachine.root)) {
      expect(doc).toContain(`](statechart/${region.name}.svg)](statechart/${region.name}.svg)`);
    }
  });

  it('draws every state of the machine and every guarded branch', () => {
    const diagram = renderStatechart();
    for (const key of [
      'idle',
      'authenticating',
      'securityPin',
      'verificationCode',
      'succeeded',
      'failed',
      'error',
      'resendingCode',
      'pinSetup',
      'loadingImages',
      'choosing',
      'passwordChange',
      'editing',
      'passwordReset',
      'loadingQuestion',
      'question',
      'requestingCode',
      'verifyingCode',
      'newPassword',
      'pinSetup_saving',
      'passwordChange_saving',
      'passwordReset_saving',
    ]) {
      expect(diagram).toMatch(new RegExp(`\\b${key}\\b`));
    }
    const guards = Object.keys(etnaAuthMachine.implementations.guards).filter(
      (name) => name !== 'tooManySteps',
    );
    for (const guard of guards) expect(diagram).toMatch(new RegExp(`\\[[^\\]]*\\b${guard}\\b`));
    expect(diagram).toContain('[tooManySteps]');
    expect(diagram).toContain('succeeded --> idle: SESSION_EXPIRED');
    expect(diagram).not.toContain('from any other state');
  });
});

describe('the journey guides', () => {
  it.each(Object.entries(JOURNEY_DOCS))(
    'docs/%s holds its part of the chart as the machine draws it (run npm run docs:statechart after changing it)',
    (name, key) => {
      const committed = readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
      expect(committed).toBe(withJourneyCharts(committed));
      expect(committed).toContain(renderJourneyChart(key));
    },
  );

  it('draws each journey with every state inside it and the transitions that enter it', () => {
    const pinSetup = renderJourneyChart('pinSetup');
    for (const state of ['pinSetup_loadingImages', 'pinSetup_choosing', 'pinSetup_saving'])
      expect(pinSetup).toContain(state);
    expect(pinSetup).toContain('authenticating --> pinSetup: answer [answerAsksForPinSetup]');
    expect(pinSetup).toContain('pinSetup_saving --> authenticating: answer');
    expect(renderJourneyChart('expecting')).toContain(
      'expecting_verificationCode --> expecting_resendingCode: RESEND_CODE [resendAllowed]',
    );
    expect(() => renderJourneyChart('nowhere')).toThrow(/no top-level state/);
  });
});
