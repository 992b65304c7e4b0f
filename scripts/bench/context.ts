// Everything a section needs: the cluster, the repo, the manifests and their kubectl files, both tools ready to run,
// and the report to add figures to.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterInfo, Tools } from '../../source/localcluster/index.js';
import { type CommandResult, mustRun } from './exec.js';
import { type BenchManifests, DRIFTDECK_NS, KUBECTL_NS } from './manifests.js';
import type { BenchRepo } from './repo.js';
import type { Report } from './report.js';

export interface BenchOptions {
  /** Measured runs of the cheap, repeatable measurements (diffs, re-diff). */
  runs: number;
  /** Measured runs of sync (each needs both namespaces emptied first). */
  syncRuns: number;
  /** Commits pushed for commit-to-detection. */
  detectRuns: number;
  /** The fleet section's apps, and objects per app. */
  fleetApps: number;
  fleetObjects: number;
}

/** What every section gets; sections that need no cluster (the console's) get only this. */
export interface SectionContext {
  /** The repository (package) folder: dist/cli.js lives here. */
  pkg: string;
  options: BenchOptions;
  report: Report;
}

export interface BenchContext extends SectionContext {
  root: string;
  tools: Tools;
  cluster: ClusterInfo;
  repo: BenchRepo;
  manifests: BenchManifests;
  /** Multi-document files of the current manifests, per namespace. */
  files: { driftdeck: string; kubectl: string };
  kubectl(args: string[], ok?: number[]): Promise<CommandResult>;
  /** `node dist/cli.js <args> --repo <remote> --kubeconfig <kc>`. */
  driftdeck(args: string[], ok?: number[]): Promise<CommandResult>;
}

export function makeContext(input: {
  root: string;
  pkg: string;
  tools: Tools;
  cluster: ClusterInfo;
  repo: BenchRepo;
  manifests: BenchManifests;
  options: BenchOptions;
  report: Report;
}): BenchContext {
  const { root, pkg, tools, cluster, repo } = input;
  // kubectl's discovery cache goes to the run's folder, not ~/.kube (it is warmed by the first, unmeasured run).
  const kubectlBase = ['--kubeconfig', cluster.kubeconfig, '--cache-dir', join(root, 'kube-cache')];
  return {
    ...input,
    files: { driftdeck: join(root, `${DRIFTDECK_NS}.yaml`), kubectl: join(root, `${KUBECTL_NS}.yaml`) },
    kubectl: (args, ok = [0]) => mustRun(tools.kubectl, [...kubectlBase, ...args], ok, { keepStdout: true }),
    driftdeck: (args, ok = [0]) =>
      mustRun(
        process.execPath,
        [join(pkg, 'dist', 'cli.js'), ...args, '--repo', repo.remote, '--kubeconfig', cluster.kubeconfig],
        ok,
        { keepStdout: true },
      ),
  };
}

/** (Re)writes both multi-document files from the manifests as they are now. */
export async function writeKubectlFiles(ctx: BenchContext): Promise<void> {
  await writeFile(ctx.files.driftdeck, ctx.manifests.multiDoc(DRIFTDECK_NS));
  await writeFile(ctx.files.kubectl, ctx.manifests.multiDoc(KUBECTL_NS));
}
