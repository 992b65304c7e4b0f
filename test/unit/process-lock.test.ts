import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withLock } from '../../source/process-lock.js';

async function lockHeldBy(pid: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'driftdeck-lock-'));
  const dir = join(root, 'x.lock');
  await mkdir(dir);
  await writeFile(join(dir, 'pid'), String(pid));
  return dir;
}

test('a lock whose holder died is taken over, and released after the work', async (t) => {
  const dead = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => dead.once('exit', resolve));
  const dir = await lockHeldBy(dead.pid ?? 0);
  t.after(() => rm(join(dir, '..'), { recursive: true, force: true }));
  const seen = await withLock(
    dir,
    () => undefined,
    () => readFile(join(dir, 'pid'), 'utf8'),
    { pollMs: 20 },
  );
  assert.equal(seen, String(process.pid), 'the lock holds our pid while the work runs');
  await assert.rejects(readFile(join(dir, 'pid')), 'released afterwards');
});

test('a living holder is waited for, and the wait can give up with the caller error', async (t) => {
  const holder = spawn('sleep', ['30']);
  t.after(() => holder.kill('SIGKILL'));
  const dir = await lockHeldBy(holder.pid ?? 0);
  t.after(() => rm(join(dir, '..'), { recursive: true, force: true }));
  let ran = false;
  const lines: string[] = [];
  await assert.rejects(
    withLock(
      dir,
      (line) => lines.push(line),
      async () => {
        ran = true;
      },
      { waitMs: 100, pollMs: 20, timeoutError: (who) => new Error(`busy: ${who}`) },
    ),
    new RegExp(`^Error: busy: another driftdeck \\(pid ${holder.pid}\\) that holds `),
  );
  assert.equal(ran, false, 'the work never ran under another holder');
  assert.equal(lines.length, 1, 'the wait is told once');
});
