// Commit pushed to change detected: a loop polling every second; a commit changes one Deployment's image; the clock
// runs from the end of `git push` until the snapshot shows the app OutOfSync with that Deployment's diff holding the
// new image.
import { pushChange } from '../../../source/demo/index.js';
import type { Loop } from '../../../source/loop/index.js';
import type { BenchContext } from '../context.js';
import { benchApp, startLoop, stopLoop } from '../inprocess.js';
import { imageOf } from '../manifests.js';
import { now } from '../stats.js';

function detected(loop: Loop, name: string, image: string): boolean {
  const app = benchApp(loop);
  if (app.sync !== 'OutOfSync') return false;
  const res = app.resources.find((r) => r.key.kind === 'Deployment' && r.key.name === name);
  return !!res && res.status === 'OutOfSync' && res.diff.includes(image);
}

/** Resolves with the time at which `check` first held, looking at every snapshot the loop publishes. */
function whenTrue(loop: Loop, check: () => boolean, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = (fn: () => void) => {
      clearTimeout(timer);
      unsubscribe();
      fn();
    };
    const unsubscribe = loop.subscribe(() => {
      if (check()) done(() => resolve(now()));
    });
    const timer = setTimeout(() => done(() => reject(new Error('change not detected in time'))), timeoutMs);
  });
}

export async function detect(ctx: BenchContext): Promise<void> {
  const section = 'commit pushed to change detected';
  const target = ctx.manifests.detectionTarget();
  const loop = await startLoop(ctx, 1);
  const times: number[] = [];
  try {
    let tag = 'v1';
    for (let run = 0; run < ctx.options.detectRuns; run++) {
      const next = `detect-${run + 1}`;
      const image = imageOf(target.index, next);
      const seen = whenTrue(loop, () => detected(loop, target.name, image), 60_000);
      await pushChange(ctx.repo.workdir, {
        file: target.file,
        replace: [`image: ${imageOf(target.index, tag)}`, `image: ${image}`],
        message: `bench: ${target.name} to ${next}`,
      });
      const pushed = now();
      const at = await seen;
      times.push(Math.max(0, at - pushed));
      console.log(`  run ${run + 1}: ${Math.round(at - pushed)} ms`);
      tag = next;
    }
  } finally {
    stopLoop(loop);
  }
  ctx.report.add(section, 'push -> OutOfSync with the new image (--interval 1 s)', 'ms', times);
}
