import { KubeConfig } from '@kubernetes/client-node';
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

/** Loads a kubeconfig (the given file, else KUBECONFIG or ~/.kube/config) and selects a context. */
export function connect(opts: ConnectOptions = {}): KubeConnection {
  const kc = new KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
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
