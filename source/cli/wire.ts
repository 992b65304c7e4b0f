// Builds the real adapters from command-line flags and hands them to the loop. The only place that knows every edge.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { adHocApp } from '../config/index.js';
import { loadRepoApps } from '../config/repo-apps.js';
import type { ClusterPort, GitPort } from '../engine/ports.js';
import { shardGroup } from '../engine/shard.js';
import { GitSource } from '../git/index.js';
import { gitCredentialsDir } from '../git/mounted-credentials.js';
import { KubeCluster } from '../kube/index.js';
import { cachePaths } from '../localcluster/paths.js';
import { COMPONENTS } from '../localcluster/versions.js';
import type { Destination } from '../loop/destination.js';
import { type AppsResult, Loop } from '../loop/index.js';
import { ConsoleShardWatch, type ShardRole } from '../loop/shard-role.js';
import type { RenderTools } from '../render/index.js';
import { ManifestCache, renderApp, sharedParsePool } from '../render/index.js';
import { leaseHolder, operator } from './identity.js';
import { contextReadonlyReason } from './user-config.js';

export interface SourceFlags {
  repo?: string;
  branch: string;
  path?: string;
  app?: string;
  namespace?: string;
}

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  /** `--context a,b,c`: several contexts opened together (a fleet); `context` is then the first. */
  contexts?: string[];
  /** Where sync history and Leases are kept; driftdeck-system when not given. */
  stateNamespace?: string;
}

export interface LoopFlags extends SourceFlags, ClusterFlags {
  interval: number;
  readonly: boolean;
  autoSync: boolean;
  /** See LoopOptions.concurrentSyncs. */
  concurrentSyncs?: number;
  /** See LoopOptions.diffTexts: false for the commands that print no diff. */
  diffTexts?: boolean;
  /** False: list the cluster once, never watch (commands that read one snapshot and exit). Default true. */
  watch?: boolean;
  /** What this process is (console, agent, sync...), written into the Leases it holds. */
  role?: string;
  /**
   * The apps this loop runs (loop/destination.ts). Default: those of its kube context and those naming no cluster,
   * as for a console or a command on one context.
   */
  destination?: Destination;
  /** Said with the apps for clusters not opened: how to open them. */
  notOpenedHint?: string;
}

export class UsageError extends Error {}

export { operator };

function gitCacheDir(): string {
  return join(cachePaths().root, '..', 'git');
}

export function gitSource(flags: SourceFlags): GitSource {
  if (!flags.repo)
    throw new UsageError(
      'no Git repository: pass --repo <url or path> (or run `driftdeck demo` for the sample shop)',
    );
  const stallSeconds = gitStallSeconds(process.env);
  return new GitSource({
    url: flags.repo,
    branch: flags.branch,
    cacheDir: gitCacheDir(),
    operator: operator(),
    // The agent's Secret mount (or DRIFTDECK_GIT_CREDENTIALS); on a person's machine the folder is not there.
    credentialsDir: gitCredentialsDir(process.env),
    ...(stallSeconds === undefined ? {} : { stallSeconds }),
  });
}

/** DRIFTDECK_GIT_TIMEOUT: seconds of silence after which a network git command gives up (default 30). */
export function gitStallSeconds(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.DRIFTDECK_GIT_TIMEOUT?.trim();
  if (text === undefined || text === '') return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600)
    throw new UsageError(`DRIFTDECK_GIT_TIMEOUT must be a number of seconds from 1 to 3600, not "${text}"`);
  return seconds;
}

/** GitSource plus the one lookup the loop needs that it answers through `log`. */
export function gitPort(source: GitSource): GitPort {
  return {
    url: source.url,
    branch: source.branch,
    poll: () => source.poll(),
    checkout: (sha) => source.checkout(sha),
    commit: async (sha) => {
      const [c] = await source.log('', { rev: sha, limit: 1 });
      if (!c) throw new Error(`no commit ${sha}`);
      return c;
    },
    history: (path, deployed) => source.history(path, deployed, { limit: 200 }),
    describeRevert: (sha) => source.describeRevert(sha),
    revert: (sha) => source.revert(sha),
    changedPaths: (from, to) => source.changedPaths(from, to),
  };
}

/**
 * helm, kustomize and kubectl from PATH, else the ones `driftdeck cluster tools` built into the cache.
 * driftdeck-jsonnet is driftdeck's own: the one built from this driftdeck's source first (its cache folder carries a
 * digest of it), and only then one on PATH or linked in the tools folder, which another version may have built.
 */
