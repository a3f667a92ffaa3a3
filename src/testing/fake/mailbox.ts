// The fake server's outbox: every code it "e-mails" (verification codes, password-reset codes), for tests and
// the demo page to read. The codes are plain strings here on purpose: this is the test's view of the inbox.
import { randomInt } from 'node:crypto';

/**
 * One message the fake server "sent".
 * @example const { code } = await server.waitForMail('carol', 'verificationCode');
 */
export interface FakeMail {
  /** The user's login. */
  readonly to: string;
  readonly kind: 'verificationCode' | 'passwordReset';
  readonly code: string;
  /** `Date.now()` when it was sent. */
  readonly at: number;
}

/** A random 6-digit code, leading zeros kept. */
export const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

interface MailWaiter {
  readonly matches: (mail: FakeMail) => boolean;
  readonly resolve: (mail: FakeMail) => void;
}

export class Mailbox {
  readonly mails: FakeMail[] = [];
  readonly #waiters = new Set<MailWaiter>();

  send(to: string, kind: FakeMail['kind'], code: string): void {
    const mail: FakeMail = Object.freeze({ to, kind, code, at: Date.now() });
    this.mails.push(mail);
    for (const waiter of this.#waiters) {
      if (!waiter.matches(mail)) continue;
      this.#waiters.delete(waiter);
      waiter.resolve(mail);
    }
  }

  last(to: string, kind?: FakeMail['kind'], from = 0): FakeMail | undefined {
    for (let index = this.mails.length - 1; index >= Math.max(0, from); index--) {
      const mail = this.mails[index] as FakeMail;
      if (mail.to === to && (kind === undefined || mail.kind === kind)) return mail;
    }
    return undefined;
  }

  /** The newest matching mail at an index >= `after`, or the first matching one to arrive. */
  wait(to: string, kind?: FakeMail['kind'], after = 0): Promise<FakeMail> {
    const found = this.last(to, kind, after);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      this.#waiters.add({
        matches: (mail) => mail.to === to && (kind === undefined || mail.kind === kind),
        resolve,
      });
    });
  }
}
