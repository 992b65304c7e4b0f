// The fleet (issue 15): the built agent against `--fleet-apps` apps of `--fleet-objects` objects each (1,000 x 50
// by default) on the local cluster. From empty: the time to a status for every app and to every object synced, and
// the peak memory that costs; at rest: memory, CPU and API requests; a commit to one app among them seen OutOfSync;
// then the agent started again: the time to a status for every app, and the syncs it starts (target 0).
import { join } from 'node:path';
import { type AgentLine, BenchAgent, freePort, processUsage } from '../agent-process.js';
import type { LoopConsoleRun } from '../console-loop-run.js';
import type { BenchContext } from '../context.js';
import { mustRun } from '../exec.js';
import {
  createFleetRepo,
  fleetAppFile,
  fleetAppName,
  fleetChangeFile,
  fleetNamespaces,
} from '../fleet-repo.js';
import { pushFiles } from '../repo.js';
import { formatBytes, formatMs, now, percentile, sleep } from '../stats.js';

/** The agent's default poll interval: the commit-to-OutOfSync target is this plus one second. */
const INTERVAL_S = 10;
const REST_MS = 30_000;
/** The report's MB (formatBytes) are 2^20 bytes: the targets are checked in the unit they are shown in. */
const MB = 1024 * 1024;
const SECTION = 'fleet';
const log = (line: string) => console.log(`  ${line}`);

export async function fleet(ctx: BenchContext): Promise<void> {
  const shape = { apps: ctx.options.fleetApps, objects: ctx.options.fleetObjects, namespaces: 20 };
  const total = shape.apps * shape.objects;
  const apps = Array.from({ length: shape.apps }, (_, i) => fleetAppName(i));
  log(`${shape.apps} apps of ${shape.objects} objects (${total}) in ${shape.namespaces} namespaces`);
  const repo = await createFleetRepo(ctx.root, shape);
  for (const ns of fleetNamespaces(shape)) await ctx.kubectl(['create', 'namespace', ns]);
  const args = [
    '--repo',
    repo.remote,
    '--kubeconfig',
    ctx.cluster.kubeconfig,
    '--interval',
    String(INTERVAL_S),
  ];
  const known = (agent: BenchAgent) =>
    apps.every((a) => (agent.status.get(a)?.sync ?? 'Unknown') !== 'Unknown');
  const synced = (agent: BenchAgent) => apps.every((a) => agent.status.get(a)?.sync === 'Synced');
  const { report } = ctx;
  // BENCH_FLEET_CONSOLE_ONLY=1: only the console during a fleet sync (its first one, from empty), for profiling it.
  if (process.env.BENCH_FLEET_CONSOLE_ONLY === '1') {
    await consoleDuringFleetSync(ctx, repo, shape, apps);
    return;
  }

  let agent = new BenchAgent(ctx.pkg, args, await freePort());
  try {
    const statusAt = await agent.until('a status for every app', () => known(agent), 600_000);
    log(`a status for every app after ${formatMs(statusAt - agent.startedAt)}`);
    const syncedAt = await agent.until('every app Synced', () => synced(agent), 3_600_000);
    log(`every app Synced after ${formatMs(syncedAt - agent.startedAt)}`);
    report.add(SECTION, `from empty: start to a status for all ${shape.apps} apps`, 'ms', [
      statusAt - agent.startedAt,
    ]);
    report.add(SECTION, `from empty: start to all ${total} objects synced`, 'ms', [
      syncedAt - agent.startedAt,
    ]);
    const syncPeak = processUsage(agent.pid).peakBytes;
    report.add(SECTION, 'peak RSS, start from empty and first sync of everything', 'B', [syncPeak]);

    await sleep(20_000);
    const rest = await atRest(agent);
    report.add(SECTION, `RSS at rest (${REST_MS / 1000} s, after the sync)`, 'B', rest.rss);
    // The quiet-time collection after the sync (agent/idle-collect.ts) copies the survivors: its peak counts too.
    const quietPeak = processUsage(agent.pid).peakBytes;
    report.add(SECTION, 'peak RSS, including the collection once the sync is over', 'B', [quietPeak]);
    report.add(SECTION, 'CPU at rest (share of one core)', '%', [rest.cpuPercent]);
    report.add(SECTION, 'API requests at rest', '/s', [rest.requestsPerSecond]);
    // Where the resident memory is: V8's heap in use and as allocated, and memory outside it (buffers).
    const m = await agent.metrics();
    for (const [name, what] of [
      ['nodejs_heap_size_used_bytes', 'JS heap in use at rest'],
      ['nodejs_heap_size_total_bytes', 'JS heap allocated at rest'],
      ['nodejs_external_memory_bytes', 'memory outside the JS heap (buffers) at rest'],
      ['driftdeck_idle_collections_total', 'full collections the agent asked for when quiet, so far'],
    ] as const)
      report.add(SECTION, what, name.endsWith('_total') ? 'requests' : 'B', [m.get(name) ?? Number.NaN]);
    report.check(
      SECTION,
      'RSS at rest <= 300 MB',
      formatBytes(Math.max(...rest.rss)),
      Math.max(...rest.rss) <= 300 * MB,
    );
    report.check(SECTION, 'peak RSS <= 600 MB', formatBytes(quietPeak), quietPeak <= 600 * MB);
    // With BENCH_AGENT_NODE_ARGS="--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=DIR": the agent's heap at rest.
    if (process.env.BENCH_AGENT_HEAP_SNAPSHOT === '1') {
      process.kill(agent.pid, 'SIGUSR2');
      log('asked the agent for a heap snapshot at rest (SIGUSR2)');
      await sleep(30_000);
    }

    const detect: number[] = [];
    for (let run = 1; run <= 3; run++) detect.push(await commitSeen(agent, repo, shape, run));
    report.add(
      SECTION,
      `commit -> OutOfSync, one app of ${shape.apps} (--interval ${INTERVAL_S})`,
      'ms',
      detect,
    );
    report.check(
      SECTION,
      `commit -> OutOfSync <= interval + 1 s (${INTERVAL_S + 1} s)`,
      formatMs(Math.max(...detect)),
      Math.max(...detect) <= (INTERVAL_S + 1) * 1000,
    );
    await agent.until('every app Synced again', () => synced(agent), 600_000);
  } finally {
    await agent.stop();
  }

  agent = new BenchAgent(ctx.pkg, args, await freePort());
  try {
    const statusAt = await agent.until('a status for every app after a restart', () => known(agent), 600_000);
    const restart = statusAt - agent.startedAt;
    log(`restart: a status for every app after ${formatMs(restart)}`);
    // Two polls with nothing new: what a restart re-does shows up here.
    await sleep(2 * INTERVAL_S * 1000 + 5000);
    const syncs = agent.syncsStarted();
    const peak = processUsage(agent.pid).peakBytes;
    report.add(SECTION, `restart: start to a status for all ${shape.apps} apps`, 'ms', [restart]);
    report.add(SECTION, 'restart: syncs started in its first two polls', 'requests', [syncs]);
    report.add(SECTION, 'restart: peak RSS', 'B', [peak]);
    report.check(SECTION, 'restart: start to full status <= 10 s', formatMs(restart), restart <= 10_000);
    report.check(SECTION, 'restart: syncs started = 0', String(syncs), syncs === 0);
    report.check(SECTION, 'restart: peak RSS <= 600 MB', formatBytes(peak), peak <= 600 * MB);
  } finally {
    await agent.stop();
  }
  await consoleDuringFleetSync(ctx, repo, shape, apps);
  report.note(
    `fleet: one local cluster (kwok, ${Math.ceil(shape.apps / 100) + 2} nodes), ${shape.apps} apps x ${shape.objects} objects; the agent's own process measured from /proc`,
  );
}

