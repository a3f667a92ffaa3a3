import { cleanup, render } from '@testing-library/vue';
import { afterEach, beforeEach, describe, it, vi } from 'vitest';
import { nextTick } from 'vue';
import {
  type CountdownUnderTest,
  expectCountdownToEnd,
  expectCountdownToStopWhenGone,
  expectSessionCountdown,
} from '../../login-driver/countdown-check.js';
import WaitCountdown from '../src/WaitCountdown.vue';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const countdown: CountdownUnderTest = {
  show: (at, text) => render(WaitCountdown, { props: { at, text } }),
  settle: async (change) => {
    change();
    await nextTick();
  },
};

describe('Vue: <WaitCountdown>', () => {
  it('counts the wait down once a second, and stops at its end', async () => {
    await expectCountdownToEnd(countdown);
  });

  it('leaves no timer behind when it leaves the screen', async () => {
    await expectCountdownToStopWhenGone(countdown);
  });

  it("counts the session's last minute in minutes and seconds", async () => {
    await expectSessionCountdown(countdown);
  });
});
