import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** The input ended (Ctrl-D, a closed pipe) or was closed by a cancel while a question waited. */
export class InputEndedError extends Error {
  override name = 'InputEndedError';
}

export interface Prompter {
  /** Asks one question and resolves with the line typed (or piped). Hidden answers are not echoed. */
  ask(question: string, options?: { readonly hidden?: boolean }): Promise<string>;
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

/**
 * Questions on `output` (stderr), answers from `input`: a terminal with hidden input when `input` is one,
 * otherwise one line per answer.
 */
export function createPrompter(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Prompter {
  const terminal = input.isTTY === true;
  const muffler = new Muffler(output);
  const rl = createInterface({ input, output: muffler, terminal });
  // An iterator, not rl.question: answers piped before their question are buffered, not lost.
  const lines = rl[Symbol.asyncIterator]();

  return {
    async ask(question, { hidden = false } = {}) {
      rl.setPrompt(question);
      rl.prompt();
      muffler.muted = hidden && terminal;
      let answered = false;
      try {
        const { value, done } = await lines.next();
        if (done) throw new InputEndedError('the input ended');
        answered = true;
        return value;
      } finally {
        // The terminal echoed the Enter of a visible answer; end the line in every other case.
        if (!answered || muffler.muted || !terminal) output.write('\n');
        muffler.muted = false;
      }
    },
    onInterrupt(listener) {
      rl.on('SIGINT', listener);
    },
    close() {
      rl.close();
    },
  };
}