/**
 * A commit that changes every app, with no agent running: a console opened on the repository auto-syncs the whole
 * fleet itself (10 at a time), and `j` is pressed while those syncs run in the same process.
 */
async function consoleDuringFleetSync(
  ctx: BenchContext,
  repo: Awaited<ReturnType<typeof createFleetRepo>>,
  shape: { apps: number; objects: number },
  apps: string[],
): Promise<void> {
  const files = new Map(
    apps.map((app, i) => [fleetChangeFile(i), fleetAppFile(app, shape.objects, 'fleet-wide')] as const),
  );
  await pushFiles(repo, files, 'fleet: every app changed');
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '3' };
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION', 'NO_COLOR']) delete env[key];
  const script = join(ctx.pkg, 'scripts', 'bench', 'console-loop-run.ts');
  const r = await mustRun(
    process.execPath,
    [
      // BENCH_CONSOLE_NODE_ARGS reach the console's node alone (`--cpu-prof --cpu-prof-dir=/tmp/prof`).
      ...(process.env.BENCH_CONSOLE_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--import',
      import.meta.resolve('tsx'),
      script,
      '--repo',
      repo.remote,
      '--kubeconfig',
      ctx.cluster.kubeconfig,
      // BENCH_CONSOLE_SAME_THREAD=1: the loop in the console's thread, as before it had one of its own.
      ...(process.env.BENCH_CONSOLE_SAME_THREAD === '1' ? ['--same-thread'] : []),
    ],
    [0],
    { env, keepStdout: true },
  );
  const run = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as LoopConsoleRun;
  if (!Array.isArray(run.keyMs))
    throw new Error(`console-loop-run.ts printed no result: ${r.stderr.slice(-500)}`);
  log(
    `console on its own loop (loop in ${run.loopThread === 'own' ? 'its own thread' : "the console's thread"}): ${run.syncingAtStart} syncs running, ${run.syncsDuringPresses} finished during ${run.keyMs.length} presses; j p95 ${formatMs(percentile(run.keyMs, 95))}`,
  );
  const gc = run.gcPausesMs;
  log(
    `console's thread: ${gc.length} collections during the presses, ${formatMs(gc.reduce((a, b) => a + b, 0))} in all, longest ${formatMs(Math.max(0, ...gc))}`,
  );
  const slow = run.keyMs
    .map((ms, i) => ({
      ms,
      gc: run.gcInPressMs[i] ?? 0,
      run: run.runMs[i] ?? 0,
      wait: run.waitMs[i] ?? 0,
      snaps: run.snapshotsInPress[i] ?? 0,
    }))
    .filter((p) => p.ms > 30);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  log(
    `console's thread: ${slow.length} presses over 30 ms, ${slow.filter((p) => p.gc > 0).length} with a collection inside (${formatMs(sum(slow.map((p) => p.gc)))} of their ${formatMs(sum(slow.map((p) => p.ms)))}); ${run.majorGcMs.length} major collections, longest ${formatMs(Math.max(0, ...run.majorGcMs))}`,
  );
  log(
    `console's thread, all presses: ran ${formatMs(percentile(run.runMs, 50))} median, waited for a core ${formatMs(percentile(run.waitMs, 50))} median; the presses over 30 ms: ran ${formatMs(sum(slow.map((p) => p.run)))}, waited ${formatMs(sum(slow.map((p) => p.wait)))}, ${sum(slow.map((p) => p.snaps))} snapshots received during them`,
  );
  log(
    `console after the presses: RSS ${run.rssMb.toFixed(0)} MB (both threads), heap in use of the thread that draws ${run.drawingHeapMb.toFixed(0)} MB`,
  );
  ctx.report.add(SECTION, 'console: collection pauses during the presses', 'ms', gc.length > 0 ? gc : [0]);
  ctx.report.add(
    SECTION,
    `console: j on the app list of ${run.apps} while its loop syncs the fleet (10 at a time)`,
    'ms',
    run.keyMs,
  );
  const p95 = percentile(run.keyMs, 95);
  ctx.report.check(SECTION, 'console keypress p95 during a fleet sync <= 30 ms', formatMs(p95), p95 <= 30);
}

