import { demoCacheDir, seedDemoRepo } from '../demo/index.js';
import type { Controller } from '../engine/types.js';
import { ensureTools, startCluster } from '../localcluster/index.js';
import { runConsole } from '../ui/app.js';
import type { Out } from './commands.js';
import { status } from './commands.js';
import { ContextSwitcher } from './context-switcher.js';
import { makeFleet } from './fleet.js';
import { FleetController } from './fleet-controller.js';
import { type LoopFlags, makeLoop } from './wire.js';

export const DEMO_CLUSTER = 'driftdeck-demo';

/** The console in a terminal; without one (a pipe, CI), the status table and its exit code. */
export async function openConsole(flags: LoopFlags, out: Out): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) return status(flags, out);
  if (flags.contexts) return openFleetConsole(flags, flags.contexts, out);
  const controller = new ContextSwitcher(
    makeLoop(flags),
    (context) => makeLoop({ ...flags, context }),
    (err) => out.error(`driftdeck: ${err.message}`),
  );
  // The first frame comes before any I/O finishes; the loop fills the screen in as Git and the cluster answer.
  // Only --readonly is fixed for the session: a context's own read-only setting comes with its snapshot.
  return runUntilQuit(controller, flags);
}

/** `--context a,b,c`: one loop per context in one console; each cluster's read-only setting comes with it. */
async function openFleetConsole(flags: LoopFlags, contexts: string[], out: Out): Promise<number> {
  const { loops, freshPoll } = makeFleet(flags, contexts);
  const controller = new FleetController(
    loops,
    (err, context) => out.error(`driftdeck: ${context}: ${err.message}`),
    freshPoll,
  );
  return runUntilQuit(controller, flags);
}

/** The console until the person quits, then the loops closed (their first start given a moment to settle). */
async function runUntilQuit(
  controller: Controller & { close(): void; started(): Promise<void> },
  flags: LoopFlags,
): Promise<number> {
  try {
    await runConsole(controller, { readonly: flags.readonly, noColor: noColor() });
  } finally {
    controller.close();
    await Promise.race([controller.started(), new Promise((r) => setTimeout(r, 100))]);
  }
  return 0;
}

export function noColor(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

/** The local cluster (built and started when needed), the sample shop seeded in a local bare remote, the console. */
export async function openDemo(
  flags: LoopFlags,
  opts: { reset: boolean; nodes: number },
  out: Out,
): Promise<number> {
  const progress = (line: string) => out.error(line);
  progress('driftdeck demo: preparing the local cluster (first run builds it from Go modules)');
  const tools = await ensureTools({ onProgress: progress });
  const cluster = await startCluster({
    name: DEMO_CLUSTER,
    tools,
    nodes: opts.nodes,
    reuse: true,
    onProgress: progress,
  });
  const seeded = await seedDemoRepo({ root: demoCacheDir(), reset: opts.reset });
  progress(
    [
      '',
      `sample repo (bare remote): ${seeded.remote}`,
      `a work clone to edit and push from another terminal: ${seeded.workdir}`,
      `cluster: ${cluster.context}   KUBECONFIG=${cluster.kubeconfig}`,
      '',
    ].join('\n'),
  );
  const demoFlags: LoopFlags = {
    ...flags,
    repo: seeded.remote,
    branch: seeded.branch,
    kubeconfig: cluster.kubeconfig,
    context: cluster.context,
    interval: flags.interval === 10 ? 3 : flags.interval,
  };
  const code = await openConsole(demoFlags, out);
  if (process.stdout.isTTY)
    progress(`sample repo: ${seeded.remote}\nstop the cluster with: npx driftdeck cluster down`);
  return code;
}
