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
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
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
    loopThread: args['same-thread'] ? 'console' : 'own',
  };
  // Every collection pauses the thread that draws: the presses' worst times line up with the longest of them.
  const gcs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) run.gcPausesMs.push(entry.duration);
  });
  gcs.observe({ entryTypes: ['gc'] });
  const before = lastSyncs();
  for (let i = 0; i < Number(args.presses); i++) {
    const was = selected(stdout.last);
    const shown = stdout.nextFrame((text) => {
      const s = SELECTED.exec(text)?.[1];
      return s !== undefined && s !== was;
    }, 10_000);
    const pressed = now();
    // Down for the first half, back up for the second: the list is never left at an end where a key moves nothing.
    stdin.write(i < Number(args.presses) / 2 ? 'j' : 'k');
    run.keyMs.push((await shown) - pressed);
    await sleep(Number(args['gap-ms']));
  }
  gcs.disconnect();
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
