// Re-diff with nothing changed: a loop that has compared once compares again. Every prediction is cached by
// (desired content, live resourceVersion), so no request should reach the API server.
import type { BenchContext } from '../context.js';
import { benchApp, startLoop, statusCounts, stopLoop } from '../inprocess.js';
import { repeat, sleep, timed } from '../stats.js';

export async function rediff(ctx: BenchContext): Promise<void> {
  const section = 're-diff, nothing changed';
  const loop = await startLoop(ctx);
  try {
    // Let the informers deliver anything still in flight, and compare once more to take it in.
    await sleep(2000);
    await loop.compareNow();
    const counts = JSON.stringify(statusCounts(benchApp(loop)));
    const requests: number[] = [];
    const runs = await repeat(Math.max(ctx.options.runs, 5), 0, async () => {
      const before = loop.cluster.requests();
      const { ms } = await timed(() => loop.compareNow());
      requests.push(loop.cluster.requests() - before);
      return ms;
    });
    ctx.report.add(section, 'compareNow() (in process)', 'ms', runs, `app state: ${counts}`);
    ctx.report.add(section, 'API requests per compareNow()', 'requests', requests);
    const most = Math.max(...requests);
    ctx.report.check(
      section,
      're-diff makes 0 API requests',
      `${most} (max over ${requests.length} runs)`,
      most === 0,
    );
  } finally {
    stopLoop(loop);
  }
}
