import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { findHomeDir, KubeConfig } from '@kubernetes/client-node';
import { RawClient } from './http.js';

export interface KubeConnection {
  kc: KubeConfig;
  raw: RawClient;
  context: string;
  server: string;
}

export interface ConnectOptions {
  kubeconfig?: string;
  context?: string;
}

const WAYS_OUT =
  'set KUBECONFIG to a kubeconfig file, pass --kubeconfig <file>, or run `driftdeck cluster up` for a local cluster';
/** Where client-node finds a ServiceAccount token when it runs in a pod. */
const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

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
 * pod's ServiceAccount. client-node's loadFromDefault falls back to http://localhost:8080 when there is none at all,
 * which then fails every request with "HTTP protocol is not allowed when skipTLSVerify is not set or false": a person
 * must read instead what is missing and the ways out.
 */
function loadKubeconfig(kc: KubeConfig, file: string | undefined): void {
  if (file) {
    loadFile(kc, file, 'given with --kubeconfig');
    return;
  }
  const listed = (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  for (const f of listed) if (!existsSync(f)) loadFile(kc, f, 'named by KUBECONFIG');
  const home = findHomeDir();
  const homeConfig = home ? join(home, '.kube', 'config') : undefined;
  if (listed.length > 0 || (homeConfig && existsSync(homeConfig)) || existsSync(IN_CLUSTER_TOKEN)) {
    kc.loadFromDefault();
    return;
  }
  throw new Error(
    `no kubeconfig: KUBECONFIG is not set and ${homeConfig ?? '~/.kube/config'} does not exist; ${WAYS_OUT}`,
  );
}

/** Loads a kubeconfig (the given file, else KUBECONFIG or ~/.kube/config) and selects a context. */
export function connect(opts: ConnectOptions = {}): KubeConnection {
  const kc = new KubeConfig();
  loadKubeconfig(kc, opts.kubeconfig);
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
  return { kc, raw: new RawClient(kc), context: kc.getCurrentContext(), server: cluster.server };
}
