import { execFile, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Everything the command prints is appended here. */
  log?: Writable;
  /** Called for every line of stderr and stdout. */
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

/** Runs a command to completion; resolves with its stdout, rejects with the tail of its output. */
export function runLogged(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    opts.log?.write(`\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let tail = '';
    let partial = '';
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    const feed = (chunk: Buffer, isStdout: boolean) => {
      const text = chunk.toString();
      if (isStdout) stdout += text;
      tail = (tail + text).slice(-4000);
      opts.log?.write(text);
      if (opts.onLine) {
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) opts.onLine(line);
      }
    };
    child.stdout.on('data', (c: Buffer) => feed(c, true));
    child.stderr.on('data', (c: Buffer) => feed(c, false));
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${cmd} ${args[0] ?? ''} exited with ${code ?? signal}: ${tail.trim()}`));
    });
  });
}

/** Runs a short command and returns its stdout. */
export function runQuiet(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { env: opts.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const e = err as NodeJS.ErrnoException;
          if (e.code === 'ENOENT') reject(err);
          else
            reject(
              Object.assign(new Error(`${cmd} ${args.join(' ')}: ${(stderr || e.message).trim()}`), {
                code: e.code,
              }),
            );
        } else resolve(stdout);
      },
    );
  });
}
