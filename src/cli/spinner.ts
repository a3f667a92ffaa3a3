const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Spinner {
  /** Spins with `text` (or what `text()` says at each frame, for a countdown); a running spinner takes the new text. */
  start(text: string | (() => string)): void;
  stop(): void;
}

/** A spinner on `stream` while a request is in flight; nothing at all when `stream` is not a terminal. */
export function createSpinner(stream: NodeJS.WriteStream): Spinner {
  if (!stream.isTTY) return { start() {}, stop() {} };
  let timer: NodeJS.Timeout | undefined;
  let frame = 0;
  let label: () => string = () => '';
  const draw = () => {
    stream.write(`\r\u001b[K${FRAMES[frame++ % FRAMES.length]} ${label()}`);
  };
  return {
    start(text) {
      label = typeof text === 'string' ? () => text : text;
      draw();
      if (!timer) timer = setInterval(draw, 80);
    },
    stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      stream.write('\r\u001b[K');
    },
  };
}
