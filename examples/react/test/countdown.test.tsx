import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, it, vi } from 'vitest';
import {
  type CountdownUnderTest,
  expectCountdownToEnd,
  expectCountdownToStopWhenGone,
  expectSessionCountdown,
} from '../../login-driver/countdown-check.js';
import { Countdown } from '../src/forms.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const countdown: CountdownUnderTest = {
  show: (at, text) => render(<Countdown at={at} text={text} />),
  settle: async (change) => act(change),
};

describe('React: <Countdown>', () => {
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
