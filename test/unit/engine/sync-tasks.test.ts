import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HookSpec } from '../../../source/engine/hooks.js';
import { keyString } from '../../../source/engine/keys.js';
import { resourceSyncOptions } from '../../../source/engine/resource-options.js';
import {
  describeTask,
  type HookManifest,
  type PlanInput,
  planSyncTasks,
  tierGroups,
  waveGroups,
} from '../../../source/engine/sync-tasks.js';
import type { KubeObject, ResourceState, ResourceSyncStatus } from '../../../source/engine/types.js';

const GROUPS: Record<string, string> = {
  Deployment: 'apps',
  Job: 'batch',
  CustomResourceDefinition: 'apiextensions.k8s.io',
  Widget: 'example.com',
};
const ARGO = 'argocd.argoproj.io/sync-options';
const FLUX_SSA = 'kustomize.toolkit.fluxcd.io/ssa';
/** The options an object with these annotations carries. */
const optionsOf = (annotations: Record<string, string>) =>
  resourceSyncOptions({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x', annotations },
  } as KubeObject).options;
const apiVersionOf = (kind: string) => (GROUPS[kind] ? `${GROUPS[kind]}/v1` : 'v1');

/** `Kind/name` with a status and a wave: one of the app's resources as compared. */
function res(id: string, status: ResourceSyncStatus = 'Missing', wave = 0): ResourceState {
  const [kind = '', name = ''] = id.split('/');
  return {
    key: { group: GROUPS[kind] ?? '', kind, namespace: kind === 'Namespace' ? '' : 'shop', name },
    apiVersion: apiVersionOf(kind),
    status,
    health: { status: 'Healthy' },
    diff: '',
    diffMode: 'server-side',
    wave,
  };
}

/** A hook `Kind/name` (a name ending in `-` is a generateName). */
function hook(
  id: string,
  phases: HookSpec['phases'],
  wave = 0,
  from: HookSpec['from'] = 'argocd',
): HookManifest {
  const [kind = '', name = ''] = id.split('/');
  const generated = name.endsWith('-');
  return {
    key: { group: GROUPS[kind] ?? '', kind, namespace: 'shop', name },
    object: {
      apiVersion: apiVersionOf(kind),
      kind,
      metadata: (generated
        ? { generateName: name, namespace: 'shop' }
        : { name, namespace: 'shop' }) as KubeObject['metadata'],
    },
    source: { file: 'app/hooks.yaml', line: 1 },
    spec: { phases, deletePolicies: ['HookSucceeded'], from },
    wave,
  };
}

const plan = (input: Partial<PlanInput>) =>
  planSyncTasks({ resources: [], hooks: [], selective: false, prune: false, prunable: new Set(), ...input });
/** Each task as `phase wave operation Kind/name`. */
const lines = (input: Partial<PlanInput>) =>
  plan(input).map((t) => `${t.phase} ${t.wave} ${t.operation} ${t.key.kind}/${t.key.name}`);

