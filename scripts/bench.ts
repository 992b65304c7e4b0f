// `npm run bench`: driftdeck against kubectl on a local cluster of its own (started here, always deleted at the end),
// with a generated Git repo of 1,000 manifests, then the console (no cluster). Prints a table and writes
// bench-results.json (after `--only`, the other sections' earlier figures stay in it).
//
//   npm run bench [-- --runs 3 --sync-runs 3 --detect-runs 5 --only diff-create,sync]
//   npm run bench -- --only console          (the console alone: no cluster is started)
//   npm run bench -- --only inspect          (the resources view's API requests: an app of its own on the cluster)
//   npm run bench -- --only fleet [--fleet-apps 1000 --fleet-objects 50]   (the agent over a fleet; only when named)
//
// The sections live in scripts/bench/sections.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type ClusterInfo,
  ensureTools,
  KUBE_VERSION,
  startCluster,
  stopCluster,
} from '../source/localcluster/index.js';
import { type BenchContext, makeContext, writeKubectlFiles } from './bench/context.js';
import { removeGitCache } from './bench/inprocess.js';
import { BenchManifests, TOTAL } from './bench/manifests.js';
import { createRepo } from './bench/repo.js';
import { Report } from './bench/report.js';
import { type ClusterSection, DEFAULT_SECTIONS, SECTIONS } from './bench/sections.js';
import { createNamespaces } from './bench/settle.js';

const pkg = join(import.meta.dirname, '..');
const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'sync-runs': { type: 'string', default: '3' },
    'detect-runs': { type: 'string', default: '5' },
    only: { type: 'string' },
    'fleet-apps': { type: 'string', default: '1000' },
    'fleet-objects': { type: 'string', default: '50' },
  },
});
/** A bad flag: the message alone, and exit status 2. */
const usage = (message: string): never => {
  console.error(`npm run bench: ${message}`);
  process.exit(2);
};
const count = (v: string, name: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a whole number above 0`);
  return n;
};
const options = {
  runs: count(flags.runs, 'runs'),
  syncRuns: count(flags['sync-runs'], 'sync-runs'),
  detectRuns: count(flags['detect-runs'], 'detect-runs'),
  fleetApps: count(flags['fleet-apps'], 'fleet-apps'),
  fleetObjects: count(flags['fleet-objects'], 'fleet-objects'),
};
const only = flags.only?.split(',');
const unknown = only?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
if (unknown.length > 0)
  usage(`--only: no section ${unknown.join(', ')} (there are ${SECTIONS.map((s) => s.id).join(', ')})`);
const chosen = only ? SECTIONS.filter((s) => only.includes(s.id)) : DEFAULT_SECTIONS;
for (const s of chosen) {
  const missing = (s.cluster ? (s.needs ?? []) : []).filter((id) => !chosen.some((c) => c.id === id));
  if (missing.length > 0)
    usage(
      `--only: section ${s.id} measures from the state ${missing.join(', ')} leaves (the 1,000 objects synced); add ${missing.join(', ')}`,
    );
}
const log = (line: string) => console.log(`  ${line}`);
const step = (title: string) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 100 - title.length))}`);

async function main(): Promise<number> {
  const report = new Report();
  const onCluster = chosen.filter((s): s is ClusterSection => s.cluster);
  if (onCluster.length > 0 && !(await runOnCluster(onCluster, report))) return finish(report, 1);
  try {
    for (const section of chosen) {
      if (section.cluster) continue;
      step(section.title);
      await section.run({ pkg, options, report });
    }
  } catch (err) {
    failed(report, err);
    return finish(report, 1);
  }
  return finish(report, 0);
}

function failed(report: Report, err: unknown): void {
  console.error(`\nbenchmark failed: ${(err as Error).stack ?? err}`);
  report.note(`the run failed: ${(err as Error).message}`);
}

/** The sections that need the cluster: starts it, runs them, deletes it. False when one failed. */
async function runOnCluster(sections: ClusterSection[], report: Report): Promise<boolean> {
  const name = `driftdeck-bench-${process.pid}`;
  step('tools and local cluster');
  const tools = await ensureTools({ onProgress: log });
  const root = await mkdtemp(join(tmpdir(), 'driftdeck-bench-'));
  let ctx: BenchContext | undefined;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    step('cleaning up');
    await stopCluster(name, tools, { onProgress: log }).catch((err: Error) =>
      console.error(`  could not delete cluster ${name}: ${err.message}`),
    );
    if (ctx) await removeGitCache(ctx).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };
  // The cluster is deleted however the run ends: a signal, or an error escaping from a callback.
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  const onCrash = (err: unknown) => {
    console.error(`\nbenchmark crashed: ${(err as Error)?.stack ?? err}`);
    void cleanup().finally(() => process.exit(1));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('uncaughtException', onCrash);
  process.once('unhandledRejection', onCrash);
  try {
    // 7 kwok nodes of 110 pods each: room for both namespaces' 300 pods; the fleet's one pod per app needs more.
    const fleetNodes = sections.some((s) => s.id === 'fleet') ? Math.ceil(options.fleetApps / 100) + 2 : 0;
    const cluster: ClusterInfo = await startCluster({
      name,
      tools,
      nodes: Math.max(7, fleetNodes),
      onProgress: log,
    });
    step(`generating ${TOTAL} manifests and the Git repo`);
    const manifests = new BenchManifests();
    const repo = await createRepo(root, manifests.repoFiles());
    ctx = makeContext({ root, pkg, tools, cluster, repo, manifests, options, report });
    await writeKubectlFiles(ctx);
    await createNamespaces(ctx);
    log(`remote ${repo.remote}; kubectl files ${ctx.files.driftdeck}, ${ctx.files.kubectl}`);
    for (const section of sections) {
      step(section.title);
      await section.run(ctx);
    }
    return true;
  } catch (err) {
    failed(report, err);
    return false;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
}

async function finish(report: Report, code: number): Promise<number> {
  report.print();
  const file = join(pkg, 'bench-results.json');
  const extra = {
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    kubernetes: KUBE_VERSION,
    objects: TOTAL,
    options,
  };
  await report.write(file, extra, only !== undefined);
  console.log(`\nwrote ${file}${only ? ' (the other sections keep their earlier figures)' : ''}`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.stack ?? err.message);
    process.exit(1);
  },
);
