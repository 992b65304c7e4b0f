// The console's resources view at 1,000 apps (issue 13): opening a tree of 3,000 Pods, j inside it, and what the
// console writes while it sits still with the tree, a pod's events, or a followed log open (a stream open, nothing
// new on it). Figures from one console-run.ts child run with `--tree`; targets as the apps list's.
import type { ConsoleRun } from '../console-run.js';
import type { IdleWindow } from '../console-tree-steps.js';
import type { SectionContext } from '../context.js';
import { formatBytes, formatMs, percentile } from '../stats.js';

const SECTION = 'console, resources view';
const TARGETS = { keyP95Ms: 30, idleBytesPerSecond: 1024 };

export function treeFigures(ctx: SectionContext, run: ConsoleRun): void {
  const { report } = ctx;
  const tree = run.tree;
  if (!tree) throw new Error('the console run measured no resources view');
  const where = `${run.apps} apps; the first app's tree: ${tree.rows} rows, ${tree.pods} Pods; ${run.terminal} terminal`;
  report.add(SECTION, 'render call to first frame (this run)', 'ms', [run.firstFrameMs], where);
  report.add(SECTION, 'Enter on the app to frame with its tree', 'ms', [tree.openMs], where);
  const keys = tree.keyMs;
  const p50 = percentile(keys, 50);
  const p95 = percentile(keys, 95);
  report.add(
    SECTION,
    `j in the tree to frame showing it (p50 of ${keys.length})`,
    'ms',
    keys,
    `${(tree.keyFrames / keys.length).toFixed(2)} frames and ${Math.round(tree.keyBytes / keys.length)} bytes written per press`,
  );
  report.add(SECTION, `j in the tree to frame showing it (p95 of ${keys.length})`, 'ms', [p95]);
  report.check(
    SECTION,
    `keypress-to-frame in the tree p95 <= ${TARGETS.keyP95Ms} ms`,
    `p95 ${formatMs(p95)}, p50 ${formatMs(p50)}, max ${formatMs(Math.max(...keys))}`,
    p95 <= TARGETS.keyP95Ms,
  );
  report.add(SECTION, 'l on a pod to frame with its log (200 lines)', 'ms', [tree.logsOpenMs]);
  idle(ctx, 'idle, tree open (read again every 2 s)', tree.treeIdle, `${tree.reads.tree} tree reads`);
  idle(ctx, "idle, a pod's events open", tree.eventsIdle, `${tree.reads.events} events reads`);
  idle(
    ctx,
    "idle, a pod's log followed",
    tree.logsIdle,
    `${tree.reads.openLogs} stream open, ${tree.reads.logs} new log requests`,
  );
  report.check(
    SECTION,
    'the log stream stops when its view closes',
    `${tree.openLogsAfterClose} stream(s) open after Esc`,
    tree.openLogsAfterClose === 0,
  );
}

function idle(ctx: SectionContext, what: string, w: IdleWindow, reads: string): void {
  const seconds = w.ms / 1000;
  const bytesPerSecond = w.bytes / seconds;
  const note = `${w.frames} frames, ${w.bytes} bytes in ${seconds.toFixed(1)} s; ${reads} in the window`;
  ctx.report.add(SECTION, `${what}: bytes written`, 'B/s', [bytesPerSecond], note);
  ctx.report.check(
    SECTION,
    `${what}: output <= 1 KB/s`,
    `${formatBytes(bytesPerSecond)}/s (${note})`,
    bytesPerSecond <= TARGETS.idleBytesPerSecond,
  );
}
