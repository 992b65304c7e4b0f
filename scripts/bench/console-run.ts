// One measured run of the console, in a process of its own so React loads in production mode (NODE_ENV is read when
// React is first imported) and the first frame is drawn cold, as it is for a user. Started by sections/console.ts:
//
//   NODE_ENV=production node --import tsx scripts/bench/console-run.ts [--first-frame-only | --tree] [--presses 200]
//     [--clusters 3 --keys-only]   (the apps spread over a fleet of clusters, grouped; only the keypresses timed)
//
// The console is the built one (dist/, as `npm run bench` builds it first) and runs exactly as `driftdeck` runs it
// (runConsole: Ink's real renderer, no frame cap, default sampling), against a fake controller serving 1,000 apps and
// 10,000 resources, in a fake 160x50 terminal. Prints one JSON line (ConsoleRun) on stdout.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type * as ConsoleApp from '../../source/ui/app.js';
import { FakeController } from '../../test/unit/ui/fake-controller.js';
import { APPS, appName, fleet, overClusters, RESOURCES_PER_APP } from './console-fleet.js';
import { BenchStdin, BenchStdout, plain } from './console-term.js';
import { measureTree, type TreeRun } from './console-tree-steps.js';
import { now, sleep } from './stats.js';

export interface Idle {
  /** When the window opened, in ms after the render call (the console's clock ticks every 30 s from there). */
  from: number;
  ms: number;
  frames: number;
  bytes: number;
  /** Unchanged snapshots the controller published during the window (version moved, content did not). */
  publishes: number;
}

export interface ConsoleRun {
  nodeEnv: string | undefined;
  terminal: string;
  apps: number;
  resources: number;
  /** From the render call to the first write that shows app rows. */
  firstFrameMs: number;
  firstFrameBytes: number;
  /** Per `j` press, from the write to stdin to the write that shows the new selection. */
  keyMs: number[];
  idle?: Idle;
  publishing?: Idle;
  /** The loop's own idle: a poll every second that finds nothing new (only `lastPoll` moves). */
  polling?: Idle;
  /** With `--tree`: the resources view of the first app (a tree of 3,000 Pods), its events and a pod's log. */
  tree?: TreeRun;
  stderr: string;
}

const { values: args } = parseArgs({
  options: {
    'first-frame-only': { type: 'boolean', default: false },
    tree: { type: 'boolean', default: false },
    presses: { type: 'string', default: '200' },
    'idle-seconds': { type: 'string', default: '10' },
    columns: { type: 'string', default: '160' },
    rows: { type: 'string', default: '50' },
    clusters: { type: 'string', default: '1' },
    'keys-only': { type: 'boolean', default: false },
  },
});
const presses = Number(args.presses);
const idleMs = Number(args['idle-seconds']) * 1000;

async function main(): Promise<ConsoleRun> {
  if (process.env.NODE_ENV !== 'production') throw new Error('run me with NODE_ENV=production');
  const clusters = Number(args.clusters);
  const controller = new FakeController(clusters > 1 ? overClusters(fleet(), clusters) : fleet());
  const stdout = new BenchStdout(Number(args.columns), Number(args.rows));
  const stderr = new BenchStdout(stdout.columns, stdout.rows);
  const stdin = new BenchStdin();
  const streams = {
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
  };

  const built = pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'ui', 'app.js')).href;
  const { runConsole } = (await import(built)) as typeof ConsoleApp;

  const first = stdout.nextFrame((text) => text.includes(appName(0)));
  const start = now();
  const running = runConsole(controller, { readonly: false, noColor: false }, streams);
  let failed: unknown;
  running.catch((err: unknown) => {
    failed = err;
  });
  const firstFrameMs = (await first) - start;
  const firstFrameBytes = Buffer.byteLength(stdout.last);
  const run: ConsoleRun = {
    nodeEnv: process.env.NODE_ENV,
    terminal: `${stdout.columns}x${stdout.rows}`,
    apps: APPS,
    resources: APPS * RESOURCES_PER_APP,
    firstFrameMs,
    firstFrameBytes,
    keyMs: [],
    stderr: '',
  };

  if (args.tree) {
    await sleep(1000);
    run.tree = await measureTree(controller, stdout, stdin, presses, () => idle(stdout, start, 0, () => {}));
  } else if (!args['first-frame-only']) {
    // Let the first sample and the selected app's history load land before pressing anything.
    await sleep(1000);
    for (let i = 1; i <= presses; i++) {
      const target = `> ${appName(i)}`;
      const shown = stdout.nextFrame((text) => text.includes(target));
      const pressed = now();
      stdin.write('j');
      run.keyMs.push((await shown) - pressed);
    }
    if (!plain(stdout.last).includes(`> ${appName(presses)}`)) throw new Error('the selection went astray');
    if (args['keys-only']) return finish(run);
    // What the presses set off (history loads, their snapshots, the last sample) settles before the idle windows.
    await sleep(2000);
    run.idle = await idle(stdout, start, 0, () => undefined);
    run.publishing = await idle(stdout, start, 1000, () => controller.update(() => ({})));
    run.polling = await idle(stdout, start, 1000, () =>
      controller.update((s) => ({ loop: { ...s.loop, lastPoll: new Date().toISOString() } })),
    );
  }

  return finish(run);

  async function finish(run: ConsoleRun): Promise<ConsoleRun> {
    stdin.write('\x03');
    await running.catch(() => undefined);
    if (failed) throw failed;
    run.stderr = plain(stderr.last);
    return run;
  }
}

/** Frames and bytes over one idle window; every `everyMs` (if not 0) `publish` runs, half a period in. */
async function idle(stdout: BenchStdout, start: number, everyMs: number, publish: () => void): Promise<Idle> {
  let publishes = 0;
  const started = now();
  const { frames, bytes } = await stdout.count(async () => {
    if (!everyMs) return sleep(idleMs);
    await sleep(everyMs / 2);
    const timer = setInterval(() => {
      publish();
      publishes++;
    }, everyMs);
    publish();
    publishes++;
    await sleep(idleMs - everyMs / 2);
    clearInterval(timer);
  });
  return { from: started - start, ms: now() - started, frames, bytes, publishes };
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
