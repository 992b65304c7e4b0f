import { demoCacheDir, seedDemoRepo } from '../demo/index.js';
import { ensureTools, startCluster } from '../localcluster/index.js';
import { runConsole } from '../ui/app.js';
import type { Out } from './commands.js';
import { status } from './commands.js';
import { type LoopFlags, makeLoop } from './wire.js';

export const DEMO_CLUSTER = 'driftdeck-demo';

/** The console in a terminal; without one (a pipe, CI), the status table and its exit code. */
export async function openConsole(flags: LoopFlags, out: Out): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) return status(flags, out);
  const loop = makeLoop(flags);
  // The first frame comes before any I/O finishes; the loop fills the screen in as Git and the cluster answer.
  const started = loop.start().catch((err: Error) => {
    process.stderr.write(`driftdeck: ${err.message}\n`);
  });
  try {
    await runConsole(loop, { readonly: loop.getSnapshot().readonly, noColor: noColor() });
  } finally {
    loop.stop();
    loop.cluster.close();
    await Promise.race([started, new Promise((r) => setTimeout(r, 100))]);
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
