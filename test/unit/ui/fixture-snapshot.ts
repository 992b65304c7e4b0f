// The fixture snapshot for UI tests: the GadgetGrove shop with backend out of sync after a security patch,
// frontend in sync, and cart with a masked Secret diff and a prune candidate.

import { keyString } from '../../../source/engine/keys.js';
import { type HookManifest, planSyncTasks } from '../../../source/engine/sync-tasks.js';
import { planSummary } from '../../../source/engine/syncplan.js';
import type {
  AppState,
  Commit,
  HistoryEntry,
  KubeObject,
  ResourceState,
  RolloutEvent,
  Snapshot,
  SyncPlanSummary,
} from '../../../source/engine/types.js';

export const NOW = Date.parse('2025-05-01T12:00:00Z');
export const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

export const DEPLOYED = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const PATCH = 'f00dbabe00112233445566778899aabbccddeeff';

export function resource(
  kind: string,
  name: string,
  status: ResourceState['status'],
  diff = '',
  extra: Partial<ResourceState> = {},
): ResourceState {
  return {
    key: { group: kind === 'Deployment' ? 'apps' : '', kind, namespace: 'shop', name },
    apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
    status,
    health: { status: 'Healthy' },
    diff,
    diffMode: 'server-side',
    wave: 0,
    ...extra,
  };
}

function app(
  name: string,
  sync: AppState['sync'],
  resources: ResourceState[],
  extra: Partial<AppState> = {},
): AppState {
  return {
    name,
    spec: {
      name,
      path: `apps/${name}`,
      namespace: 'shop',
      renderer: { type: 'auto' },
      sync: { auto: false, prune: false, selfHeal: false },
      ignore: [],
    },
    targetRevision: PATCH,
    deployedRevision: DEPLOYED,
    sync,
    health: { status: 'Healthy' },
    resources,
    comparedAt: ago(2),
    ...extra,
  };
}

export const BACKEND_DIFF = [
  '--- live',
  '+++ desired',
  '@@ -20,3 +20,3 @@',
  '       containers:',
  '-        image: ghcr.io/gadgetgrove/backend:v1.0.0',
  '+        image: ghcr.io/gadgetgrove/backend:v1.0.1-security-patch',
  '         name: backend',
  '',
].join('\n');

export const SECRET_DIFF = [
  '--- live',
  '+++ desired',
  '@@ -1,4 +1,4 @@',
  ' data:',
  '-  password: ++++++++ (1)',
  '+  password: ++++++++ (2)',
  ' kind: Secret',
].join('\n');

export const HEAD: Commit = {
  sha: PATCH,
  shortSha: PATCH.slice(0, 7),
  author: 'alice',
  email: 'alice@gadgetgrove.test',
  date: ago(300),
  subject: 'backend: v1.0.1-security-patch',
};

export const BACKEND_HISTORY: HistoryEntry[] = [
  { ...HEAD, deployed: false },
  {
    sha: DEPLOYED,
    shortSha: DEPLOYED.slice(0, 7),
    author: 'bob',
    email: 'bob@gadgetgrove.test',
    date: ago(86_400 * 3),
    subject: 'backend: first release',
    deployed: true,
  },
];

export function fixtureEvents(): RolloutEvent[] {
  return [
    {
      time: ago(60),
      app: '',
      level: 'info',
      type: 'git',
      message: `new commit ${PATCH.slice(0, 7)} on main`,
    },
    { time: ago(50), app: 'backend', level: 'info', type: 'status', message: 'backend is OutOfSync' },
    {
      time: ago(40),
      app: 'cart',
      level: 'warning',
      type: 'k8s-warning',
      resource: 'Pod/cart-1',
      message: 'BackOff pulling image',
    },
    {
      time: ago(30),
      app: 'backend',
      level: 'error',
      type: 'pod-failure',
      resource: 'Pod/backend-7c9',
      message: 'ImagePullBackOff',
    },
  ];
}

