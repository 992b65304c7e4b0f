// Sync: both tools create the same 1,000 objects into an empty namespace of their own (driftdeck into `bench`,
// kubectl into `bench-kubectl`). Before every run both namespaces are emptied (deleted and created again) and the
// cluster is left to finish the previous run's work; the tool that goes first alternates from run to run.
import type { BenchContext } from '../context.js';
import { DRIFTDECK_NS, KUBECTL_NS, TOTAL } from '../manifests.js';
import { resetNamespaces, settle } from '../settle.js';

const METHOD =
  `both tools create ${TOTAL} objects into an empty namespace of their own (driftdeck: ${DRIFTDECK_NS}, ` +
  `kubectl: ${KUBECTL_NS}) after an unmeasured warm-up of each (kubectl diff, driftdeck status); before each run both namespaces are deleted and created again and the cluster ` +
  'settles (all Deployments available, the API server back to idle writes) and the deletion is over 30 s old (the API server looks up a namespace ' +
  'deleted less than 30 s ago in storage for every object created in it); the order alternates between runs';

export async function sync(ctx: BenchContext): Promise<void> {
  const section = 'sync, 1,000 to create';
  const driftdeck: number[] = [];
  const kubectl: number[] = [];
  const runOne = {
    driftdeck: async () => {
      // --no-wait: the sync returns when every object is applied, as kubectl apply does; no health wait.
      const r = await ctx.driftdeck(['sync', 'bench', '--no-wait']);
      if (!new RegExp(`\\b${TOTAL} resource\\(s\\) changed`).test(`${r.stdout}${r.stderr}`))
        throw new Error(`driftdeck sync did not report ${TOTAL} changes:\n${r.stdout.slice(-2000)}`);
      driftdeck.push(r.ms);
    },
    kubectl: async () => {
      const r = await ctx.kubectl(['apply', '--server-side', '-f', ctx.files.kubectl]);
      const applied = r.stdout.split('\n').filter((l) => / serverside-applied$/.test(l)).length;
      if (applied !== TOTAL) throw new Error(`kubectl apply reported ${applied} objects, expected ${TOTAL}`);
      kubectl.push(r.ms);
    },
  };
  // Unmeasured, and writing nothing: fills kubectl's discovery cache and driftdeck's Git, parse and render caches, as
  // the diff sections do when they run first, so that the first timed run is not the only one paying for them.
  console.log(
    '  warm-up: kubectl diff and driftdeck status (discovery, Git and parse caches; nothing applied)',
  );
  await ctx.kubectl(['diff', '--server-side', '-f', ctx.files.kubectl], [0, 1]);
  await ctx.driftdeck(['status'], [0, 1]);
  for (let run = 0; run < ctx.options.syncRuns; run++) {
    if (run > 0) {
      console.log(`  run ${run + 1}: emptying both namespaces`);
      await resetNamespaces(ctx);
    }
    const order = run % 2 === 0 ? (['driftdeck', 'kubectl'] as const) : (['kubectl', 'driftdeck'] as const);
    for (const tool of order) {
      await settle(ctx);
      console.log(`  run ${run + 1}: ${tool}`);
      await runOne[tool]();
    }
  }
  await settle(ctx);
  const k = ctx.report.add(section, 'kubectl apply --server-side', 'ms', kubectl);
  const d = ctx.report.add(section, 'driftdeck sync --no-wait (command, end to end)', 'ms', driftdeck);
  ctx.report.note(`sync method: ${METHOD}`);
  ctx.report.speedup(section, 'sync (command)', d, k, 3);
}