export function renderTools(): RenderTools {
  const find = (name: string): string | undefined => {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      const p = join(dir, name);
      if (dir && existsSync(p)) return p;
    }
    const cached = join(cachePaths().tools, name);
    return existsSync(cached) ? cached : undefined;
  };
  const tools: RenderTools = {};
  const helm = find('helm');
  const kustomize = find('kustomize');
  const kubectl = find('kubectl');
  if (helm) tools.helm = helm;
  if (kustomize) tools.kustomize = kustomize;
  if (kubectl) tools.kubectl = kubectl;
  const own = COMPONENTS.find((c) => c.id === 'driftdeck-jsonnet');
  const built = own ? join(cachePaths().bin(own), 'driftdeck-jsonnet') : undefined;
  const jsonnet = built && existsSync(built) ? built : find('driftdeck-jsonnet');
  if (jsonnet) tools.jsonnet = jsonnet;
  return tools;
}

export function appsLoader(flags: SourceFlags): (dir: string) => Promise<AppsResult> {
  if (flags.path || flags.app) {
    const app = adHocApp({
      name: flags.app ?? 'app',
      path: flags.path ?? '.',
      namespace: flags.namespace ?? 'default',
    });
    return async () => ({ ok: true, apps: [app] });
  }
  const tools = renderTools();
  const repoUrl = flags.repo ?? '';
  return (dir) =>
    loadRepoApps(dir, {
      repoUrl,
      branch: flags.branch,
      renderFolder: (root, folder) =>
        renderApp(
          root,
          {
            name: 'discover',
            path: folder,
            namespace: 'default',
            renderer: { type: 'auto', recurse: true },
            sync: { auto: false, prune: false, selfHeal: false },
            ignore: [],
          },
          tools,
        ),
    });
}

/** Beside the Git cache of the remote: every command and console on this machine that reads it shares it. */
export function manifestCacheFile(source: GitSource): string {
  return join(source.paths.root, 'parsed-manifests.json');
}

export interface LoopExtras {
  wrapGit?: (git: GitPort) => GitPort;
  /** The Git source and parse cache of a fleet's loops: one of each, shared (cli/fleet.ts). */
  shared?: { source: GitSource; cache: ManifestCache };
  /**
   * This process's place among agent replicas, given the cluster and its Lease identity; by default a watch of the
   * agents' Leases that leaves auto-sync to them while any is live (what a console and a one-shot command do).
   */
  shard?: (cluster: ClusterPort, holder: string, group: string) => ShardRole | undefined;
}

export function makeLoop(flags: LoopFlags, extras: LoopExtras = {}): Loop {
  const source = extras.shared?.source ?? gitSource(flags);
  const cluster = new KubeCluster({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    watch: flags.watch ?? true,
    ...(flags.stateNamespace ? { stateNamespace: flags.stateNamespace } : {}),
  });
  const tools = renderTools();
  const cache =
    extras.shared?.cache ??
    new ManifestCache(manifestCacheFile(source), undefined, undefined, sharedParsePool());
  const contextReason = contextReadonlyReason(cluster.context);
  const readonly = flags.readonly || contextReason !== undefined;
  const readonlyReason = flags.readonly ? 'started with --readonly' : contextReason;
  const holder = leaseHolder(flags.role ?? 'driftdeck');
  const destination = flags.destination ?? { cluster: cluster.context, takesDefault: true };
  // Agents of different destinations are never peers: each serves apps the others do not run. The default
  // cluster's group is the one agents had before destinations, so an agent named nothing keeps its peers.
  const group = shardGroup(
    source.url,
    destination.takesDefault ? source.branch : `${source.branch}\u0000${destination.cluster ?? ''}`,
  );
  const shard = extras.shard
    ? extras.shard(cluster, holder, group)
    : cluster.shardLeases && new ConsoleShardWatch(cluster.shardLeases, group);
  return new Loop({
    git: extras.wrapGit ? extras.wrapGit(gitPort(source)) : gitPort(source),
    cluster,
    render: (dir, app, revision) => renderApp(dir, app, tools, { cache, revision, saveSoon: true }),
    loadApps: appsLoader(flags),
    intervalMs: flags.interval * 1000,
    readonly,
    ...(readonlyReason ? { readonlyReason } : {}),
    by: operator(),
    holder,
    autoSync: flags.autoSync,
    ...(shard ? { shard } : {}),
    ...(flags.concurrentSyncs !== undefined ? { concurrentSyncs: flags.concurrentSyncs } : {}),
    diffTexts: flags.diffTexts ?? true,
    destination,
    ...(flags.notOpenedHint ? { notOpenedHint: flags.notOpenedHint } : {}),
  });
}