export function fixtureSnapshot(): Snapshot {
  return {
    version: 1,
    context: 'kind-driftdeck',
    repo: 'file:///tmp/gadgetgrove.git',
    branch: 'main',
    head: HEAD,
    loop: { lastPoll: ago(3), watching: 42, connection: 'connected' },
    readonly: false,
    apps: [
      app('backend', 'OutOfSync', [
        resource('Deployment', 'backend', 'OutOfSync', BACKEND_DIFF, {
          source: { file: 'apps/backend/deployment.yaml', line: 1 },
        }),
        resource('Service', 'backend', 'Synced'),
      ]),
      app('frontend', 'Synced', [
        resource('Deployment', 'frontend', 'Synced'),
        resource('Service', 'frontend', 'Synced'),
      ]),
      app(
        'cart',
        'OutOfSync',
        [
          resource('Secret', 'cart-db', 'OutOfSync', SECRET_DIFF, {
            diffMode: 'client-side',
            message: 'dry-run refused by a webhook',
          }),
          resource(
            'ConfigMap',
            'cart-legacy',
            'Extraneous',
            '--- live\n+++ desired\n@@ -1 +0,0 @@\n-kind: ConfigMap\n',
          ),
        ],
        { health: { status: 'Progressing' } },
      ),
    ],
    events: fixtureEvents(),
    history: {},
  };
}

/**
 * A plan as the loop makes it (loop.ts planSync): the summary and the sync's tasks with prune off and on, every
 * Extraneous resource carrying the app's mark.
 */
export function planOf(resources: ResourceState[], hooks: HookManifest[] = []): SyncPlanSummary {
  const prunable = new Set(resources.filter((r) => r.status === 'Extraneous').map((r) => keyString(r.key)));
  const tasks = (prune: boolean) => planSyncTasks({ resources, hooks, selective: false, prune, prunable });
  return { ...planSummary(resources, hooks), tasks: { pruneOff: tasks(false), pruneOn: tasks(true) } };
}

export const PLAN: SyncPlanSummary = planOf([
  resource('Deployment', 'backend', 'OutOfSync', BACKEND_DIFF),
  resource('Service', 'backend', 'Synced'),
  resource('ConfigMap', 'backend-env', 'Synced'),
  resource('ServiceAccount', 'backend', 'Synced'),
  resource('ConfigMap', 'cart-legacy', 'Extraneous'),
]);

/** A hook Job in namespace shop; a name ending in `-` is a generateName. */
export function hookJob(
  name: string,
  phases: HookManifest['spec']['phases'],
  wave = 0,
  deletePolicies: HookManifest['spec']['deletePolicies'] = ['BeforeHookCreation'],
): HookManifest {
  const generated = name.endsWith('-');
  return {
    key: { group: 'batch', kind: 'Job', namespace: 'shop', name },
    object: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: (generated
        ? { generateName: name, namespace: 'shop' }
        : { name, namespace: 'shop' }) as KubeObject['metadata'],
    },
    source: { file: 'apps/shop/hooks.yaml', line: 1 },
    spec: { phases, deletePolicies, from: 'argocd' },
    wave,
  };
}

/** A plan with a namespace first (wave -1), creates, an update, unchanged ones, a candidate and two hooks. */
export function shopPlan() {
  return planOf(
    [
      resource(
        'Deployment',
        'web',
        'OutOfSync',
        '--- live\n+++ desired\n-    image: web:1\n+    image: web:2\n',
      ),
      resource('Deployment', 'api', 'Missing'),
      resource('Service', 'web', 'Synced'),
      resource('ConfigMap', 'web-env', 'Synced'),
      resource('ConfigMap', 'old', 'Extraneous', '--- live\n+++ desired\n-kind: ConfigMap\n'),
      {
        ...resource('Namespace', 'shop', 'Missing'),
        key: { group: '', kind: 'Namespace', namespace: '', name: 'shop' },
        wave: -1,
      },
    ],
    [hookJob('migrate-', ['PreSync']), hookJob('report', ['PostSync'], 1, ['HookSucceeded'])],
  );
}
