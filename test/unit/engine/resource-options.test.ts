// The per-resource options of Argo CD and Flux as a table: annotations (and Flux labels) in, typed options out, with
// every value driftdeck does not know named in a warning beside the object.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyHold,
  isImmutableFailure,
  pruneRefusal,
  statusExemption,
} from '../../../source/engine/resource-option-effects.js';
import { type ResourceSyncOptions, resourceSyncOptions } from '../../../source/engine/resource-options.js';
import type { KubeObject } from '../../../source/engine/types.js';

const obj = (annotations?: Record<string, unknown>, labels?: Record<string, string>): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'settings',
      namespace: 'shop',
      ...(annotations ? { annotations } : {}),
      ...(labels ? { labels } : {}),
    },
  }) as KubeObject;

type Want = Partial<Omit<ResourceSyncOptions, 'why'>> & { why?: ResourceSyncOptions['why'] };

const cases: Array<{ name: string; object: KubeObject; want: Want; warnings?: RegExp[]; notes?: RegExp[] }> =
  [
    {
      name: 'no annotation: the defaults',
      object: obj(),
      want: { prune: true, replace: 'none', applyPolicy: 'apply' },
    },
    {
      name: 'Argo CD Prune=false',
      object: obj({ 'argocd.argoproj.io/sync-options': 'Prune=false' }),
      want: { prune: false, why: { prune: 'argocd.argoproj.io/sync-options: Prune=false' } },
    },
    {
      name: 'Argo CD options listed with spaces around the commas',
      object: obj({
        'argocd.argoproj.io/sync-options': ' Prune=false , Replace=true ,SkipDryRunOnMissingResource=true',
      }),
      want: { prune: false, replace: 'put', skipDryRunOnMissingResource: true },
    },
    {
      name: 'Argo CD Replace=true with Force=true deletes and creates',
      object: obj({ 'argocd.argoproj.io/sync-options': 'Force=true,Replace=true' }),
      want: { replace: 'recreate', recreateOnImmutable: false },
    },
    {
      name: 'Argo CD Force=true alone recreates when an immutable field changes (kubectl apply --force)',
      object: obj({ 'argocd.argoproj.io/sync-options': 'Force=true' }),
      want: {
        replace: 'none',
        recreateOnImmutable: true,
        why: { recreate: 'argocd.argoproj.io/sync-options: Force=true' },
      },
    },
    {
      name: 'Argo CD Prune=confirm: never pruned, with a warning (driftdeck cannot confirm)',
      object: obj({ 'argocd.argoproj.io/sync-options': 'Prune=confirm' }),
      want: { prune: false },
      warnings: [/ConfigMap\/settings in namespace shop: .*Prune=confirm.*never prunes/],
    },
    {
      name: 'Argo CD ServerSideApply=true, CreateNamespace=true, Delete=false: accepted, change nothing, say why',
      object: obj({
        'argocd.argoproj.io/sync-options': 'ServerSideApply=true,CreateNamespace=true,Delete=false',
      }),
      want: { prune: true, replace: 'none', applyPolicy: 'apply' },
      notes: [
        /ServerSideApply=true: driftdeck always applies server-side/,
        /CreateNamespace=true/,
        /Delete=false: driftdeck never deletes an app/,
      ],
    },
    {
      name: 'Argo CD ServerSideApply=false is not honoured, said',
      object: obj({ 'argocd.argoproj.io/sync-options': 'ServerSideApply=false' }),
      want: {},
      warnings: [/ServerSideApply=false is not honoured/],
    },
    {
      name: 'an unknown Argo CD option is named with the object, the known ones still hold',
      object: obj({ 'argocd.argoproj.io/sync-options': 'Prune=false,Prune=maybe,Frobnicate=true' }),
      want: { prune: false },
      warnings: [
        /^ConfigMap\/settings in namespace shop: argocd\.argoproj\.io\/sync-options: "Prune=maybe" is not an option/,
        /"Frobnicate=true" is not an option driftdeck knows; ignored/,
      ],
    },
    {
      name: 'Argo CD option names are case-sensitive, as Argo CD reads them',
      object: obj({ 'argocd.argoproj.io/sync-options': 'prune=false' }),
      want: { prune: true },
      warnings: [/"prune=false" is not an option/],
    },
    {
      name: 'a control character in an unknown option is quoted, not passed on',
      object: obj({ 'argocd.argoproj.io/sync-options': 'X=\u001b[31m' }),
      want: {},
      warnings: [/"X=\\u001b\[31m"/],
    },
    {
      name: 'Argo CD compare-options IgnoreExtraneous',
      object: obj({ 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' }),
      want: {
        ignoreExtraneous: true,
        why: { ignoreExtraneous: 'argocd.argoproj.io/compare-options: IgnoreExtraneous' },
      },
    },
    {
      name: 'an unknown compare option is named',
      object: obj({ 'argocd.argoproj.io/compare-options': 'IgnoreEverything' }),
      want: { ignoreExtraneous: false },
      warnings: [/compare-options: "IgnoreEverything" is not an option/],
    },
    {
      name: 'Flux prune: disabled (lower case, as its prune section writes it)',
      object: obj({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' }),
      want: { prune: false, why: { prune: 'kustomize.toolkit.fluxcd.io/prune: disabled' } },
    },
    {
      name: 'Flux prune: Disabled as a label (Flux reads labels too)',
      object: obj(undefined, { 'kustomize.toolkit.fluxcd.io/prune': 'Disabled' }),
      want: { prune: false },
    },
    {
      name: 'Flux ssa: Ignore',
      object: obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' }),
      want: { applyPolicy: 'ignore', why: { apply: 'kustomize.toolkit.fluxcd.io/ssa: Ignore' } },
    },
    {
      name: 'Flux ssa: IfNotPresent',
      object: obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' }),
      want: { applyPolicy: 'if-not-present' },
    },
    {
      name: 'Flux ssa: merge (any case)',
      object: obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'merge' }),
      want: { applyPolicy: 'merge' },
    },
    {
      name: 'Flux ssa: Override is the default',
      object: obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'Override' }),
      want: { applyPolicy: 'apply' },
    },
    {
      name: 'Flux ssa with an unknown value is named and ignored',
      object: obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'Sometimes' }),
      want: { applyPolicy: 'apply' },
      warnings: [
        /kustomize\.toolkit\.fluxcd\.io\/ssa: "Sometimes" is not one of Override, Merge, IfNotPresent, Ignore/,
      ],
    },
    {
      name: 'Flux force: Enabled',
      object: obj({ 'kustomize.toolkit.fluxcd.io/force': 'Enabled' }),
      want: { recreateOnImmutable: true, why: { recreate: 'kustomize.toolkit.fluxcd.io/force: Enabled' } },
    },
    {
      name: 'Flux force: Disabled',
      object: obj({ 'kustomize.toolkit.fluxcd.io/force': 'Disabled' }),
      want: { recreateOnImmutable: false },
    },
    {
      name: 'Flux reconcile: disabled: neither applied nor pruned',
      object: obj({ 'kustomize.toolkit.fluxcd.io/reconcile': 'disabled' }),
      want: { applyPolicy: 'ignore', prune: false },
    },
    {
      name: 'an annotation that is not a string is named',
      object: obj({ 'argocd.argoproj.io/sync-options': 42 }),
      want: { prune: true },
      warnings: [/sync-options is not a string; ignored/],
    },
  ];

