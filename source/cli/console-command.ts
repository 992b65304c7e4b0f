import { demoCacheDir, seedDemoRepo } from '../demo/index.js';
import { ensureTools, startCluster } from '../localcluster/index.js';
import { runConsole } from '../ui/app.js';
import type { Out } from './commands.js';
import { status } from './commands.js';
import { ThreadController } from './console-thread.js';
import type { LoopFlags } from './wire.js';

export const DEMO_CLUSTER = 'driftdeck-demo';

/**
 * The console in a terminal, its watch loop (or a fleet's loops) in a thread of their own (cli/console-thread.ts);
 * without a terminal (a pipe, CI), the status table and its exit code.
 */
export async function openConsole(flags: LoopFlags, out: Out): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) return status(flags, out);
  const controller = await ThreadController.open(flags, (line) => out.error(line));
  try {
    await runConsole(controller, { readonly: flags.readonly, noColor: noColor() });
  } finally {
    controller.close();
    await Promise.race([controller.closed(), new Promise((r) => setTimeout(r, 2_500))]);
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
