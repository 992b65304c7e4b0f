// Running the two command-line tools under test as child processes: timed from spawn to exit, stdout written to a
// file (as `> out.txt` would; read back afterwards to check what the tool reported), stderr kept for the error
// message when a run fails.
//
// Not a pipe: the driftdeck CLI calls process.exit() right after writing, and a pipe that fills up (over 64 KB, the
// 1,000-object diff is megabytes) then loses the rest of the output; writes to a file are synchronous.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { now } from './stats.js';

export interface CommandResult {
  ms: number;
  code: number;
  stdoutBytes: number;
  stdout: string;
  stderr: string;
}

let seq = 0;

export function runCommand(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; keepStdout?: boolean; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const outFile = join(tmpdir(), `driftdeck-bench-out-${process.pid}-${++seq}`);
  const fd = openSync(outFile, 'w');
  const stdoutText = () => {
    const text = readFileSync(outFile, 'utf8');
    rmSync(outFile, { force: true });
    return text;
  };
  return new Promise((resolve, reject) => {
    const start = now();
    const child = spawn(cmd, args, { stdio: ['ignore', fd, 'pipe'], env: opts.env ?? process.env });
    closeSync(fd);
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-8000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      stdoutText();
      reject(new Error(`could not start ${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      const ms = now() - start;
      clearTimeout(timer);
      const stdout = stdoutText();
      resolve({
        ms,
        code: code ?? (signal ? 128 : 0),
        stdoutBytes: Buffer.byteLength(stdout),
        stdout: opts.keepStdout ? stdout : '',
        stderr,
      });
    });
  });
}

/** Runs a command and fails unless its exit code is one of `ok` (kubectl diff and driftdeck diff say 1 = differences). */
export async function mustRun(
  cmd: string,
  args: string[],
  ok: number[] = [0],
  opts: { env?: NodeJS.ProcessEnv; keepStdout?: boolean } = {},
): Promise<CommandResult> {
  const r = await runCommand(cmd, args, opts);
  if (!ok.includes(r.code)) {
    const shown = [cmd.split('/').pop(), ...args].join(' ');
    throw new Error(`\`${shown}\` exited with ${r.code}: ${r.stderr.trim().slice(-2000) || '(no output)'}`);
  }
  return r;
}
