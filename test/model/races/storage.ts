// The race's storage: one that this tab shares with another, whose notices of the other tab's writes reach this
// tab as tasks of their own; and, for the starts that restore later, this tab's view of it as a storage that
// answers later, each call answered by a task of its own, in the order they were made (as AsyncStorage does).
import type { EtnaAsyncSessionStorage } from '../../../src/index.js';
import { createSharedMemoryStorage } from '../../../src/testing/index.js';

export class RaceStorage {
  private readonly shared = createSharedMemoryStorage();
  private readonly tab = this.shared.openTab();
  private readonly notices: (() => void)[] = [];
  private readonly calls: (() => string)[] = [];
  /** The other tab's view. */
  readonly other = this.shared.openTab();
  /** This tab's view, as a storage that answers at once: the other tab's notices wait for `deliver`. */
  readonly own = {
    ...this.tab,
    subscribe: (key: string, onChange: () => void) =>
      this.tab.subscribe(key, () => this.notices.push(onChange)),
  };
  /** The next read of `later` fails. */
  failNextRead = false;

  /** `call` is told of each call `later` is made, so that a task answers it. */
  constructor(private readonly call: () => void) {}

  /** Hands this tab the oldest notice of the other tab's writes. */
  deliver(): void {
    this.notices.shift()?.();
  }

  /** Answers the oldest call made to `later`: what it did. */
  answerOldest(): string {
    return this.calls.shift()?.() ?? 'nothing to answer';
  }

  /** This tab's view as a storage that answers later. */
  later(): EtnaAsyncSessionStorage {
    const { own } = this;
    const call = <T>(name: string, work: () => T) =>
      new Promise<T>((resolve, reject) => {
        this.calls.push(() => {
          if (name === 'getItem' && this.failNextRead) {
            this.failNextRead = false;
            reject(new Error('the storage could not be read'));
            return `${name} fails`;
          }
          resolve(work());
          return `answers ${name}`;
        });
        this.call();
      });
    return {
      getItem: (key) => call('getItem', () => own.getItem(key)),
      setItem: (key, value) => call('setItem', () => own.setItem(key, value)),
      removeItem: (key) => call('removeItem', () => own.removeItem(key)),
      subscribe: own.subscribe,
    };
  }
}