describe('resourceSyncOptions', () => {
  for (const c of cases) {
    test(c.name, () => {
      const { options, warnings, notes } = resourceSyncOptions(c.object);
      const { why, ...fields } = c.want;
      for (const [field, value] of Object.entries(fields))
        assert.deepEqual(options[field as keyof ResourceSyncOptions], value, field);
      if (why)
        for (const [k, v] of Object.entries(why)) assert.equal(options.why[k as keyof typeof why], v, k);
      assert.equal(warnings.length, c.warnings?.length ?? 0, warnings.join('\n'));
      for (const [i, w] of (c.warnings ?? []).entries()) assert.match(warnings[i]!, w);
      for (const n of c.notes ?? [])
        assert.ok(
          notes.some((x) => n.test(x)),
          `${n} in ${notes.join('\n')}`,
        );
    });
  }
  test('no object: the defaults', () => assert.equal(resourceSyncOptions(undefined).options.prune, true));
});

describe('what the options decide', () => {
  const live = (a: Record<string, string>) => obj(a);
  test('a prune candidate with Prune=false or prune: disabled is never pruned, saying which', () => {
    assert.equal(
      pruneRefusal(live({ 'argocd.argoproj.io/sync-options': 'Prune=false' })),
      'not pruned: argocd.argoproj.io/sync-options: Prune=false',
    );
    assert.equal(
      pruneRefusal(live({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' })),
      'not pruned: kustomize.toolkit.fluxcd.io/prune: disabled',
    );
    assert.equal(pruneRefusal(live({})), undefined);
  });
  test('ssa Ignore holds an object back whether or not it exists; IfNotPresent only once it exists', () => {
    const ignore = obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' });
    assert.equal(applyHold(ignore, undefined), 'not applied: kustomize.toolkit.fluxcd.io/ssa: Ignore');
    assert.equal(applyHold(ignore, obj()), 'not applied: kustomize.toolkit.fluxcd.io/ssa: Ignore');
    const ifNot = obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' });
    assert.equal(applyHold(ifNot, undefined), undefined);
    assert.equal(
      applyHold(ifNot, obj()),
      'not updated: kustomize.toolkit.fluxcd.io/ssa: IfNotPresent (it exists)',
    );
    assert.equal(applyHold(obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'Merge' }), obj()), undefined);
  });
  test('IgnoreExtraneous exempts a prune candidate only; ssa Ignore exempts a desired object', () => {
    const ie = obj({ 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' });
    assert.equal(statusExemption(undefined, ie), 'argocd.argoproj.io/compare-options: IgnoreExtraneous');
    assert.equal(statusExemption(ie, ie), undefined, 'a desired object with it still counts');
    assert.equal(
      statusExemption(obj({ 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' }), undefined),
      'kustomize.toolkit.fluxcd.io/ssa: Ignore',
    );
    assert.equal(statusExemption(undefined, obj()), undefined);
  });
  test('an immutable-field refusal is told from other refusals', () => {
    const immutable = {
      code: 422,
      message:
        'Invalid: Job.batch "migrate" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable',
    };
    assert.equal(isImmutableFailure(immutable), true);
    assert.equal(
      isImmutableFailure({
        code: 422,
        message:
          'StatefulSet.apps "db" is invalid: spec: Forbidden: updates to statefulset spec for fields other than \'replicas\' are forbidden',
      }),
      true,
    );
    assert.equal(
      isImmutableFailure({ code: 400, message: 'admission webhook denied: spec.x is immutable' }),
      true,
    );
    assert.equal(
      isImmutableFailure({
        code: 422,
        message: 'metadata.name: Invalid value: "A": a lowercase RFC 1123 subdomain',
      }),
      false,
      'an invalid value would be refused again after a delete',
    );
    assert.equal(isImmutableFailure({ code: 409, message: 'Apply failed with 1 conflict' }), false);
  });
});
