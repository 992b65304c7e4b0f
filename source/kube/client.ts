import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { findHomeDir, KubeConfig } from '@kubernetes/client-node';
import { RawClient } from './http.js';
import { detectInCluster, type InClusterConfig, TokenFile } from './in-cluster.js';

export interface KubeConnection {
  kc: KubeConfig;
  raw: RawClient;
  context: string;
  server: string;
  /** Running in a pod: its namespace (the ServiceAccount folder's `namespace`). */
  podNamespace?: string;
}

export interface ConnectOptions {
  kubeconfig?: string;
  context?: string;
  /** The environment read for KUBECONFIG and the in-cluster settings (tests); process.env by default. */
  env?: NodeJS.ProcessEnv;
}

const WAYS_OUT =
  'set KUBECONFIG to a kubeconfig file, pass --kubeconfig <file>, or run `driftdeck cluster up` for a local cluster';
/** The name the in-cluster configuration is shown under, as client-go's. */
export const IN_CLUSTER_CONTEXT = 'in-cluster';

function loadFile(kc: KubeConfig, file: string, from: string): void {
  if (!existsSync(file)) throw new Error(`the kubeconfig file ${file} (${from}) does not exist; ${WAYS_OUT}`);
  try {
    kc.loadFromFile(file);
  } catch (err) {
    throw new Error(`cannot read the kubeconfig file ${file} (${from}): ${(err as Error).message}`);
  }
}

/**
 * The kubeconfig as kubectl finds it: the given file, else the files in KUBECONFIG, else ~/.kube/config, else the
 * pod's ServiceAccount (in-cluster). client-node's loadFromDefault falls back to http://localhost:8080 when there is
 * none at all, which then fails every request with "HTTP protocol is not allowed when skipTLSVerify is not set or
 * false": a person must read instead what is missing and the ways out.
 */
function loadKubeconfig(
  kc: KubeConfig,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): InClusterConfig | undefined {
  if (file) {
    loadFile(kc, file, 'given with --kubeconfig');
    return undefined;
  }
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  for (const f of listed) if (!existsSync(f)) loadFile(kc, f, 'named by KUBECONFIG');
  if (listed.length > 0) {
    // Merged as kubectl merges them: the first file's current context wins.
    loadFile(kc, listed[0] as string, 'named by KUBECONFIG');
    for (const f of listed.slice(1)) {
      const more = new KubeConfig();
      loadFile(more, f, 'named by KUBECONFIG');
      kc.mergeConfig(more);
    }
    return undefined;
  }
  const home = env.HOME || findHomeDir();
  const homeConfig = home ? join(home, '.kube', 'config') : undefined;
  if (homeConfig && existsSync(homeConfig)) {
    loadFile(kc, homeConfig, 'the default');
    return undefined;
  }
  const pod = detectInCluster(env);
  if (pod) {
    // The token is not part of the kubeconfig: RawClient reads it from its file per request (it is rotated).
    kc.loadFromOptions({
      clusters: [{ name: IN_CLUSTER_CONTEXT, server: pod.server, caFile: pod.caFile, skipTLSVerify: false }],
      users: [{ name: IN_CLUSTER_CONTEXT }],
      contexts: [
        {
          name: IN_CLUSTER_CONTEXT,
          cluster: IN_CLUSTER_CONTEXT,
          user: IN_CLUSTER_CONTEXT,
          namespace: pod.namespace,
        },
      ],
      currentContext: IN_CLUSTER_CONTEXT,
    });
    return pod;
  }
  throw new Error(
    `no kubeconfig: KUBECONFIG is not set and ${homeConfig ?? '~/.kube/config'} does not exist (nor is this a pod: KUBERNETES_SERVICE_HOST is not set); ${WAYS_OUT}`,
  );
}

/** Loads a kubeconfig (the given file, else KUBECONFIG or ~/.kube/config, else in-cluster) and selects a context. */
export function connect(opts: ConnectOptions = {}): KubeConnection {
  const kc = new KubeConfig();
  const pod = loadKubeconfig(kc, opts.kubeconfig, opts.env ?? process.env);
  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new Error(
        `kubeconfig has no context "${opts.context}"${known.length ? `; known contexts: ${known.join(', ')}` : ''}`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new Error(
      `no current cluster in ${opts.kubeconfig ?? 'the kubeconfig'}; pass --kubeconfig and --context, or run \`driftdeck cluster up\``,
    );
  const raw = new RawClient(kc, pod ? { token: new TokenFile(pod.tokenFile) } : {});
  return {
    kc,
    raw,
    context: kc.getCurrentContext(),
    server: cluster.server,
    ...(pod ? { podNamespace: pod.namespace } : {}),
  };
}
