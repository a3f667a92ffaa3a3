// The countdown every example shows while a wait holds (the resend cooldown, a 429's Retry-After, the session's
// last minute): it counts the seconds down once a second, stops by itself at the end, and leaves no timer behind
// when it leaves the screen.
// Run with fake timers (`vi.useFakeTimers()`), each framework rendering its own countdown component.
import { screen } from '@testing-library/dom';
import { expect, vi } from 'vitest';
import { resendCountdownText, sessionEndingText } from '../ui-common/error-text.js';

export interface CountdownUnderTest {
  /** Renders the framework's countdown for a wait ending at `at` (epoch ms), worded by `text`. */
  readonly show: (at: number, text: (seconds: number) => string) => { unmount(): void };
  /** Lets the framework apply a state change to the DOM (`act`, `nextTick`, `flushSync`). */
  readonly settle: (change: () => void) => Promise<void>;
}

const shown = () => screen.getByRole('timer').textContent?.trim();

/** Counts 3, 2, 1, 0 over a wait of 2.5 s, then no timer is left running. */
export async function expectCountdownToEnd({ show, settle }: CountdownUnderTest): Promise<void> {
  show(Date.now() + 2_500, resendCountdownText);
  await settle(() => {});
  expect(shown()).toBe('You can ask for a new code in 3 s.');
  expect(vi.getTimerCount(), 'one timer while the wait holds').toBe(1);
  await settle(() => vi.advanceTimersByTime(499));
  expect(shown(), 'not before the second has passed').toBe('You can ask for a new code in 3 s.');
  for (const seconds of [2, 1, 0]) {
    await settle(() => vi.advanceTimersByTime(seconds === 2 ? 2 : 1_000));
    expect(shown()).toBe(`You can ask for a new code in ${seconds} s.`);
  }
  expect(vi.getTimerCount(), 'the count stopped at the end of the wait').toBe(0);
}

/** Taken off the screen before the wait ends, the countdown leaves no timer behind. */
export async function expectCountdownToStopWhenGone({ show, settle }: CountdownUnderTest): Promise<void> {
  const countdown = show(Date.now() + 30_000, resendCountdownText);
  await settle(() => {});
  expect(vi.getTimerCount()).toBe(1);
  await settle(() => countdown.unmount());
  expect(vi.getTimerCount(), 'the timer is cleared on unmount').toBe(0);
}

/** The session's last minute, in minutes and seconds: 1:00, then 0:59 a second later, down to 0:10. */
export async function expectSessionCountdown({ show, settle }: CountdownUnderTest): Promise<void> {
  show(Date.now() + 60_000, sessionEndingText);
  await settle(() => {});
  expect(shown()).toBe('Your session ends in 1:00.');
  await settle(() => vi.advanceTimersByTime(1_001));
  expect(shown()).toBe('Your session ends in 0:59.');
  await settle(() => vi.advanceTimersByTime(49_000));
  expect(shown()).toBe('Your session ends in 0:10.');
}
