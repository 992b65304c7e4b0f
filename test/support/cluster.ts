// What integration tests need from the local cluster that `npm test` brought up: its kubeconfig, and a fresh
// namespace per test so test files running in parallel never touch each other's objects.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import https from 'node:https';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

export function testKubeconfig(): { kubeconfig: string; context: string } {
  const kubeconfig = process.env.DRIFTDECK_TEST_KUBECONFIG;
  const context = process.env.DRIFTDECK_TEST_CONTEXT;
  if (!kubeconfig || !context)
    throw new Error(
      'DRIFTDECK_TEST_KUBECONFIG is not set: run integration tests through `npm test` (or `npm test -- --only integration <file>`), which starts the local cluster',
    );
  return { kubeconfig, context };
}

export function kubeConfig(): KubeConfig {
  const { kubeconfig, context } = testKubeconfig();
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext(context);
  return kc;
}

/**
 * Both clusters' contexts in one kubeconfig, as a person with several clusters has them: `first`'s file with
 * `second`'s context, cluster and user added.
 */
export function mergedKubeconfig(
  first: { kubeconfig: string },
  second: { kubeconfig: string; context: string },
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(first.kubeconfig);
  const other = new KubeConfig();
  other.loadFromFile(second.kubeconfig);
  const ctx = other.getContextObject(second.context);
  const cluster = ctx && other.getCluster(ctx.cluster);
  const user = ctx && other.getUser(ctx.user);
  if (!ctx || !cluster || !user)
    throw new Error(`no complete context ${second.context} in ${second.kubeconfig}`);
  kc.addCluster(cluster);
  kc.addUser(user);
  kc.addContext(ctx);
  return kc;
}

/** The test cluster's kubeconfig with more contexts naming the same cluster and user, written to `file`. */
export async function kubeconfigWithAliases(file: string, aliases: readonly string[]): Promise<string> {
  const { kubeconfig, context } = testKubeconfig();
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const base = kc.getContextObject(context);
  if (!base) throw new Error(`no context ${context} in ${kubeconfig}`);
  for (const name of aliases) kc.addContext({ name, cluster: base.cluster, user: base.user });
  await writeFile(file, kc.exportConfig());
  return file;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function createNamespace(
  prefix: string,
  labels?: Record<string, string>,
): Promise<{ name: string; remove: () => Promise<void> }> {
  const core = kubeConfig().makeApiClient(CoreV1Api);
  const name = uniqueName(prefix);
  await core.createNamespace({ body: { metadata: { name, ...(labels ? { labels } : {}) } } });
  return {
    name,
    remove: async () => {
      await core.deleteNamespace({ name }).catch(() => undefined);
    },
  };
}

/** Polls `check` until it returns a value, or fails with the last thing it saw. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A server-side apply as another tool would make it (the URL names its field manager); answers the HTTP status. */
export async function serverSideApply(
  kc: ReturnType<typeof kubeConfig>,
  url: string,
  body: unknown,
): Promise<number> {
  const opts: https.RequestOptions = { method: 'PATCH', headers: {} };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        ...opts,
        headers: {
          ...(opts.headers as Record<string, string>),
          'Content-Type': 'application/apply-patch+yaml',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
