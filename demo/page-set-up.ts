// What the page offers beside the journey: the demo users' table (and a way to put the fake server's users back as
// it lists them), a second tab of the same page, and a way to revoke every session on the fake server (the next API
// call then ends the session as revoked).
import { DEMO_USERS, describeDemoUserSteps } from '../src/testing/demo-users.js';
import { byId, setText } from './dom.js';

export function setUpDemoControls(): void {
  const users = byId('users').querySelector('tbody');
  for (const user of DEMO_USERS) {
    const row = document.createElement('tr');
    for (const text of [user.username, user.password, describeDemoUserSteps(user)]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    users?.append(row);
  }
  // The same page in a new tab: with the shared storage, it shows the same session, and follows this one.
  byId('open-tab').addEventListener('click', () => {
    window.open(location.href, '_blank', 'noopener');
  });
  byId('revoke-sessions').addEventListener('click', () => {
    void fetch('/demo/revoke-sessions', { method: 'POST' });
  });
  const resetDone = byId('reset-users-done');
  byId('reset-users').addEventListener('click', async () => {
    setText(resetDone, '');
    const answer = await fetch('/demo/reset-users', { method: 'POST' }).catch(() => undefined);
    setText(
      resetDone,
      answer?.ok
        ? 'The demo users are as the table lists them again.'
        : 'The demo server could not be reached: the users are as they were.',
    );
  });
}
