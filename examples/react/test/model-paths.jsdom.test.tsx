// The testing kit's Node flavour on the React example in jsdom: every model path through <EtnaLogin>, its actor on
// the kit's clock, typed into and clicked with Testing Library's user-event.
import { cleanup, render } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { getEtnaAuthPaths, type ModelDriver, runModelPaths } from 'etna-auth/testing';
import { expect, it } from 'vitest';
import { VIEWS } from '../../ui-common/view.js';
import { EtnaLogin } from '../src/EtnaLogin.js';

const user = userEvent.setup();

function loginScreen(): HTMLElement {
  const screen = document.querySelector<HTMLElement>('[data-view]');
  if (!screen) throw new Error('no login screen');
  return screen;
}
const all = <T extends Element>(selector: string) => Array.from(loginScreen().querySelectorAll<T>(selector));

const driver: ModelDriver = {
  start: ({ machine, actorOptions }) => {
    render(<EtnaLogin machine={machine} options={actorOptions} />);
  },
  stop: () => cleanup(),
  screenOf: (state) => VIEWS[state as keyof typeof VIEWS],
  read: () => ({
    screen: loginScreen().dataset.view ?? '',
    busy: loginScreen().getAttribute('aria-busy') === 'true',
    actions: all<HTMLButtonElement>('[data-event]:enabled').map((button) => button.dataset.event ?? ''),
    fields: all<HTMLInputElement>('input:enabled').map((input) => input.name),
    invalid: all('[aria-invalid="true"]').map(
      (field) => field.getAttribute('name') ?? field.querySelector('input')?.name ?? '',
    ),
    problem:
      all('[role="alert"]')
        .map((alert) => alert.textContent ?? '')
        .join(' ')
        .trim() || undefined,
    text: loginScreen().textContent ?? '',
  }),
  async submit(_, event) {
    const [button] = all<HTMLButtonElement>(`[data-event="${event.type}"]:enabled`);
    if (!button) throw new Error(`nothing on the screen sends ${event.type}`);
    for (const [name, value] of Object.entries(event)) {
      const field = button.form?.querySelector<HTMLInputElement>(
        name === 'imageName' ? `input[value="${value}"]` : `input[name="${name}"]`,
      );
      if (name === 'type' || !field || field.readOnly) continue;
      if (field.type === 'radio') await user.click(field);
      else await user.clear(field);
      if (field.type !== 'radio' && value !== '') await user.type(field, value);
    }
    await user.click(button);
  },
  async callApi() {
    const [button] = all<HTMLButtonElement>('[data-action="call-api"]');
    if (button) await user.click(button);
  },
};

it('runs every model path through <EtnaLogin> in jsdom, those of a storage read later too, covering the whole machine', async () => {
  const report = await runModelPaths(driver);
  console.log(`React example in jsdom, through the kit:\n${report.summary}`);
  // Nothing skipped here: a storage that answers later (restoring) is played by the kit's Node flavour.
  expect(report.skipped).toEqual([]);
  const described = (paths: readonly { description: string }[]) => paths.map((path) => path.description);
  expect(described(report.passed)).toEqual(described(getEtnaAuthPaths()));
  expect(report.passed.filter((path) => path.start === 'restoring').length).toBeGreaterThan(0);
  expect(report.coverage.missing).toEqual([]);
}, 600_000);
