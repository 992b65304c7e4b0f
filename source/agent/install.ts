// The agent's install manifests, the one source of truth `driftdeck agent install --export` prints (as `flux install
// --export` does): its Namespace, ServiceAccount, RBAC in one of two profiles, the settings ConfigMap, the Git
// credentials Secret it mounts (made by the operator, optional), the Deployment and the metrics Service.
//
// Profiles: `cluster` gives the agent a ClusterRole over every kind (an app may render any kind, as Argo CD's
// application controller may); `namespaced` gives it a Role in each listed namespace only, so anything outside them
// is Forbidden per resource. Both get what driftdeck keeps of its own in driftdeck-system: sync history ConfigMaps,
// Leases, and reading Events there.
import { stringify } from 'yaml';
import { clusterNameProblem } from '../config/schema.js';
import { isDns1123Label } from '../engine/names.js';
import { SYSTEM_NAMESPACE } from '../engine/ports.js';
import type { KubeObject } from '../engine/types.js';

export type RbacProfile = 'cluster' | 'namespaced';

export interface InstallOptions {
  repo: string;
  branch?: string;
  /** Seconds between polls. */
  interval?: number;
  image?: string;
  profile?: RbacProfile;
  /** The namespaces a namespaced agent manages. */
  namespaces?: string[];
  /** Where the agent runs and keeps its state; driftdeck-system by default. */
  namespace?: string;
  /**
   * The cluster name the agent answers to (--cluster-name): it syncs only the apps naming it. Empty or absent: the
   * default cluster, the apps naming no cluster.
   */
  clusterName?: string;
}

export const DEFAULT_IMAGE = 'ghcr.io/driftdeck/driftdeck:0.1.0';
const NAME = 'driftdeck-agent';
const METRICS_PORT = 9464;
const LABELS = { 'app.kubernetes.io/name': 'driftdeck', 'app.kubernetes.io/component': 'agent' };

/** The settings refused before anything is printed, each said with the flag. */
export function installProblems(o: InstallOptions): string[] {
  const problems: string[] = [];
  if (!o.repo) problems.push('--repo is required: the Git repository the agent pulls from');
  if (/[^\x21-\x7e]/.test(o.repo)) problems.push('--repo has spaces, control or non-ASCII characters');
  if (o.repo && /^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(o.repo))
    problems.push(
      '--repo has credentials in it, which would be written into a plain ConfigMap: leave them out of the URL',
    );
  const ns = o.namespace ?? SYSTEM_NAMESPACE;
  if (!isDns1123Label(ns)) problems.push(`--namespace "${safe(ns)}" is not a namespace name`);
  if (o.profile === 'namespaced') {
    if (!o.namespaces?.length)
      problems.push(
        '--profile namespaced needs --manage <ns>[,<ns>...]: the namespaces the agent may change',
      );
    for (const n of o.namespaces ?? [])
      if (!isDns1123Label(n)) problems.push(`--manage "${safe(n)}" is not a namespace name`);
  }
  if (o.image !== undefined && !/^[a-z0-9][a-z0-9._\-/:@]*$/i.test(o.image))
    problems.push(`--image "${safe(o.image)}" is not an image reference`);
  const clusterProblem = o.clusterName ? clusterNameProblem(o.clusterName) : undefined;
  if (clusterProblem) problems.push(`--cluster-name: ${safe(clusterProblem)}`);
  if (o.interval !== undefined && !(o.interval > 0))
    problems.push('--interval must be a number of seconds above 0');
  return problems;
}

const safe = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

export function installObjects(o: InstallOptions): KubeObject[] {
  const ns = o.namespace ?? SYSTEM_NAMESPACE;
  const profile = o.profile ?? 'cluster';
  const meta = (name: string, namespace?: string) => ({
    name,
    ...(namespace ? { namespace } : {}),
    labels: { ...LABELS },
  });
  const subject = { kind: 'ServiceAccount', name: NAME, namespace: ns };
  const own: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns) },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(NAME, ns) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(`${NAME}-state`, ns),
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'],
        },
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        },
        { apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] },
      ],
    } as KubeObject,
    binding('RoleBinding', `${NAME}-state`, ns, { kind: 'Role', name: `${NAME}-state` }, subject),
  ];
  const rbac: KubeObject[] =
    profile === 'cluster'
      ? [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: meta(NAME),
            rules: [
              { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
              { nonResourceURLs: ['*'], verbs: ['get'] },
            ],
          } as KubeObject,
          binding('ClusterRoleBinding', NAME, undefined, { kind: 'ClusterRole', name: NAME }, subject),
        ]
      : [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: meta(`${NAME}-discovery`),
            // Discovery and the namespaces themselves (to say a namespace is missing); nothing else cluster-wide.
            rules: [
              { nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/version'], verbs: ['get'] },
              { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
            ],
          } as KubeObject,
          binding(
            'ClusterRoleBinding',
            `${NAME}-discovery`,
            undefined,
            { kind: 'ClusterRole', name: `${NAME}-discovery` },
            subject,
          ),
          ...(o.namespaces ?? []).flatMap((managed) => [
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'Role',
              metadata: meta(NAME, managed),
              rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
            } as KubeObject,
            binding('RoleBinding', NAME, managed, { kind: 'Role', name: NAME }, subject),
          ]),
        ];
  const settings: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(`${NAME}-settings`, ns),
    data: {
      DRIFTDECK_REPO: o.repo,
      DRIFTDECK_BRANCH: o.branch ?? 'main',
      DRIFTDECK_INTERVAL: String(o.interval ?? 30),
      DRIFTDECK_STATE_NAMESPACE: ns,
      // Read by the agent from its environment; empty: the default cluster.
      DRIFTDECK_CLUSTER_NAME: o.clusterName ?? '',
    },
  } as KubeObject;
  const deployment = agentDeployment(ns, o.image ?? DEFAULT_IMAGE, meta);
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(NAME, ns),
    spec: {
      selector: { ...LABELS },
      ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' }],
    },
  } as KubeObject;
  return [...own, ...rbac, settings, withWebhook(deployment), withWebhookPort(service)];
}

