import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** The input ended (Ctrl-D, a closed pipe) or was closed by a cancel while a question waited. */
export class InputEndedError extends Error {
  override name = 'InputEndedError';
}

export interface Prompter {
  /** Asks one question and resolves with the line typed (or piped). Hidden answers are not echoed. */
  ask(question: string, options?: { readonly hidden?: boolean }): Promise<string>;
  /**
   * Writes `line` (a whole line, without its line end) now: above the question being asked, which is then
   * asked again below it, or on its own when no question waits.
   */
  notice(line: string): void;
  /** True once the input has ended and every line it gave has been read: no question can be answered any more. */
  readonly exhausted: boolean;
  /** Called on Ctrl-C typed at the terminal (the terminal is in raw mode, so no signal is raised). */
  onInterrupt(listener: () => void): void;
  /** Ends any pending question with `InputEndedError`, and releases the input. */
  close(): void;
}

/** A writable that passes through to `target` unless muted: readline's echo of a secret goes nowhere. */
class Muffler extends Writable {
  muted = false;
  readonly #target: NodeJS.WritableStream;
  constructor(target: NodeJS.WritableStream) {
    super();
    this.#target = target;
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    if (!this.muted) this.#target.write(chunk);
    done();
  }
}

interface Pending {
  readonly question: string;
  readonly hidden: boolean;
  readonly resolve: (line: string) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Questions on `output` (stderr), answers from `input`: a terminal with hidden input when `input` is one,
 * otherwise one line per answer.
 */
export function createPrompter(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Prompter {
  const terminal = input.isTTY === true;
  const muffler = new Muffler(output);
  const rl = createInterface({ input, output: muffler, terminal });
  // Lines that came before their question (answers piped all at once) wait here, in order: none is lost.
  const lines: string[] = [];
  let ended = false;
  let pending: Pending | undefined;
  rl.on('line', (line: string) => {
    const waiting = pending;
    if (!waiting) {
      lines.push(line);
      return;
    }
    pending = undefined;
    waiting.resolve(line);
  });
  rl.on('close', () => {
    ended = true;
    const waiting = pending;
    pending = undefined;
    waiting?.reject(new InputEndedError('the input ended'));
  });

  const next = (question: string, hidden: boolean) =>
    new Promise<string>((resolve, reject) => {
      const line = lines.shift();
      if (line !== undefined) resolve(line);
      else if (ended) reject(new InputEndedError('the input ended'));
      else pending = { question, hidden, resolve, reject };
    });

  return {
    async ask(question, { hidden = false } = {}) {
      rl.setPrompt(question);
      rl.prompt();
      muffler.muted = hidden && terminal;
      let answered = false;
      try {
        const line = await next(question, hidden);
        answered = true;
        return line;
      } finally {
        // The terminal echoed the Enter of a visible answer; end the line in every other case.
        if (!answered || muffler.muted || !terminal) output.write('\n');
        muffler.muted = false;
      }
    },
    notice(line) {
      if (!pending) {
        output.write(`${line}\n`);
        return;
      }
      if (!terminal) {
        // The question is on the current line: end it, and ask it again after the notice.
        output.write(`\n${line}\n${pending.question}`);
        return;
      }
      // Over the question's line, then the question again; what was typed so far stays (hidden if it was).
      output.write(`\r\u001b[K${line}\n`);
      if (pending.hidden) output.write(pending.question);
      else rl.prompt(true);
    },
    get exhausted() {
      return ended && lines.length === 0;
    },
    onInterrupt(listener) {
      rl.on('SIGINT', listener);
    },
    close() {
      rl.close();
    },
  };
}
