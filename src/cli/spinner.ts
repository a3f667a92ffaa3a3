const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Spinner {
  start(): void;
  stop(): void;
}

/** A spinner on `stream` while a request is in flight; nothing at all when `stream` is not a terminal. */
export function createSpinner(stream: NodeJS.WriteStream, text: string): Spinner {
  if (!stream.isTTY) return { start() {}, stop() {} };
  let timer: NodeJS.Timeout | undefined;
  let frame = 0;
  const draw = () => {
    stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${text}`);
  };
  return {
    start() {
      if (timer) return;
      draw();
      timer = setInterval(draw, 80);
    },
    stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      stream.write('\r\u001b[K');
    },
  };
}
