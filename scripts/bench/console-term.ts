// A terminal for the console benchmark: a TTY-like stdout that counts what Ink writes (bytes, frames, when) and can
// resolve a promise at the very write that shows some text, and a stdin that keys are written to. Neither imports
// Ink or React, so the measurement can time loading them separately. (Like test/unit/ui/harness.tsx, with times.)
import { EventEmitter } from 'node:events';

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping terminal escapes is the point
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>78]/g;
/** Ink brackets each frame in these ("synchronized update") when the stream is a TTY; they are not frames. */
const SYNC_MARKS = new Set(['\x1b[?2026h', '\x1b[?2026l']);

export const plain = (text: string) => text.replace(ANSI, '');

interface Waiter {
  test: (text: string) => boolean;
  resolve: (at: number) => void;
}

export class BenchStdout extends EventEmitter {
  isTTY = true;
  /** Writes that carried output (synchronized-update markers left out). */
  frames = 0;
  bytes = 0;
  last = '';
  private waiter: Waiter | undefined;

  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }

  write = (data: string | Uint8Array, ...rest: unknown[]): boolean => {
    const at = performance.now();
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    this.bytes += Buffer.byteLength(text);
    if (!SYNC_MARKS.has(text)) {
      this.frames++;
      this.last = text;
      const { waiter } = this;
      if (waiter?.test(plain(text))) {
        this.waiter = undefined;
        waiter.resolve(at);
      }
    }
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };

  /** performance.now() of the first write from now on whose text (escapes stripped) passes `test`. */
  nextFrame(test: (text: string) => boolean, timeoutMs = 5000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no frame within ${timeoutMs} ms; last one:\n${plain(this.last).slice(-3000)}`));
      }, timeoutMs);
      this.waiter = {
        test,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
    });
  }

  /** Frames and bytes written while `during` runs. */
  async count(during: () => Promise<void>): Promise<{ frames: number; bytes: number }> {
    const frames = this.frames;
    const bytes = this.bytes;
    await during();
    return { frames: this.frames - frames, bytes: this.bytes - bytes };
  }
}

export class BenchStdin extends EventEmitter {
  isTTY = true;
  private queued: string[] = [];
  /** Delivers `data` as a terminal does: Ink reads it on 'readable', synchronously, inside this call. */
  write(data: string): void {
    this.queued.push(data);
    this.emit('readable');
  }
  read(): string | null {
    return this.queued.shift() ?? null;
  }
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}
