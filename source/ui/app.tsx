// Entry point of the console: take over the terminal (alternate screen, hidden cursor), render the root component
// and give the terminal back exactly as it was, on quit, on Ctrl-C, on signals and on errors nobody caught.
import { type Instance, render } from 'ink';
import type { Controller } from '../engine/types.js';
import { Console } from './console.js';
import { ErrorBoundary } from './error-boundary.js';

export { Console, type ConsoleProps } from './console.js';

export interface ConsoleOptions {
  readonly: boolean;
  noColor: boolean;
  /** Command name -> keys (see `COMMANDS` in keymap.ts), replacing that command's default keys. */
  keymapOverrides?: Record<string, string[]>;
}

/** Streams to use instead of the process's own; for tests. */
export interface ConsoleStreams {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

// Bracketed paste on (?2004h) while the console runs, so pasted text is told apart from keys typed quickly.
export const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l\x1b[?2004h';
export const LEAVE_ALT_SCREEN = '\x1b[?2004l\x1b[?25h\x1b[?1049l';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Run the console until the user quits. Resolves on quit (q, :q, Ctrl-C, SIGINT/SIGTERM/SIGHUP); rejects, after
 * the terminal is restored, with the error that stopped it (an uncaught exception or unhandled rejection anywhere
 * in the process, or a render error), so the caller can print one line and pick an exit code.
 */
export async function runConsole(
  controller: Controller,
  options: ConsoleOptions,
  streams: ConsoleStreams = {},
): Promise<void> {
  const stdout = streams.stdout ?? process.stdout;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    stdout.write(LEAVE_ALT_SCREEN);
  };
  let instance: Instance | undefined;
  let fatal: Error | undefined;
  const fail = (error: unknown) => {
    fatal ??= asError(error);
    instance?.unmount();
  };
  const stop = () => instance?.unmount();

  stdout.write(ENTER_ALT_SCREEN);
  process.on('exit', restore);
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  for (const signal of SIGNALS) process.on(signal, stop);
  try {
    instance = render(
      <ErrorBoundary onError={fail}>
        <Console
          controller={controller}
          readonly={options.readonly}
          noColor={options.noColor}
          keymapOverrides={options.keymapOverrides}
        />
      </ErrorBoundary>,
      {
        stdout,
        stdin: streams.stdin ?? process.stdin,
        stderr: streams.stderr ?? process.stderr,
        // Ctrl-C is a key like any other here (mapped to quit), so the terminal is restored on the same path.
        exitOnCtrlC: false,
        patchConsole: true,
        // Not `incrementalRendering`: in Ink 6.8 it moves up one row too few when the previous frame ended with a
        // newline, so each redraw lands a row lower in a real terminal. A full redraw happens only when the text
        // changed, at most a few times a second thanks to sampling, and never while idle.
        incrementalRendering: false,
        // No frame cap: engine changes already reach the screen at the sampling rate (250 ms), and a cap here
        // only delays the frame that answers a key.
        maxFps: 0,
      },
    );
    // `fail` may have run while rendering, before `instance` existed.
    if (fatal) instance.unmount();
    await instance.waitUntilExit();
  } catch (error) {
    fatal ??= asError(error);
  } finally {
    process.off('uncaughtException', fail);
    process.off('unhandledRejection', fail);
    for (const signal of SIGNALS) process.off(signal, stop);
    process.off('exit', restore);
    restore();
  }
  if (fatal) throw fatal;
}
