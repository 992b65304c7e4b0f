// A real terminal for end-to-end tests: a detached tmux session on a private socket (`-L driftdeck-e2e-<pid>`), keys
// sent with send-keys and the screen read back with capture-pane. Waiting is always for something on the screen,
// polled, never a fixed sleep. `kill` removes the whole tmux server of this socket, so nothing outlives a test.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SessionOptions {
  /** The program and its arguments, run without a shell in between (quoted for tmux's shell here). */
  argv: string[];
  width: number;
  height: number;
  /** Variables added to the environment of the program (and of the tmux server that starts it). */
  env?: Record<string, string>;
  /** Variables removed from that environment. */
  unset?: string[];
  cwd?: string;
  /** Socket name prefix (default `driftdeck-e2e`); the process id is appended. */
  socket?: string;
}

/** Quotes one word for the POSIX shell tmux runs the session's command with. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

let sessions = 0;

export class TmuxSession {
  private constructor(
    readonly socket: string,
    readonly target: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /**
   * Starts `argv` in a new detached session of the given size. The command runs in `sh -c '<argv>; echo EXITED $?;
   * exec sleep'`, so when the program ends the pane stays, showing `EXITED <code>` under whatever the program left.
   */
  static async start(options: SessionOptions): Promise<TmuxSession> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    // Never attach to (or nest in) a tmux the tests happen to run inside.
    delete env.TMUX;
    delete env.TMUX_PANE;
    for (const name of options.unset ?? []) delete env[name];
    // tmux reads the program's output as UTF-8 (box drawing, ellipses) only under a UTF-8 locale.
    const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
    if (!/utf-?8/i.test(locale)) env.LC_ALL = 'C.UTF-8';
    const socket = `${options.socket ?? 'driftdeck-e2e'}-${process.pid}`;
    const name = `e2e${++sessions}`;
    const session = new TmuxSession(socket, name, env);
    const command = `${options.argv.map(shellQuote).join(' ')}; echo "EXITED $?"; exec sleep 86400`;
    await session.tmux([
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(options.width),
      '-y',
      String(options.height),
      ...(options.cwd ? ['-c', options.cwd] : []),
      ...Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      command,
    ]);
    // A session whose size follows no client: the window keeps exactly the size asked for.
    await session.tmux(['set-option', '-t', name, 'window-size', 'manual']).catch(() => undefined);
    return session;
  }

  private async tmux(args: string[]): Promise<string> {
    // `-f /dev/null`: no user configuration (status line, key bindings, terminal type) changes what is tested.
    const { stdout } = await run('tmux', ['-f', '/dev/null', '-L', this.socket, ...args], {
      env: this.env,
      encoding: 'utf8',
      maxBuffer: 8 * 1024 * 1024,
    });
    return stdout;
  }

  /** Sends tmux key names (`s`, `Enter`, `Escape`, `Tab`, `BTab`, `Down`, `C-c`), one keypress each, in order. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.tmux(['send-keys', '-t', this.target, key]);
  }

  /** Types text literally (no key-name lookup), e.g. a filter or a `:` command. */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', this.target, '-l', text]);
  }

  /** The visible screen as plain text, one line per row. */
  async screen(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-t', this.target]);
  }

  /** The visible screen with its escape sequences (colours, bold, reverse). */
  async screenWithAttributes(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-e', '-t', this.target]);
  }

  /**
   * Appends every byte the program writes from now on to `file` (tmux pipe-pane): what a terminal would be told,
   * escape sequences and all, which the screen (already interpreted) cannot show.
   */
  async record(file: string): Promise<void> {
    await this.tmux(['pipe-pane', '-o', '-t', this.target, `cat >> ${shellQuote(file)}`]);
  }

  /**
   * Lets the program set tmux's clipboard with OSC 52, as a terminal with clipboard access would; `buffers` then
   * lists what was set.
   */
  async acceptClipboard(): Promise<void> {
    await this.tmux(['set-option', '-s', 'set-clipboard', 'on']);
  }

  /** The paste buffers of this tmux server (a program's OSC 52 lands here), as short samples. */
  async buffers(): Promise<string[]> {
    const out = await this.tmux(['list-buffers', '-F', '#{buffer_sample}']).catch(() => '');
    return out.split('\n').filter(Boolean);
  }

  /** A tmux format value of the pane, e.g. `alternate_on` or `cursor_flag`. */
  async paneFormat(name: string): Promise<string> {
    return (await this.tmux(['display-message', '-p', '-t', this.target, `#{${name}}`])).trim();
  }

  /** Polls the screen until `pattern` matches it; resolves with that screen, or fails showing the last one. */
  async waitForText(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    return this.waitForScreen(`${pattern}`, (screen) => pattern.test(screen), timeoutMs);
  }

  /**
   * Polls the screen until `check` accepts it; a check that throws (a pane not on screen yet) means not yet. The
   * screen accepted must read the same once more right after: a capture taken while the program was still writing
   * a frame can pass a check on its top rows and hold nothing below them.
   */
  async waitForScreen(what: string, check: (screen: string) => boolean, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      last = await this.screen();
      try {
        if (check(last) && (await this.screen()) === last) return last;
      } catch {
        // not there yet
      }
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen was:\n${last}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Ends the session and its tmux server (and the program in it), and removes the socket. Safe to call twice. */
  async kill(): Promise<void> {
    const socket = await this.tmux(['display-message', '-p', '#{socket_path}']).then(
      (out) => out.trim(),
      () => '',
    );
    await this.tmux(['kill-server']).catch(() => undefined);
    if (socket) await rm(socket, { force: true });
  }
}
