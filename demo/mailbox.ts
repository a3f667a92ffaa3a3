// The demo mailbox: what the fake server "e-mailed" (GET /demo/mailbox?user=… on the demo server), so that the
// code and reset journeys can be finished. Never part of a real login.
import { DEMO_USERS } from '../src/testing/demo-users.js';
import type { DemoActor } from './demo-actor.js';
import { byId } from './dom.js';

/** The mailbox's name for each kind of mail the fake server sends. */
const MAIL_KINDS: Readonly<Record<string, string>> = {
  verificationCode: 'Verification code',
  passwordReset: 'Password-reset code',
};

interface DemoMail {
  readonly kind: string;
  readonly code: string;
  readonly at: number;
}

function isDemoMail(value: unknown): value is DemoMail {
  const mail = value as Partial<DemoMail> | null;
  return (
    typeof mail === 'object' &&
    mail !== null &&
    typeof mail.kind === 'string' &&
    typeof mail.code === 'string' &&
    typeof mail.at === 'number'
  );
}

export interface Mailbox {
  /** Shows what the fake server e-mailed the login of `username` (or of the e-mail address it is). */
  show(username: string): void;
}

/**
 * The mailbox panel. Its button checks the mailbox of the attempt's login, or in `idle` of the one typed in the
 * login form (`typedUsername()`).
 */
export function createMailbox(actor: DemoActor, typedUsername: () => string): Mailbox {
  const mailboxFor = byId('mailbox-for');
  const mailboxList = byId<HTMLOListElement>('mailbox-list');
  let mailboxReads = 0;

  const mailboxLine = (...parts: (string | Node)[]) => mailboxFor.replaceChildren(...parts);

  const currentUser = () => {
    const snapshot = actor.getSnapshot();
    return snapshot.matches('idle') || !snapshot.context.username
      ? typedUsername()
      : snapshot.context.username;
  };

  /** A reset may name the account by its e-mail address; the mailbox is by login, which the demo users tell. */
  const loginOf = (typed: string) => {
    const user = typed.trim();
    return (
      DEMO_USERS.find((demoUser) => demoUser.email?.toLowerCase() === user.toLowerCase())?.username ?? user
    );
  };

  /** Reads what the fake server e-mailed `user` and lists it, newest first. */
  async function readMailbox(user: string): Promise<void> {
    const read = ++mailboxReads;
    if (user === '') {
      mailboxLine('Type a username in the login form, then check its mailbox.');
      mailboxList.replaceChildren();
      return;
    }
    mailboxList.setAttribute('aria-busy', 'true');
    let mails: DemoMail[] | undefined;
    try {
      const answer = await fetch(`/demo/mailbox?user=${encodeURIComponent(user)}`, { cache: 'no-store' });
      const body: unknown = answer.ok ? await answer.json() : undefined;
      if (Array.isArray(body)) mails = body.filter(isDemoMail);
    } catch {
      mails = undefined;
    }
    // A later read (another user, a newer code) has the last word.
    if (read !== mailboxReads) return;
    mailboxList.setAttribute('aria-busy', 'false');
    const who = Object.assign(document.createElement('b'), { textContent: user });
    if (!mails) {
      mailboxLine('The mailbox of ', who, ' could not be read.');
      return;
    }
    if (mails.length === 0) mailboxLine('Nothing e-mailed to ', who, ' yet.');
    else mailboxLine('Codes e-mailed to ', who, ', newest first:');
    mailboxList.replaceChildren(
      ...[...mails].reverse().map((mail) => {
        const item = document.createElement('li');
        const kind = Object.assign(document.createElement('span'), {
          textContent: MAIL_KINDS[mail.kind] ?? mail.kind,
        });
        const code = Object.assign(document.createElement('code'), { textContent: mail.code });
        const sent = document.createElement('time');
        sent.dateTime = new Date(mail.at).toISOString();
        sent.textContent = new Date(mail.at).toLocaleTimeString('en-GB');
        item.append(kind, code, sent);
        return item;
      }),
    );
  }

  byId('mailbox-refresh').addEventListener('click', () => {
    void readMailbox(loginOf(currentUser()));
  });
  mailboxLine(
    'Codes appear here when the fake server e-mails one; or type a username and check its mailbox.',
  );
  return {
    show: (username) => {
      void readMailbox(loginOf(username));
    },
  };
}
