// Helpers for UI tests: wait for a frame instead of sleeping, press real key sequences, and render at a chosen
// terminal size (ink-testing-library's stdout is fixed at 100 columns with no rows).
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';

export const KEYS = {
  up: '\x1b[A',
  down: '\x1b[B',
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  pageDown: '\x1b[6~',
  pageUp: '\x1b[5~',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping terminal escapes is the point
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>78]/g;

export function plain(text: string | undefined): string {
  return (text ?? '').replace(ANSI, '');
}

export const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll the frame until it shows `expected` (text or predicate), failing with the last frame after `timeoutMs`. */
export async function waitFor(
  frame: () => string | undefined,
  expected: string | ((frame: string) => boolean),
  timeoutMs = 2000,
): Promise<string> {
  const test = typeof expected === 'string' ? (f: string) => f.includes(expected) : expected;
  const started = Date.now();
  let last = plain(frame());
  while (Date.now() - started < timeoutMs) {
    last = plain(frame());
    if (test(last)) return last;
    await tick(10);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${typeof expected === 'string' ? JSON.stringify(expected) : 'a predicate'}; last frame:\n${last}`,
  );
}

/** Write keys one at a time, letting Ink settle a lone Esc (it waits a tick to tell Esc from an escape sequence). */
export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    stdin.write(key);
    await tick(5);
  }
}

export class FakeStdout extends EventEmitter {
  columns: number;
  rows: number;
  isTTY = true;
  frames: string[] = [];
  bytes = 0;
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (data: string) => {
    this.frames.push(data);
    this.bytes += Buffer.byteLength(data);
    return true;
  };
  lastFrame = () => this.frames[this.frames.length - 1];
  resize(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/**
 * Wait until `stdout` has written nothing for `quietMs` (a render that was still on its way under load has landed),
 * failing after `maxMs` if it never goes quiet: output that keeps coming is exactly what the callers look for.
 */
export async function settled(stdout: FakeStdout, quietMs = 300, maxMs = 5000): Promise<void> {
  const start = Date.now();
  let bytes = stdout.bytes;
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() - start > maxMs) throw new Error(`still writing after ${maxMs} ms`);
    await tick(20);
    if (stdout.bytes !== bytes) {
      bytes = stdout.bytes;
      since = Date.now();
    }
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** Render with Ink's debug output (one full frame per write) into a terminal of the given size. */
export function renderSized(node: ReactElement, columns: number, rows: number) {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const stderr = new FakeStdout(columns, rows);
  const instance = render(node, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { stdout, stdin, lastFrame: stdout.lastFrame, unmount: () => instance.unmount() };
}
