// The console with 1,000 apps and 10,000 resources (issue 4): time to first frame, keypress-to-frame latency, and
// what it writes while nothing changes; then its resources view (issue 13, sections/console-tree.ts). Each run is a
// child process (console-run.ts) with React's production build, so the first frame is a cold one; the first run also
// presses keys and sits idle, the second opens the resources view, the others only draw once.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConsoleRun, Idle } from '../console-run.js';
import type { SectionContext } from '../context.js';
import { mustRun } from '../exec.js';
import { formatBytes, formatMs, percentile } from '../stats.js';
import { treeFigures } from './console-tree.js';

const SECTION = 'console, 1,000 apps';
const TARGETS = { firstFrameMs: 300, keyP95Ms: 30, idleBytesPerSecond: 1024 };
const PRESSES = 200;
const IDLE_SECONDS = 10;
/** The console's clock (CLOCK_MS in source/ui/console.tsx). */
const CLOCK_MS = 30_000;

export async function consoleSection(ctx: SectionContext): Promise<void> {
  const { report } = ctx;
  const full = await runChild(ctx, ['--presses', String(PRESSES), '--idle-seconds', String(IDLE_SECONDS)]);
  const tree = await runChild(ctx, [
    '--tree',
    '--presses',
    String(PRESSES),
    '--idle-seconds',
    String(IDLE_SECONDS),
  ]);
  // The same list as a fleet of three clusters (issue 15): grouped, with a CLUSTER column and group rows.
  const fleetRun = await runChild(ctx, ['--clusters', '3', '--keys-only', '--presses', String(PRESSES)]);
  const runs = [full, tree];
  for (let i = 1; i < Math.max(ctx.options.runs, 5); i++)
    runs.push(await runChild(ctx, ['--first-frame-only']));
  const loads: number[] = [];
  for (let i = 0; i < runs.length; i++) loads.push(await loadTime(ctx));
  const where = `${full.apps} apps, ${full.resources} resources, ${full.terminal} terminal, NODE_ENV=${full.nodeEnv}`;

  const first = report.add(
    SECTION,
    'render call to first frame with app rows',
    'ms',
    runs.map((r) => r.firstFrameMs),
    `${where}; first frame ${formatBytes(full.firstFrameBytes)}`,
  );
  report.check(
    SECTION,
    `first frame <= ${TARGETS.firstFrameMs} ms`,
    `${formatMs(first.runs.median)} median, ${formatMs(first.runs.max)} max (${runs.length} cold runs)`,
    first.runs.median <= TARGETS.firstFrameMs,
  );
  // Not in the target (it is timed from the render call), but a user waits for it too.
  report.add(SECTION, 'before that: importing the built console (Ink, React, dist/ui)', 'ms', loads);

  const keys = full.keyMs;
  const p50 = percentile(keys, 50);
  const p95 = percentile(keys, 95);
  report.add(SECTION, `j pressed to frame showing it (p50 of ${keys.length})`, 'ms', keys);
  report.add(SECTION, `j pressed to frame showing it (p95 of ${keys.length})`, 'ms', [p95]);
  report.check(
    SECTION,
    `keypress-to-frame p95 <= ${TARGETS.keyP95Ms} ms`,
    `p95 ${formatMs(p95)}, p50 ${formatMs(p50)}, max ${formatMs(Math.max(...keys))}`,
    p95 <= TARGETS.keyP95Ms,
  );

  const fleetKeys = fleetRun.keyMs;
  const fleetP95 = percentile(fleetKeys, 95);
  report.add(
    SECTION,
    `fleet of 3 clusters, grouped: j pressed to frame (p95 of ${fleetKeys.length})`,
    'ms',
    [fleetP95],
    `p50 ${formatMs(percentile(fleetKeys, 50))}, max ${formatMs(Math.max(...fleetKeys))}`,
  );
  report.check(
    SECTION,
    `fleet of 3 clusters: keypress-to-frame p95 <= ${TARGETS.keyP95Ms} ms`,
    `p95 ${formatMs(fleetP95)}, p50 ${formatMs(percentile(fleetKeys, 50))}`,
    fleetP95 <= TARGETS.keyP95Ms,
  );
  if (fleetRun.stderr) report.note(`console (fleet) wrote to stderr: ${fleetRun.stderr.slice(0, 500)}`);

  if (!full.idle || !full.publishing) throw new Error('the console run measured no idle windows');
  idleFigures(ctx, 'idle, snapshot version still', full.idle);
  idleFigures(ctx, 'idle, unchanged snapshot published every 1 s', full.publishing);
  // What the real loop publishes while nothing happens: a poll that moves `lastPoll` and nothing else.
  if (full.polling) idleFigures(ctx, 'idle, the loop polling every 1 s, nothing new', full.polling);
  report.note(`console: ${where}; colours on; the idle windows follow ${keys.length} j presses`);
  if (full.stderr) report.note(`console wrote to stderr: ${full.stderr.slice(0, 500)}`);
  treeFigures(ctx, tree);
  if (tree.stderr) report.note(`console (resources view) wrote to stderr: ${tree.stderr.slice(0, 500)}`);
}

function idleFigures(ctx: SectionContext, what: string, idle: Idle): void {
  const seconds = idle.ms / 1000;
  const bytesPerSecond = idle.bytes / seconds;
  // The console's clock ticks every 30 s from the start; a tick that changes an age on screen redraws it.
  const tick = Math.ceil(idle.from / CLOCK_MS) * CLOCK_MS;
  const clock =
    tick <= idle.from + idle.ms ? `a clock tick (${tick / 1000} s) in the window` : 'no clock tick';
  const note = `${idle.frames} frames, ${idle.bytes} bytes in ${seconds.toFixed(1)} s, ${(idle.from / 1000).toFixed(1)} s after start; ${idle.publishes} publishes; ${clock}`;
  ctx.report.add(SECTION, `${what}: redraws`, '/s', [idle.frames / seconds], note);
  ctx.report.add(SECTION, `${what}: bytes written`, 'B/s', [bytesPerSecond], note);
  ctx.report.check(
    SECTION,
    `${what}: output <= 1 KB/s`,
    `${formatBytes(bytesPerSecond)}/s (${idle.frames} frames in ${seconds.toFixed(1)} s, ${clock})`,
    bytesPerSecond <= TARGETS.idleBytesPerSecond,
  );
}

/** How long plain Node takes to import the built console (what `driftdeck` does before its first render). */
async function loadTime(ctx: SectionContext): Promise<number> {
  const url = pathToFileURL(join(ctx.pkg, 'dist', 'ui', 'app.js')).href;
  const code = `const t = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t);`;
  const env = { ...process.env, NODE_ENV: 'production' };
  const r = await mustRun(process.execPath, ['--input-type=module', '-e', code], [0], {
    env,
    keepStdout: true,
  });
  return Number(r.stdout.trim());
}

async function runChild(ctx: SectionContext, args: string[]): Promise<ConsoleRun> {
  // React reads NODE_ENV when it is first loaded. Ink writes no frames at all when it thinks it runs in CI, and
  // chalk would see a pipe and drop colours: none of that is what a user's terminal gets.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '3' };
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION', 'NO_COLOR']) delete env[key];
  const script = join(ctx.pkg, 'scripts', 'bench', 'console-run.ts');
  const r = await mustRun(process.execPath, ['--import', import.meta.resolve('tsx'), script, ...args], [0], {
    env,
    keepStdout: true,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as ConsoleRun;
  } catch {
    throw new Error(`console-run.ts printed no result: ${r.stdout.slice(-500)} ${r.stderr.slice(-500)}`);
  }
}