async function atRest(agent: BenchAgent) {
  const requests = async () => (await agent.metrics()).get('driftdeck_api_requests_total') ?? 0;
  const before = processUsage(agent.pid);
  const requestsBefore = await requests();
  const start = now();
  const rss: number[] = [];
  while (now() - start < REST_MS) {
    await sleep(1000);
    rss.push(processUsage(agent.pid).rssBytes);
  }
  const seconds = (now() - start) / 1000;
  const after = processUsage(agent.pid);
  return {
    rss,
    cpuPercent: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100,
    requestsPerSecond: ((await requests()) - requestsBefore) / seconds,
  };
}

/** Pushes a change to one app's first ConfigMap; the time from the push to the agent saying that app is OutOfSync. */
async function commitSeen(
  agent: BenchAgent,
  repo: Awaited<ReturnType<typeof createFleetRepo>>,
  shape: { apps: number; objects: number },
  run: number,
): Promise<number> {
  const index = Math.floor(shape.apps / 2) + run - 1;
  const app = fleetAppName(index);
  const from = agent.lines.length;
  await pushFiles(
    repo,
    new Map([[fleetChangeFile(index), fleetAppFile(app, shape.objects, `change-${run}`)]]),
    `fleet: ${app} change ${run}`,
  );
  const pushed = now();
  const pushedAt = Date.now();
  const isSeen = (l: AgentLine) =>
    l.app === app && ((l.type === 'status' && l.sync === 'OutOfSync') || l.type === 'sync-started');
  const seen = await agent.until(
    `${app} OutOfSync after its commit`,
    () => agent.lines.slice(from).some(isSeen),
    120_000,
  );
  // The agent's own clock splits it: the poll that saw the commit (its tree written out), then the revision's
  // apps rendered and compared.
  const lines = agent.lines.slice(from);
  const loaded = Date.parse(
    lines.find((l) => l.type === 'git' && /^new commit/.test(l.message ?? ''))?.time ?? '',
  );
  const said = Date.parse(lines.find(isSeen)?.time ?? '');
  const split =
    Number.isFinite(loaded) && Number.isFinite(said)
      ? ` (the poll and the tree ${formatMs(loaded - pushedAt)}, then rendering and comparing ${formatMs(said - loaded)})`
      : '';
  log(`run ${run}: ${app} OutOfSync ${formatMs(seen - pushed)} after the push${split}`);
  return seen - pushed;
}
