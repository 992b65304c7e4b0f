// Diff timings of both tools against the same live state: `kubectl diff --server-side` (a GET and a dry-run apply per
// object, then the external diff), at its default (one object at a time) and at `--concurrency` equal to driftdeck's
// request parallelism (REQUESTS_AT_ONCE), and driftdeck's diff, end to end as a command (Node start-up,
// Git, render, list, dry-runs, printing) and in process (the loop already running, timing a hard refresh). The
// command runs twice per round: as it usually runs (the parsed-manifest cache on disk filled by an earlier command),
// and with that cache removed first, as the first command after a checkout of new files runs.
import { rm } from 'node:fs/promises';
import { gitSource, manifestCacheFile } from '../../../source/cli/wire.js';
import { REQUESTS_AT_ONCE } from '../../../source/kube/cluster-port.js';
import type { BenchContext } from '../context.js';
import { benchApp, clientSideDiffs, startLoop, statusCounts, stopLoop } from '../inprocess.js';
import { TOTAL } from '../manifests.js';
import type { Figure } from '../report.js';
import { formatMs, timed } from '../stats.js';

export interface DiffFigures {
  kubectl: Figure;
  kubectlParallel: Figure;
  command: Figure;
  commandCold: Figure;
  inProcess: Figure;
}

/** Objects kubectl diff printed: one `diff -u -N LIVE/... MERGED/...` header each. */
const kubectlDiffCount = (out: string) => out.split('\n').filter((l) => l.startsWith('diff ')).length;

/** Resources driftdeck diff printed: one `# Kind/name Status` header each. */
const driftdeckDiffs = (out: string) => out.split('\n').filter((l) => /^# \w+\/\S+ \w+/.test(l));

function expectCount(tool: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${tool} reported ${got} changed objects, expected ${want}`);
}

type Tool = 'kubectl' | 'kubectlParallel' | 'command' | 'commandCold' | 'inProcess';
const TOOLS: Tool[] = ['kubectl', 'kubectlParallel', 'command', 'commandCold', 'inProcess'];

/** The parsed-manifest cache the commands share, beside their Git cache of the remote. */
const parseCacheFile = (ctx: BenchContext) =>
  manifestCacheFile(gitSource({ repo: ctx.repo.remote, branch: ctx.repo.branch }));

/**
 * One warm-up run of each, then `runs` rounds of all three. The rounds interleave the tools (and rotate which goes
 * first) so that load from elsewhere on a shared machine falls on all of them alike.
 */
export async function measureDiffs(
  ctx: BenchContext,
  section: string,
  expected: number,
): Promise<DiffFigures> {
  const { runs } = ctx.options;
  const loop = await startLoop(ctx);
  const times: Record<Tool, number[]> = {
    kubectl: [],
    kubectlParallel: [],
    command: [],
    commandCold: [],
    inProcess: [],
  };
  const requests: number[] = [];
  let clientSide = 0;
  const driftdeckDiff = async () => {
    const r = await ctx.driftdeck(['diff', 'bench'], [1]);
    const headers = driftdeckDiffs(r.stdout);
    expectCount('driftdeck diff', headers.length, expected);
    clientSide = headers.filter((h) => h.includes('client-side')).length;
    return r.ms;
  };
  const measure: Record<Tool, () => Promise<number>> = {
    kubectl: async () => {
      const r = await ctx.kubectl(['diff', '--server-side', '-f', ctx.files.kubectl], [1]);
      expectCount('kubectl diff', kubectlDiffCount(r.stdout), expected);
      return r.ms;
    },
    kubectlParallel: async () => {
      const r = await ctx.kubectl(
        ['diff', '--server-side', `--concurrency=${REQUESTS_AT_ONCE}`, '-f', ctx.files.kubectl],
        [1],
      );
      expectCount('kubectl diff --concurrency', kubectlDiffCount(r.stdout), expected);
      return r.ms;
    },
    command: () => driftdeckDiff(),
    commandCold: async () => {
      await rm(parseCacheFile(ctx), { force: true });
      return driftdeckDiff();
    },
    // Hard refresh: Git poll, checkout, render, discovery, and every dry-run again (the prediction cache is cleared).
    inProcess: async () => {
      const before = loop.cluster.requests();
      const { ms } = await timed(() => loop.refresh(true));
      requests.push(loop.cluster.requests() - before);
      const app = benchApp(loop);
      const changed = app.resources.filter((r) => r.status !== 'Synced').length;
      expectCount('driftdeck (in process)', changed, expected);
      if (clientSideDiffs(app))
        throw new Error(`in process: client-side diffs: ${JSON.stringify(statusCounts(app))}`);
      return ms;
    },
  };
  try {
    console.log('  warm-up: one run of each (kubectl discovery cache, Git cache, JIT)');
    for (const tool of TOOLS) await measure[tool]();
    requests.length = 0;
    for (let run = 0; run < runs; run++) {
      const shift = run % TOOLS.length;
      const order = [...TOOLS.slice(shift), ...TOOLS.slice(0, shift)];
      for (const tool of order) times[tool].push(await measure[tool]());
      const shown = TOOLS.map((t) => `${t} ${formatMs(times[t].at(-1)!)}`).join(', ');
      console.log(`  run ${run + 1}: ${shown}`);
    }
  } finally {
    stopLoop(loop);
  }
  const { report } = ctx;
  const kubectl = report.add(section, 'kubectl diff --server-side -f', 'ms', times.kubectl);
  const kubectlParallel = report.add(
    section,
    `kubectl diff --server-side --concurrency=${REQUESTS_AT_ONCE} -f`,
    'ms',
    times.kubectlParallel,
    "kubectl at driftdeck's request parallelism",
  );
  const command = report.add(section, 'driftdeck diff (command, end to end)', 'ms', times.command);
  const commandCold = report.add(
    section,
    'driftdeck diff (command, parse cache removed first)',
    'ms',
    times.commandCold,
  );
  const inProcess = report.add(
    section,
    'driftdeck loop.refresh(true) (in process)',
    'ms',
    times.inProcess,
    `API requests per refresh: ${requests.join(', ')} (dry-run applies, discovery, relists)`,
  );
  if (clientSide)
    report.note(`${section}: driftdeck fell back to a client-side diff for ${clientSide} objects`);
  report.speedup(section, 'diff (command)', command, kubectl, 5);
  report.speedup(section, 'diff (command, parse cache removed first)', commandCold, kubectl, 5);
  report.speedup(section, 'diff (in process, for information)', inProcess, kubectl, 5);
  const ratio = (a: Figure) => (kubectlParallel.runs.median / a.runs.median).toFixed(2);
  report.note(
    `${section}: against kubectl diff --concurrency=${REQUESTS_AT_ONCE} (${formatMs(kubectlParallel.runs.median)}), ` +
      `driftdeck diff as a command is ${ratio(command)}x, with the parse cache removed ${ratio(commandCold)}x, ` +
      `in process ${ratio(inProcess)}x`,
  );
  return { kubectl, kubectlParallel, command, commandCold, inProcess };
}

export async function diffCreate(ctx: BenchContext): Promise<void> {
  const section = 'diff, 1,000 to create';
  ctx.report.note(
    `${section}: different work. kubectl sends a server-side dry-run for each object that does not exist; ` +
      'driftdeck sends none and shows the manifest as it would apply it (the server adds its defaults on create)',
  );
  await measureDiffs(ctx, section, TOTAL);
}