describe('planSyncTasks: order (phase, wave, kind tier, name)', () => {
  const cases: Array<{ name: string; input: Partial<PlanInput>; want: string[] }> = [
    {
      name: 'kind tiers within a wave, names within a tier',
      input: {
        resources: [res('Deployment/web'), res('ConfigMap/b'), res('Namespace/shop'), res('ConfigMap/a')],
      },
      want: [
        'Sync 0 apply Namespace/shop',
        'Sync 0 apply ConfigMap/a',
        'Sync 0 apply ConfigMap/b',
        'Sync 0 apply Deployment/web',
      ],
    },
    {
      name: 'waves before kind tiers: a wave -1 Deployment goes before a wave 0 Namespace',
      input: {
        resources: [
          res('Namespace/shop'),
          res('Deployment/db', 'Missing', -1),
          res('ConfigMap/x', 'Missing', 1),
        ],
      },
      want: ['Sync -1 apply Deployment/db', 'Sync 0 apply Namespace/shop', 'Sync 1 apply ConfigMap/x'],
    },
    {
      name: 'phases before waves: PreSync wave 5 before Sync wave -5, PostSync last, SyncFail after all',
      input: {
        resources: [res('ConfigMap/early', 'Missing', -5)],
        hooks: [
          hook('Job/after', ['PostSync'], -9),
          hook('Job/migrate-', ['PreSync'], 5),
          hook('Job/cleanup', ['SyncFail']),
          hook('Pod/during', ['Sync']),
        ],
      },
      want: [
        'PreSync 5 create Job/migrate-',
        'Sync -5 apply ConfigMap/early',
        'Sync 0 hook Pod/during',
        'PostSync -9 hook Job/after',
        'SyncFail 0 hook Job/cleanup',
      ],
    },
    {
      name: 'a hook of two phases is two tasks',
      input: { hooks: [hook('Job/check', ['PreSync', 'PostSync'])] },
      want: ['PreSync 0 hook Job/check', 'PostSync 0 hook Job/check'],
    },
    {
      name: 'prunes after every apply of the Sync phase, in reverse order, before PostSync',
      input: {
        prune: true,
        prunable: new Set(
          ['/ConfigMap/shop/old', 'apps/Deployment/shop/old-web', '/Namespace//old-ns'].map((s) => s),
        ),
        resources: [
          res('ConfigMap/old', 'Extraneous'),
          res('Deployment/web', 'OutOfSync', 2),
          res('Deployment/old-web', 'Extraneous'),
          res('Namespace/old-ns', 'Extraneous'),
        ],
        hooks: [hook('Job/smoke-', ['PostSync'])],
      },
      want: [
        'Sync 2 apply Deployment/web',
        'Sync 0 prune Deployment/old-web',
        'Sync 0 prune ConfigMap/old',
        'Sync 0 prune Namespace/old-ns',
        'PostSync 0 create Job/smoke-',
      ],
    },
    {
      name: 'a selective sync runs no hooks (as in Argo CD)',
      input: { selective: true, resources: [res('ConfigMap/a')], hooks: [hook('Job/migrate-', ['PreSync'])] },
      want: ['Sync 0 apply ConfigMap/a'],
    },
    {
      name: 'CRDs before the custom resources of the same wave',
      input: { resources: [res('Widget/w'), res('CustomResourceDefinition/widgets.example.com')] },
      want: ['Sync 0 apply CustomResourceDefinition/widgets.example.com', 'Sync 0 apply Widget/w'],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(lines(c.input), c.want));
  test('the same input always gives the same plan, whatever its order', () => {
    const resources = [
      res('ConfigMap/b'),
      res('ConfigMap/a'),
      res('Deployment/x', 'Synced', 1),
      res('Secret/s'),
    ];
    assert.deepEqual(lines({ resources }), lines({ resources: [...resources].reverse() }));
  });
});

describe('planSyncTasks: operations and why', () => {
  const cases: Array<{ name: string; input: Partial<PlanInput>; want: Array<[string, string]> }> = [
    {
      name: 'apply: missing, out of sync, in sync',
      input: {
        resources: [res('ConfigMap/a'), res('ConfigMap/b', 'OutOfSync'), res('ConfigMap/c', 'Synced')],
      },
      want: [
        ['apply', 'missing: to create'],
        ['apply', 'out of sync: to apply'],
        ['apply', 'in sync: nothing to send'],
      ],
    },
    {
      name: 'a candidate without prune is kept, saying how to delete it',
      input: { resources: [res('ConfigMap/old', 'Extraneous')], prunable: new Set(['/ConfigMap/shop/old']) },
      want: [['keep', 'prune candidate; sync with prune to delete it']],
    },
    {
      name: "with prune, a candidate without this app's mark is kept",
      input: { prune: true, resources: [res('ConfigMap/old', 'Extraneous')] },
      want: [['keep', 'not pruned: not created by driftdeck for this app']],
    },
    {
      name: 'with prune, a candidate another app renders is kept, saying which',
      input: {
        prune: true,
        resources: [{ ...res('ConfigMap/old', 'Extraneous'), message: 'kept: rendered by app b' }],
      },
      want: [['keep', 'not pruned: kept: rendered by app b']],
    },
    {
      name: "with prune, a candidate carrying this app's mark is pruned",
      input: {
        prune: true,
        resources: [res('ConfigMap/old', 'Extraneous')],
        prunable: new Set(['/ConfigMap/shop/old']),
      },
      want: [['prune', "prune candidate carrying this app's mark"]],
    },
    {
      name: 'a generateName hook is created, a named one applied; a Helm hook says it was mapped',
      input: { hooks: [hook('Job/migrate-', ['PreSync']), hook('Job/report', ['PostSync'], 0, 'helm')] },
      want: [
        ['create', 'PreSync hook, created under a generated name; delete policy HookSucceeded'],
        ['hook', 'Helm hook mapped to PostSync hook, applied; delete policy HookSucceeded'],
      ],
    },
  ];
  for (const c of cases)
    test(c.name, () =>
      assert.deepEqual(
        plan(c.input).map((t) => [t.operation, t.why]),
        c.want,
      ),
    );
  test('a generateName hook carries it, and is described with it', () => {
    const [t] = plan({ hooks: [hook('Job/migrate-', ['PreSync'], -2)] });
    assert.equal(t?.hook?.generateName, 'migrate-');
    assert.deepEqual(t?.hook?.deletePolicies, ['HookSucceeded']);
    assert.equal(
      describeTask(t!),
      'PreSync wave -2 create Job/migrate-*: PreSync hook, created under a generated name; delete policy HookSucceeded',
    );
  });
  test('per-resource options travel with their task', () => {
    const a = res('ConfigMap/a');
    const options = new Map([[keyString(a.key), optionsOf({ [ARGO]: 'Replace=true' })]]);
    const [t] = plan({ resources: [a], options });
    assert.equal(t?.options?.replace, 'put');
    assert.equal(t?.operation, 'apply');
  });
  test('a candidate whose own options refuse its prune is a keep task saying so, with prune or without', () => {
    const old = res('ConfigMap/old', 'Extraneous');
    const flux = res('ConfigMap/flux', 'Extraneous');
    const plain = res('ConfigMap/plain', 'Extraneous');
    const options = new Map([
      [keyString(old.key), optionsOf({ [ARGO]: 'Prune=false' })],
      [keyString(flux.key), optionsOf({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' })],
    ]);
    const prunable = new Set([old, flux, plain].map((r) => keyString(r.key)));
    for (const prune of [true, false]) {
      const tasks = plan({ resources: [old, flux, plain], options, prune, prunable });
      assert.deepEqual(tasks.map((t) => `${t.operation} ${t.key.name}: ${t.why}`).sort(), [
        `keep flux: not pruned: kustomize.toolkit.fluxcd.io/prune: disabled`,
        `keep old: not pruned: ${ARGO}: Prune=false`,
        prune
          ? "prune plain: prune candidate carrying this app's mark"
          : 'keep plain: prune candidate; sync with prune to delete it',
      ]);
    }
  });
  test('an object its options hold back says so in its task (ssa Ignore; IfNotPresent once it exists)', () => {
    const ignored = res('ConfigMap/ignored', 'Synced');
    const seeded = res('ConfigMap/seeded', 'Synced');
    const fresh = res('ConfigMap/fresh', 'Missing');
    const options = new Map([
      [keyString(ignored.key), optionsOf({ [FLUX_SSA]: 'Ignore' })],
      [keyString(seeded.key), optionsOf({ [FLUX_SSA]: 'IfNotPresent' })],
      [keyString(fresh.key), optionsOf({ [FLUX_SSA]: 'IfNotPresent' })],
    ]);
    const tasks = plan({ resources: [ignored, seeded, fresh], options });
    assert.deepEqual(
      tasks.map((t) => `${t.key.name}: ${t.why}`),
      [
        'fresh: missing: to create',
        `ignored: not applied: ${FLUX_SSA}: Ignore`,
        `seeded: not updated: ${FLUX_SSA}: IfNotPresent (it exists)`,
      ],
    );
  });
});

describe('waveGroups and tierGroups', () => {
  test('one group per phase and wave, deletions apart; tiers within a wave', () => {
    const tasks = plan({
      prune: true,
      prunable: new Set(['/ConfigMap/shop/old']),
      resources: [
        res('ConfigMap/a', 'Missing', -1),
        res('Deployment/web', 'Missing', -1),
        res('Service/web'),
        res('ConfigMap/old', 'Extraneous'),
      ],
      hooks: [hook('Job/migrate-', ['PreSync']), hook('Job/smoke-', ['PostSync'])],
    });
    const groups = waveGroups(tasks).map((g) => g.map((t) => t.key.name));
    assert.deepEqual(groups, [['migrate-'], ['a', 'web'], ['web'], ['old'], ['smoke-']]);
    const wave = waveGroups(tasks)[1]!;
    assert.deepEqual(
      tierGroups(wave).map((g) => g.map((t) => t.key.kind)),
      [['ConfigMap'], ['Deployment']],
    );
  });
});
