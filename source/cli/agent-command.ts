// `driftdeck agent`: the watch loop with auto-sync, printing JSON lines (events and status changes) until told to
// stop; with --metrics-address, also /healthz, /readyz and /metrics for an orchestrator and a scraper, and the
// Git webhook at /api/webhook once a secret is given.
import { hostname } from 'node:os';
import { parseAddress, type Readiness, startAgentHttp } from '../agent/http-server.js';
import { boundHeapGrowth, heapGrowingPercent, IdleCollector } from '../agent/idle-collect.js';
import { type InstallOptions, installProblems, installYaml } from '../agent/install.js';
import { AgentMetrics } from '../agent/metrics.js';
import { WEBHOOK_PATH, webhookReceiver } from '../agent/webhook.js';
import { webhookSecret } from '../agent/webhook-secret.js';
import { clusterNameProblem } from '../config/schema.js';
import { agentIdProblem, DEFAULT_LEASE_SECONDS, defaultAgentId } from '../engine/shard.js';
import type { Snapshot } from '../engine/types.js';
import type { Loop } from '../loop/index.js';
import { AgentShard } from '../loop/shard-role.js';
import { newEvents, type Out } from './commands.js';
import { formatAppError } from './format.js';
import { type LoopFlags, makeLoop, UsageError } from './wire.js';

export async function agent(
  flags: LoopFlags,
  out: Out,
  opts: {
    metricsAddress?: string;
    webhookSecretFile?: string;
    id?: string;
    leaseSeconds?: number;
    clusterName?: string;
  } = {},
): Promise<number> {
  // The webhook secret from the environment is taken out of it before anything starts: git, ssh, helm and kustomize
  // inherit this process's environment, and none of them may see it.
  const envSecret = takeWebhookSecret(process.env);
  // A bad address, id or lease duration is refused before anything starts.
  if (opts.metricsAddress !== undefined) parseAddress(opts.metricsAddress);
  if (opts.webhookSecretFile !== undefined && opts.metricsAddress === undefined)
    throw new UsageError('--webhook-secret-file needs --metrics-address: the webhook is served there');
  const shardOptions = agentShardOptions(opts);
  const clusterName = agentClusterName(opts.clusterName, process.env);
  const heapGrowth = attempt(() => heapGrowingPercent(process.env.DRIFTDECK_HEAP_GROWING_PERCENT));
  const held: { loop?: Loop; shard?: AgentShard } = {};
  const current = () => {
    if (!held.loop) throw new Error('the agent has not started');
    return held.loop;
  };
  const metrics =
    opts.metricsAddress !== undefined
      ? new AgentMetrics({
          getSnapshot: () => current().getSnapshot(),
          subscribe: (l) => current().subscribe(l),
          requests: () => current().cluster.requests(),
        })
      : undefined;
  const loop = makeLoop(
    {
      ...flags,
      autoSync: !flags.readonly,
      diffTexts: false,
      // Pull-based: an agent runs the apps of its own cluster only (loop/destination.ts).
      destination: clusterName ? { cluster: clusterName, takesDefault: false } : { takesDefault: true },
      notOpenedHint: 'an agent started with --cluster-name <name> in that cluster runs them',
    },
    {
      wrapGit: (git) => (metrics ? metrics.timedGit(git) : git),
      shard: (cluster, processHolder, group) => {
        if (!cluster.shardLeases) return undefined;
        held.shard = new AgentShard(cluster.shardLeases, { ...shardOptions, processHolder, group });
        return held.shard;
      },
    },
  );
  held.loop = loop;
  let seen = 0;
  const status = new Map<string, string>();
  const print = () => {
    const snap = loop.getSnapshot();
    for (const e of newEvents(snap, seen)) out.write(JSON.stringify(e));
    seen = snap.eventCount ?? snap.events.length;
    for (const a of snap.apps) {
      const line = `${a.sync}/${a.health.status}`;
      if (status.get(a.name) === line) continue;
      status.set(a.name, line);
      out.write(
        JSON.stringify({
          time: new Date().toISOString(),
          app: a.name,
          level: a.error ? 'error' : 'info',
          type: 'status',
          message: `${a.sync} ${a.health.status}${a.error ? `: ${formatAppError(a)}` : ''}`,
          sync: a.sync,
          health: a.health.status,
        }),
      );
    }
  };
  loop.subscribe(print);
  boundHeapGrowth(heapGrowth);
  const collector = new IdleCollector({ collected: () => metrics?.countIdleCollection() });
  loop.subscribe(() => collector.changed(loop.getSnapshot()));
  // Told to stop from here on, during the first start too (a rolling update, Ctrl-C while the first fetch hangs):
  // the default handler would end the process with the apps' Leases still held, for others to wait out.
  const stopAsked = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  let started = false;
  const secret = webhookSecret(opts.webhookSecretFile, envSecret);
  const http =
    metrics && opts.metricsAddress !== undefined
      ? await startAgentHttp({
          address: opts.metricsAddress,
          readiness: () => readiness(started, loop.getSnapshot()),
          metrics: async () => ({ contentType: metrics.contentType, text: await metrics.text() }),
          webhook: webhookReceiver({
            secret,
            target: () => {
              const { repo, branch } = loop.getSnapshot();
              return { url: repo, branch };
            },
            trigger: ({ forge, sha }) => {
              out.write(
                JSON.stringify({
                  time: new Date().toISOString(),
                  app: '',
                  level: 'info',
                  type: 'webhook',
                  message: `${forge} push${sha ? ` of ${sha.slice(0, 7)}` : ''}: polling now`,
                }),
              );
              loop.pollNow();
            },
            count: (forge, result) => metrics.countWebhook(forge, result),
          }),
        })
      : undefined;
  if (http) {
    out.error(`serving /healthz, /readyz and /metrics on http://${http.address}`);
    out.error(
      (await secret())
        ? `webhook: POST http://${http.address}${WEBHOOK_PATH} (signed with the secret from ${opts.webhookSecretFile ?? 'DRIFTDECK_WEBHOOK_SECRET'})`
        : `webhook off (${WEBHOOK_PATH} answers 404): no secret in ${opts.webhookSecretFile ?? 'DRIFTDECK_WEBHOOK_SECRET or --webhook-secret-file'}`,
    );
  }
  // A stop that comes first is not kept waiting for the first start (a fetch, renders, the cluster's lists).
  if (await Promise.race([loop.start().then(() => true), stopAsked.then(() => false)])) {
    started = true;
    metrics?.start();
    // Every timer of the loop is unref'd and sockets come and go (a lost API server closes them all): this one
    // keeps the agent alive until it is told to stop.
    const keepAlive = setInterval(() => undefined, 60_000);
    await stopAsked;
    clearInterval(keepAlive);
  }
  collector.stop();
  metrics?.stop();
  await http?.close();
  loop.stop();
  // The apps are handed back and the heartbeat removed, so the other replicas take them over at once.
  await held.shard?.stop();
  loop.cluster.close();
  return 0;
}

