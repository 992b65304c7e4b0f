// Starts and stops a named local cluster with kwokctl's binary runtime, using only the binaries built into the cache.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalClusterError, type Tools } from './build.js';
import { clusterLogsDocument, podLogsDir, removePodLogs, writePodLogs } from './kwok-logs.js';
import { KWOK_STAGES } from './kwok-stages.js';
import { cachePaths } from './paths.js';
import { formatElapsed, type ProgressSink } from './progress.js';
import { runQuiet } from './run.js';
import { KUBE_VERSION } from './versions.js';

export interface ClusterInfo {
  name: string;
  kubeconfig: string;
  context: string;
  /** The folder of the log files kwok serves for its pods (kwok-logs.ts). */
  podLogs: string;
}

const kwokEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  KWOK_WORKDIR: cachePaths().kwok,
  KWOK_RUNTIME: 'binary',
  KWOK_KUBE_VERSION: KUBE_VERSION,
});

/**
 * kwokctl binds every component to 0.0.0.0 by default (`options.bindAddress`, kwok v0.8.0): the API server, the
 * controller manager, the scheduler, the kwok controller and an etcd without authentication would answer anyone on
 * the network. One option of kwokctl's own configuration binds them all to loopback: etcd's client and peer URLs,
 * `--bind-address` of the API server, controller manager and scheduler, and kwok's `--server-address`; the
 * kubeconfig already points at 127.0.0.1. The same file carries the kwok Stages (what fake nodes and pods do) and
 * the ClusterLogs that name each container's log file (kwok-logs.ts).
 */
const KWOKCTL_OPTIONS = `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  bindAddress: 127.0.0.1
`;

/**
 * The whole configuration kwokctl is given for cluster `name`: several documents in one file. It names the cluster's
 * own folder of log files, so it differs per cluster name.
 */
export const clusterConfig = (name: string) =>
  [KWOKCTL_OPTIONS, ...KWOK_STAGES, clusterLogsDocument(podLogsDir(name))].join('---\n');

/** Identifies the configuration a cluster was made with; a reused cluster made with another one is re-created. */
export const configHash = (config: string) => createHash('sha256').update(config).digest('hex');

/** Written under the content's hash, so runs of different checkouts never overwrite each other's file. */
async function clusterConfigFile(name: string): Promise<string> {
  const config = clusterConfig(name);
  const file = join(cachePaths().kwok, `driftdeck-config-${configHash(config).slice(0, 16)}.yaml`);
  await writeFile(file, config);
  return file;
}

/** Kept in kwokctl's folder of the cluster, so it goes away with the cluster. */
const configStamp = (name: string) => join(cachePaths().kwok, 'clusters', name, 'driftdeck-config.sha256');

async function madeWithThisConfig(name: string): Promise<boolean> {
  const stamp = await readFile(configStamp(name), 'utf8').catch(() => '');
  return stamp.trim() === configHash(clusterConfig(name));
}

export const kubeconfigPath = (name: string) => join(cachePaths().kwok, 'kubeconfigs', `${name}.yaml`);
const contextOf = (name: string) => `kwok-${name}`;

function kwokctl(tools: Tools, name: string, args: string[], timeoutMs = 180_000): Promise<string> {
  return runQuiet(tools.kwokctl, ['--name', name, ...args], { env: kwokEnv(), timeoutMs });
}

