import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProgressSink } from './progress.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock between processes (a demo and a test run building at once): a folder created atomically, holding the
 * owner's pid. A lock whose owner died (a killed build) is taken over rather than waited on forever.
 */
export async function withLock<T>(dir: string, sink: ProgressSink, work: () => Promise<T>): Promise<T> {
  let told = false;
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
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      if (!told) sink(`waiting for another driftdeck (pid ${pid || '?'}) that holds ${dir}`);
      told = true;
      await sleep(1000);
    }
  }
  try {
    return await work();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
