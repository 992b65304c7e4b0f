// driftdeck's watch loop inside the benchmark process, wired exactly as the CLI wires it (makeLoop), so that the
// comparison itself can be timed without Node's start-up, module loading and the first Git clone.
import { rm } from 'node:fs/promises';
import { gitSource, makeLoop } from '../../source/cli/wire.js';
import type { AppState } from '../../source/engine/types.js';
import type { Loop } from '../../source/loop/index.js';
import type { BenchContext } from './context.js';
import { APP } from './manifests.js';
import { sleep } from './stats.js';

export async function startLoop(ctx: BenchContext, intervalSeconds = 10): Promise<Loop> {
  const loop = makeLoop({
    repo: ctx.repo.remote,
    branch: ctx.repo.branch,
    kubeconfig: ctx.cluster.kubeconfig,
    interval: intervalSeconds,
    readonly: false,
    autoSync: false,
  });
  await loop.start();
  const deadline = Date.now() + 30_000;
  while (loop.cluster.connection().state !== 'connected') {
    if (Date.now() > deadline) throw new Error(`the loop could not reach ${loop.cluster.server}`);
    await sleep(100);
  }
  return loop;
}

export function stopLoop(loop: Loop): void {
  loop.stop();
  loop.cluster.close();
}

export function benchApp(loop: Loop): AppState {
  const app = loop.getSnapshot().apps.find((a) => a.name === APP);
  if (!app) throw new Error(`the loop has no app ${APP}`);
  return app;
}

/** Resources of the app by status, e.g. `{ Missing: 1000 }`. */
export function statusCounts(app: AppState): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of app.resources) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

/** The app's resources whose diff could not come from a server-side dry-run. */
export function clientSideDiffs(app: AppState): number {
  return app.resources.filter((r) => r.diffMode === 'client-side').length;
}

/** Removes the Git cache driftdeck made for the run's temporary remote (the commands and the loops share it). */
export async function removeGitCache(ctx: BenchContext): Promise<void> {
  const source = gitSource({ repo: ctx.repo.remote, branch: ctx.repo.branch });
  await rm(source.paths.root, { recursive: true, force: true });
}