export async function listClusters(tools: Tools): Promise<string[]> {
  const out = await runQuiet(tools.kwokctl, ['get', 'clusters'], { env: kwokEnv() }).catch(() => '');
  return out
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

interface NodeList {
  items: Array<{
    metadata: { name: string };
    status?: { conditions?: Array<{ type: string; status: string }> };
  }>;
}

/** Counts nodes whose Ready condition is True; undefined when the API server does not answer. */
export async function readyNodes(tools: Tools, name: string): Promise<number | undefined> {
  try {
    const out = await runQuiet(
      tools.kubectl,
      ['--kubeconfig', kubeconfigPath(name), '--request-timeout=5s', 'get', 'nodes', '-o', 'json'],
      { timeoutMs: 10_000 },
    );
    const list = JSON.parse(out) as NodeList;
    return list.items.filter((n) =>
      n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes test clusters left by runs that were killed (their name carries the pid of a process that is gone), so a
 * crashed run never needs a person to clean up. (A cluster of the wanted name that does not answer is handled by
 * startCluster.)
 */
async function removeStale(tools: Tools, sink: ProgressSink): Promise<void> {
  const clusters = await listClusters(tools);
  for (const c of clusters) {
    const pid = /^driftdeck-test-(\d+)(-b)?$/.exec(c)?.[1];
    if (pid && Number(pid) !== process.pid && !pidAlive(Number(pid))) {
      sink(`removing cluster ${c} left by a run that is gone`);
      await deleteCluster(tools, c);
    }
  }
}

async function deleteCluster(tools: Tools, name: string): Promise<void> {
  await kwokctl(tools, name, ['delete', 'cluster', '--kubeconfig', kubeconfigPath(name)]).catch(
    () => undefined,
  );
  // A cluster killed half-way may leave its folder behind; kwokctl would then refuse to create it again.
  await rm(join(cachePaths().kwok, 'clusters', name), { recursive: true, force: true });
  await rm(kubeconfigPath(name), { force: true });
  await removePodLogs(name);
}

export interface StartOptions {
  name: string;
  tools: Tools;
  nodes?: number;
  onProgress?: ProgressSink;
  /** Reuse a running cluster of this name when it answers (the demo); tests always start clean. */
  reuse?: boolean;
  readyTimeoutMs?: number;
}

export async function startCluster(opts: StartOptions): Promise<ClusterInfo> {
  const { name, tools } = opts;
  const sink = opts.onProgress ?? (() => {});
  const nodes = opts.nodes ?? 3;
  const info: ClusterInfo = {
    name,
    kubeconfig: kubeconfigPath(name),
    context: contextOf(name),
    podLogs: podLogsDir(name),
  };
  await mkdir(join(cachePaths().kwok, 'kubeconfigs'), { recursive: true });
  await removeStale(tools, sink);

  const existing = (await listClusters(tools)).includes(name);
  const sameConfig = existing && (await madeWithThisConfig(name));
  if (existing && opts.reuse && !sameConfig)
    sink(`cluster ${name} was made with another configuration (kwok stages or logs); making it again`);
  if (existing && opts.reuse && sameConfig && existsSync(info.kubeconfig)) {
    // kwok reads the log files at each request: written again, a reused cluster serves this version's texts.
    await writePodLogs(name);
    const ready = await readyNodes(tools, name);
    if (ready !== undefined && ready >= nodes) {
      sink(`cluster ${name} is already running (${ready} nodes Ready)`);
      return info;
    }
    sink(`cluster ${name} exists but does not answer; starting it again`);
    const started = await kwokctl(tools, name, ['start', 'cluster']).then(
      () => true,
      () => false,
    );
    if (
      started &&
      (await waitReady(tools, name, nodes, sink, 60_000).then(
        () => true,
        () => false,
      ))
    )
      return info;
  }
  if (existing) {
    sink(`removing the old cluster ${name}`);
    await deleteCluster(tools, name);
  }

  const started = Date.now();
  sink(`starting cluster ${name} (kube ${KUBE_VERSION}, kwok nodes: ${nodes}) ...`);
  try {
    await writePodLogs(name);
    await kwokctl(tools, name, [
      '--config',
      await clusterConfigFile(name),
      'create',
      'cluster',
      '--runtime',
      'binary',
      '--kube-apiserver-binary',
      tools.kubeApiserver,
      '--kube-controller-manager-binary',
      tools.kubeControllerManager,
      '--kube-scheduler-binary',
      tools.kubeScheduler,
      '--etcd-binary',
      tools.etcd,
      '--kwok-controller-binary',
      tools.kwok,
      '--kubeconfig',
      info.kubeconfig,
      '--disable-qps-limits',
      '--wait',
      '120s',
    ]);
    await kwokctl(tools, name, ['scale', 'node', '--replicas', String(nodes)]);
    await writeFile(configStamp(name), `${configHash(clusterConfig(name))}\n`);
  } catch (err) {
    const logs = join(cachePaths().kwok, 'clusters', name, 'logs');
    await deleteCluster(tools, name);
    throw new LocalClusterError(
      `could not start the local cluster ${name}: ${(err as Error).message.slice(0, 2000)}\ncomponent logs were in ${logs}`,
    );
  }
  await waitReady(tools, name, nodes, sink, opts.readyTimeoutMs ?? 120_000);
  sink(`cluster ${name} is up in ${formatElapsed(Date.now() - started)}; kubeconfig: ${info.kubeconfig}`);
  return info;
}

async function waitReady(tools: Tools, name: string, nodes: number, sink: ProgressSink, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  for (;;) {
    const ready = (await readyNodes(tools, name)) ?? 0;
    if (ready !== last) sink(`nodes Ready: ${ready}/${nodes}`);
    last = ready;
    if (ready >= nodes) return;
    if (Date.now() > deadline)
      throw new LocalClusterError(`cluster ${name}: only ${ready} of ${nodes} nodes became Ready in time`);
    await sleep(500);
  }
}

export async function stopCluster(name: string, tools: Tools, opts: { onProgress?: ProgressSink } = {}) {
  opts.onProgress?.(`deleting cluster ${name}`);
  await deleteCluster(tools, name);
}

export async function clusterStatus(tools: Tools, name: string) {
  const exists = (await listClusters(tools)).includes(name);
  const ready = exists ? await readyNodes(tools, name) : undefined;
  const clustersDir = join(cachePaths().kwok, 'clusters');
  const all = existsSync(clustersDir) ? await readdir(clustersDir) : [];
  return {
    name,
    exists,
    reachable: ready !== undefined,
    readyNodes: ready ?? 0,
    kubeconfig: kubeconfigPath(name),
    all,
  };
}
