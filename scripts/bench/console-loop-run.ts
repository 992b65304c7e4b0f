// The console on its real watch loop while that loop syncs a fleet: the built console (dist/) with the loop
// `driftdeck` itself builds (cli/wire.ts makeLoop: Git, the cluster's informers, auto-sync), in a fake terminal.
// The loop runs in its own thread, as `driftdeck` runs it (cli/console-thread.ts); `--same-thread` runs it in the
// console's thread instead, as before that, for comparison.
// It waits until the loop has auto-syncs running, then presses `j` (and `k` back) and times each press to the frame that shows the
// selection moved, while the syncs go on in the same process. Started by sections/fleet.ts:
//
//   NODE_ENV=production node --import tsx scripts/bench/console-loop-run.ts --repo R --kubeconfig K [--presses 100]
//     [--same-thread]
//
// Prints one JSON line (LoopConsoleRun) on stdout.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type * as ConsoleThread from '../../source/cli/console-thread.js';
import type * as Wire from '../../source/cli/wire.js';
import type { Controller } from '../../source/engine/types.js';
import type * as ConsoleApp from '../../source/ui/app.js';
import { BenchStdin, BenchStdout, plain } from './console-term.js';
import { now, sleep } from './stats.js';

export interface LoopConsoleRun {
  /** Per press of `j` or `k`, from the write to stdin to the write that shows the new selection. */
  keyMs: number[];
  /** Syncs running when the presses began, and syncs finished while they went on. */
  syncingAtStart: number;
  syncsDuringPresses: number;
  apps: number;
  /** V8's collections while the presses went on: each one's pause of the console's thread, ms. */
  gcPausesMs: number[];
  /** Where the loop ran: its own thread (as `driftdeck` runs it) or the console's. */
  loopThread: 'own' | 'console';
  /** Each press's slowest part: the collection pauses inside it, ms (0 when none), in press order. */
  gcInPressMs: number[];
  /** The collections that were major ones (mark-compact), ms. */
  majorGcMs: number[];
  /** Per press, from the kernel (/proc/thread-self/schedstat): ms the console's thread ran, and ms it was ready to
   * run but waited for a core. */
  runMs: number[];
  waitMs: number[];
  /** Per press, snapshots the console received while it waited for the frame. */
  snapshotsInPress: number[];
  /** After the presses: the process's RSS, and the JS heap in use of the console's thread, MB. */
  rssMb: number;
  drawingHeapMb: number;
}

/** Starts V8's CPU profiler on this thread; the function returned stops it and gives the profile. */
async function startProfile(): Promise<() => Promise<object>> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    session.disconnect();
    return profile;
  };
}

/** This thread's time on a core and waiting for one, ns (Linux; zeros elsewhere). */
function schedstat(): [number, number] {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return [run ?? 0, wait ?? 0];
  } catch {
    return [0, 0];
  }
}

const { values: args } = parseArgs({
  options: {
    repo: { type: 'string' },
    kubeconfig: { type: 'string' },
    presses: { type: 'string', default: '100' },
    'gap-ms': { type: 'string', default: '50' },
    'same-thread': { type: 'boolean', default: false },
  },
});

const SELECTED = /> (app-\d{4})/;
const selected = (text: string) => SELECTED.exec(plain(text))?.[1];

