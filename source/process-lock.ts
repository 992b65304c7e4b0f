// A lock between processes on this machine, shared by the adapters that write a folder other driftdeck processes
// also write: the local cluster's build, and Git's revert work clone.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LockOptions {
  /** Gives up waiting for a living holder after this long (default: waits as long as it lives). */
  waitMs?: number;
  /** Builds the error thrown when the wait runs out. */
  timeoutError?: (holder: string) => Error;
  /** Time between two looks at the lock (default 1 s). */
  pollMs?: number;
}

/**
 * A lock between processes (a demo and a test run building at once, two reverts of one remote): a folder created
 * atomically, holding the owner's pid. A lock whose owner died (a killed build) is taken over rather than waited on
 * forever. Within one process, callers must serialise themselves first: the owner's own pid looks alive.
 */
export async function withLock<T>(
  dir: string,
  sink: (line: string) => void,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  let told = false;
  const started = Date.now();
  for (;;) {
    try {
      await mkdir(dir);
      await writeFile(join(dir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(await readFile(join(dir, 'pid'), 'utf8').catch(() => ''));
      // No pid yet: the owner is between mkdir and writeFile, unless that was long ago (it died there).
      const age = Date.now() - ((await stat(dir).catch(() => undefined))?.mtimeMs ?? 0);
      if ((!pid && age > 10_000) || (pid && !alive(pid))) {
        // Another waiter may have taken the stale lock over meanwhile: only the dead owner's folder is removed.
        const still = Number(await readFile(join(dir, 'pid'), 'utf8').catch(() => ''));
        if (still === pid) await rm(dir, { recursive: true, force: true });
        continue;
      }
      const holder = `another driftdeck (pid ${pid || '?'}) that holds ${dir}`;
      if (options.waitMs !== undefined && Date.now() - started > options.waitMs) {
        throw options.timeoutError?.(holder) ?? new Error(`gave up waiting for ${holder}`);
      }
      if (!told) sink(`waiting for ${holder}`);
      told = true;
      await sleep(options.pollMs ?? 1000);
    }
  }
  try {
    return await work();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