function binding(
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  name: string,
  namespace: string | undefined,
  role: { kind: 'Role' | 'ClusterRole'; name: string },
  subject: { kind: string; name: string; namespace: string },
): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), labels: { ...LABELS } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...role },
    subjects: [subject],
  } as KubeObject;
}

function agentDeployment(
  ns: string,
  image: string,
  meta: (name: string, namespace?: string) => KubeObject['metadata'],
): KubeObject {
  const probe = (path: string) => ({
    httpGet: { path, port: 'metrics' },
    periodSeconds: 10,
    timeoutSeconds: 3,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(NAME, ns),
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...LABELS } },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: {
          serviceAccountName: NAME,
          automountServiceAccountToken: true,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            fsGroup: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'agent',
              image,
              args: [
                'agent',
                '--repo',
                '$(DRIFTDECK_REPO)',
                '--branch',
                '$(DRIFTDECK_BRANCH)',
                '--interval',
                '$(DRIFTDECK_INTERVAL)',
                '--state-namespace',
                '$(DRIFTDECK_STATE_NAMESPACE)',
                '--metrics-address',
                `0.0.0.0:${METRICS_PORT}`,
              ],
              envFrom: [{ configMapRef: { name: `${NAME}-settings` } }],
              env: [
                { name: 'HOME', value: '/home/driftdeck' },
                { name: 'XDG_CACHE_HOME', value: '/var/cache/driftdeck' },
                // glibc keeps up to 8 malloc arenas per core and rarely gives their freed memory back: after a sync
                // of a whole fleet the agent held 2.5 times the memory at rest (npm run bench -- --only fleet).
                { name: 'MALLOC_ARENA_MAX', value: '2' },
              ],
              ports: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
              livenessProbe: probe('/healthz'),
              readinessProbe: probe('/readyz'),
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'cache', mountPath: '/var/cache/driftdeck' },
                { name: 'home', mountPath: '/home/driftdeck' },
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'git-credentials', mountPath: '/etc/driftdeck/git', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'cache', emptyDir: {} },
            { name: 'home', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
            // ssh key and known_hosts, or an https token: made by the operator; the agent starts without it.
            {
              name: 'git-credentials',
              secret: { secretName: `${NAME}-git`, optional: true, defaultMode: 0o400 },
            },
          ],
        },
      },
    },
  } as KubeObject;
}

// -- Git webhooks ------------------------------------------------------------------------------------------------
// The shared secret comes from the optional Secret driftdeck-agent-webhook (key `secret`), made by the operator:
// without it the file is absent and /api/webhook answers 404. The webhook is served on the metrics port; the
// Service names it `webhook` for an Ingress or a Gateway to route /api/webhook to.

export const WEBHOOK_SECRET_NAME = `${NAME}-webhook`;
const WEBHOOK_DIR = '/etc/driftdeck/webhook';

function withWebhook(deployment: KubeObject): KubeObject {
  const spec = (deployment as unknown as { spec: { template: { spec: PodSpecParts } } }).spec.template.spec;
  const container = spec.containers[0];
  if (!container) return deployment;
  container.args.push('--webhook-secret-file', `${WEBHOOK_DIR}/secret`);
  container.volumeMounts.push({ name: 'webhook-secret', mountPath: WEBHOOK_DIR, readOnly: true });
  spec.volumes.push({
    name: 'webhook-secret',
    secret: { secretName: WEBHOOK_SECRET_NAME, optional: true, defaultMode: 0o400 },
  });
  return deployment;
}

function withWebhookPort(service: KubeObject): KubeObject {
  const spec = (service as unknown as { spec: { ports: Array<Record<string, unknown>> } }).spec;
  spec.ports.push({ name: 'webhook', port: 80, targetPort: 'metrics', protocol: 'TCP' });
  return service;
}

interface PodSpecParts {
  containers: Array<{ args: string[]; volumeMounts: Array<Record<string, unknown>> }>;
  volumes: Array<Record<string, unknown>>;
}

/** The manifests as one YAML stream, headed by what made them. */
export function installYaml(o: InstallOptions): string {
  const docs = installObjects(o).map((obj) => stringify(obj, { lineWidth: 0 }).trimEnd());
  return `# driftdeck agent: generated by \`driftdeck agent install --export\` (profile ${o.profile ?? 'cluster'})\n---\n${docs.join('\n---\n')}\n`;
}