async function main(): Promise<LoopConsoleRun> {
  if (process.env.NODE_ENV !== 'production') throw new Error('run me with NODE_ENV=production');
  if (!args.repo || !args.kubeconfig) throw new Error('--repo and --kubeconfig are required');
  const dist = (...p: string[]) => pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', ...p)).href;
  const { makeLoop } = (await import(dist('cli', 'wire.js'))) as typeof Wire;
  const { ThreadController } = (await import(dist('cli', 'console-thread.js'))) as typeof ConsoleThread;
  const { runConsole } = (await import(dist('ui', 'app.js'))) as typeof ConsoleApp;
  const flags = {
    repo: args.repo,
    branch: 'main',
    kubeconfig: args.kubeconfig,
    interval: 10,
    readonly: false,
    autoSync: true,
    role: 'console',
  };
  let loop: Controller & { start?(): Promise<void> };
  let close: () => Promise<void>;
  if (args['same-thread']) {
    const inThread = makeLoop(flags);
    loop = inThread;
    close = async () => {
      inThread.stop();
      inThread.cluster.close();
    };
  } else {
    const threaded = await ThreadController.open(flags, (line) => process.stderr.write(`${line}\n`));
    loop = threaded;
    close = async () => {
      threaded.close();
      await threaded.closed();
    };
  }
  const stdout = new BenchStdout(160, 50);
  const stderr = new BenchStdout(160, 50);
  const stdin = new BenchStdin();
  const running = runConsole(
    loop,
    { readonly: false, noColor: false },
    {
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
    },
  );
  let failed: unknown;
  running.catch((err: unknown) => {
    failed = err;
  });
  void loop.start?.().catch((err: unknown) => {
    failed = err;
  });

  const syncing = () => loop.getSnapshot().apps.filter((a) => a.operation?.kind === 'sync').length;
  const lastSyncs = () => new Map(loop.getSnapshot().apps.map((a) => [a.name, a.lastSync?.finishedAt]));
  const deadline = now() + 600_000;
  while (syncing() === 0 || selected(stdout.last) === undefined) {
    if (failed) throw failed;
    if (now() > deadline) throw new Error(`no auto-sync started within 10 min:\n${plain(stdout.last)}`);
    await sleep(200);
  }
  const run: LoopConsoleRun = {
    keyMs: [],
    syncingAtStart: syncing(),
    syncsDuringPresses: 0,
    apps: loop.getSnapshot().apps.length,
    gcPausesMs: [],
    gcInPressMs: [],
    majorGcMs: [],
    runMs: [],
    waitMs: [],
    snapshotsInPress: [],
    rssMb: 0,
    drawingHeapMb: 0,
    loopThread: args['same-thread'] ? 'console' : 'own',
  };
  // Every collection pauses the thread that draws: the presses' worst times line up with the longest of them.
  const pauses: Array<{ start: number; end: number }> = [];
  const gcs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      run.gcPausesMs.push(entry.duration);
      pauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) run.majorGcMs.push(entry.duration);
    }
  });
  gcs.observe({ entryTypes: ['gc'] });
  // BENCH_PRESS_PROFILE=<file>: a CPU profile of the console's thread during the presses alone.
  const profiling = process.env.BENCH_PRESS_PROFILE ? await startProfile() : undefined;
  const before = lastSyncs();
  const windows: Array<{ start: number; end: number }> = [];
  let heard = 0;
  loop.subscribe(() => {
    heard++;
  });
  for (let i = 0; i < Number(args.presses); i++) {
    const was = selected(stdout.last);
    const shown = stdout.nextFrame((text) => {
      const s = SELECTED.exec(text)?.[1];
      return s !== undefined && s !== was;
    }, 10_000);
    const [run0, wait0] = schedstat();
    const heardBefore = heard;
    const pressed = now();
    // Down for the first half, back up for the second: the list is never left at an end where a key moves nothing.
    stdin.write(i < Number(args.presses) / 2 ? 'j' : 'k');
    const at = await shown;
    const [run1, wait1] = schedstat();
    run.runMs.push((run1 - run0) / 1e6);
    run.waitMs.push((wait1 - wait0) / 1e6);
    run.snapshotsInPress.push(heard - heardBefore);
    run.keyMs.push(at - pressed);
    windows.push({ start: pressed, end: at });
    await sleep(Number(args['gap-ms']));
  }
  // The observer hears of a collection a moment after it: wait for the last ones.
  await sleep(100);
  gcs.disconnect();
  run.gcInPressMs = windows.map((w) =>
    pauses.reduce((sum, p) => sum + Math.max(0, Math.min(w.end, p.end) - Math.max(w.start, p.start)), 0),
  );
  if (profiling && process.env.BENCH_PRESS_PROFILE)
    writeFileSync(process.env.BENCH_PRESS_PROFILE, JSON.stringify(await profiling()));
  const memory = process.memoryUsage();
  run.rssMb = memory.rss / 2 ** 20;
  run.drawingHeapMb = memory.heapUsed / 2 ** 20;
  run.syncsDuringPresses = [...lastSyncs()].filter(([app, at]) => at !== before.get(app)).length;
  stdin.write('\x03');
  await running.catch(() => undefined);
  await close();
  if (failed) throw failed;
  return run;
}

main().then(
  (run) => {
    process.stdout.write(`${JSON.stringify(run)}\n`);
    process.exit(0);
  },
  (err: Error) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  },
);