/**
 * The cluster name the agent answers to: --cluster-name, else DRIFTDECK_CLUSTER_NAME (the install's settings, where
 * empty means none), else none (the default cluster: the apps naming no cluster).
 */
export function agentClusterName(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const name = flag ?? (env.DRIFTDECK_CLUSTER_NAME || undefined);
  if (name === undefined) return undefined;
  const problem = clusterNameProblem(name);
  if (problem)
    throw new UsageError(`${flag !== undefined ? '--cluster-name' : 'DRIFTDECK_CLUSTER_NAME'}: ${problem}`);
  return name;
}

/** The agent's id (a DNS label: it names its heartbeat Lease) and lease duration, checked. */
export function agentShardOptions(opts: { id?: string; leaseSeconds?: number }): {
  id: string;
  leaseSeconds: number;
} {
  const id = opts.id ?? defaultAgentId(hostname(), process.pid);
  const problem = agentIdProblem(id);
  if (problem) throw new UsageError(`--id: ${problem}`);
  const leaseSeconds = opts.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < 3 || leaseSeconds > 300)
    throw new UsageError(
      `--lease-duration must be a whole number of seconds from 3 to 300, not ${leaseSeconds}`,
    );
  return { id, leaseSeconds };
}

/** Ready once the first comparison is done and the API server answers; not while a lost connection is retried. */
export function readiness(started: boolean, snap: Snapshot): Readiness {
  if (!started) return { ready: false, reason: 'the first poll and comparison are not done yet' };
  if (snap.loop.connection !== 'connected')
    return {
      ready: false,
      reason: `API server ${snap.loop.connection}${snap.loop.connectionMessage ? `: ${snap.loop.connectionMessage}` : ''}`,
    };
  return { ready: true };
}

/** `driftdeck agent install --export`: the install manifests on stdout, to read or pipe to `kubectl apply -f -`. */
export function agentInstall(opts: InstallOptions & { export: boolean }, out: Out): number {
  if (!opts.export)
    throw new UsageError(
      'agent install prints the manifests with --export (pipe them to `kubectl apply --server-side -f -`); it changes no cluster itself',
    );
  if (opts.profile !== undefined && opts.profile !== 'cluster' && opts.profile !== 'namespaced')
    throw new UsageError(
      `--profile "${String(opts.profile).replace(/[^\x20-\x7e]/g, '?')}" is not cluster or namespaced`,
    );
  const problems = installProblems(opts);
  if (problems.length) throw new UsageError(problems.join('; '));
  out.write(installYaml(opts).trimEnd());
  return 0;
}

/** DRIFTDECK_WEBHOOK_SECRET, taken out of `env` so that no child process inherits it. */
export function takeWebhookSecret(env: NodeJS.ProcessEnv): string | undefined {
  const secret = env.DRIFTDECK_WEBHOOK_SECRET;
  delete env.DRIFTDECK_WEBHOOK_SECRET;
  return secret;
}

/** `read()`, its error a usage error (exit 2) with the same message. */
function attempt<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
