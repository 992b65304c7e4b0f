import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type HookDecision,
  hasHookAnnotation,
  hookDecision,
  splitHooks,
} from '../../../source/engine/hooks.js';
import { syncWave } from '../../../source/engine/syncplan.js';
import type { KubeObject } from '../../../source/engine/types.js';

const job = (annotations: Record<string, string>, name: string | null = 'migrate'): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { ...(name ? { name } : { generateName: 'migrate-' }), annotations } as KubeObject['metadata'],
});

describe('hookDecision: Argo CD hooks', () => {
  const cases: Array<[string, Record<string, string>, HookDecision]> = [
    ['no annotation: a resource', {}, { kind: 'resource' }],
    [
      'PreSync, default delete policy BeforeHookCreation',
      { 'argocd.argoproj.io/hook': 'PreSync' },
      { kind: 'hook', spec: { phases: ['PreSync'], deletePolicies: ['BeforeHookCreation'], from: 'argocd' } },
    ],
    [
      'two phases, spaces around them',
      { 'argocd.argoproj.io/hook': ' PreSync , PostSync ' },
      {
        kind: 'hook',
        spec: { phases: ['PreSync', 'PostSync'], deletePolicies: ['BeforeHookCreation'], from: 'argocd' },
      },
    ],
    [
      'SyncFail with HookSucceeded and HookFailed',
      {
        'argocd.argoproj.io/hook': 'SyncFail',
        'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,HookFailed',
      },
      {
        kind: 'hook',
        spec: { phases: ['SyncFail'], deletePolicies: ['HookSucceeded', 'HookFailed'], from: 'argocd' },
      },
    ],
    [
      'Sync with a Helm delete policy (Argo CD reads it when it has none of its own)',
      { 'argocd.argoproj.io/hook': 'Sync', 'helm.sh/hook-delete-policy': 'hook-succeeded' },
      { kind: 'hook', spec: { phases: ['Sync'], deletePolicies: ['HookSucceeded'], from: 'argocd' } },
    ],
    [
      'Skip: never applied',
      { 'argocd.argoproj.io/hook': 'Skip' },
      { kind: 'skip', why: 'argocd.argoproj.io/hook: Skip' },
    ],
    [
      'PostDelete: never run by a sync',
      { 'argocd.argoproj.io/hook': 'PostDelete' },
      { kind: 'skip', why: 'PostDelete hook: run when an application is deleted, never by a sync' },
    ],
    [
      'a misspelt phase is refused',
      { 'argocd.argoproj.io/hook': 'PreSnyc' },
      {
        kind: 'invalid',
        message:
          'argocd.argoproj.io/hook "PreSnyc" is not one of PreSync, Sync, PostSync, SyncFail, Skip, PreDelete, PostDelete',
      },
    ],
    [
      'an unknown delete policy is refused',
      { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'Always' },
      {
        kind: 'invalid',
        message:
          'argocd.argoproj.io/hook-delete-policy "Always" is not one of HookSucceeded, HookFailed, BeforeHookCreation',
      },
    ],
    [
      'an empty hook annotation is refused',
      { 'argocd.argoproj.io/hook': ' ' },
      { kind: 'invalid', message: 'argocd.argoproj.io/hook is empty' },
    ],
    [
      "Argo CD's annotation wins over Helm's",
      { 'argocd.argoproj.io/hook': 'PostSync', 'helm.sh/hook': 'pre-install' },
      {
        kind: 'hook',
        spec: { phases: ['PostSync'], deletePolicies: ['BeforeHookCreation'], from: 'argocd' },
      },
    ],
  ];
  for (const [name, annotations, want] of cases)
    test(name, () => assert.deepEqual(hookDecision(job(annotations)), want));
});

describe('hookDecision: Helm hooks as Argo CD maps them', () => {
  const cases: Array<[string, Record<string, string>, HookDecision]> = [
    [
      'pre-install,pre-upgrade -> PreSync (once)',
      { 'helm.sh/hook': 'pre-install,pre-upgrade' },
      { kind: 'hook', spec: { phases: ['PreSync'], deletePolicies: ['BeforeHookCreation'], from: 'helm' } },
    ],
    [
      'post-install,post-upgrade -> PostSync, delete policies mapped',
      {
        'helm.sh/hook': 'post-install,post-upgrade',
        'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded,hook-failed',
      },
      {
        kind: 'hook',
        spec: {
          phases: ['PostSync'],
          deletePolicies: ['BeforeHookCreation', 'HookSucceeded', 'HookFailed'],
          from: 'helm',
        },
      },
    ],
    [
      'pre-install,post-install -> both phases',
      { 'helm.sh/hook': 'pre-install,post-install' },
      {
        kind: 'hook',
        spec: { phases: ['PreSync', 'PostSync'], deletePolicies: ['BeforeHookCreation'], from: 'helm' },
      },
    ],
    [
      'test hooks are skipped',
      { 'helm.sh/hook': 'test' },
      { kind: 'skip', why: 'Helm test hook (test): tests are run by `helm test`, never by a sync' },
    ],
    [
      'test-success is skipped',
      { 'helm.sh/hook': 'test-success' },
      { kind: 'skip', why: 'Helm test hook (test-success): tests are run by `helm test`, never by a sync' },
    ],
    [
      'pre-delete and post-rollback are skipped with a note',
      { 'helm.sh/hook': 'pre-delete,post-rollback' },
      {
        kind: 'skip',
        why: 'Helm pre-delete, post-rollback hook: a sync installs or upgrades, it never deletes or rolls back',
      },
    ],
    [
      'a pre-install hook that is also pre-delete runs at PreSync',
      { 'helm.sh/hook': 'pre-delete,pre-install' },
      { kind: 'hook', spec: { phases: ['PreSync'], deletePolicies: ['BeforeHookCreation'], from: 'helm' } },
    ],
    ['crd-install is an ordinary resource', { 'helm.sh/hook': 'crd-install' }, { kind: 'resource' }],
    [
      'an unknown event is refused',
      { 'helm.sh/hook': 'pre-instal' },
      {
        kind: 'invalid',
        message: `helm.sh/hook "pre-instal" is not one of ${'pre-install, pre-upgrade, post-install, post-upgrade, crd-install, test, test-success, test-failure, pre-delete, post-delete, pre-rollback, post-rollback'}`,
      },
    ],
    [
      'an unknown Helm delete policy is refused',
      { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-delete-policy': 'hook-succeded' },
      {
        kind: 'invalid',
        message:
          'helm.sh/hook-delete-policy "hook-succeded" is not one of before-hook-creation, hook-succeeded, hook-failed',
      },
    ],
  ];
  for (const [name, annotations, want] of cases)
    test(name, () => assert.deepEqual(hookDecision(job(annotations)), want));
});

describe('syncWave reads driftdeck, Argo CD and Helm annotations', () => {
  const cases: Array<[string, Record<string, string>, number]> = [
    ['none', {}, 0],
    ["Argo CD's", { 'argocd.argoproj.io/sync-wave': '-1' }, -1],
    [
      "driftdeck's wins over Argo CD's",
      { 'driftdeck.io/sync-wave': '2', 'argocd.argoproj.io/sync-wave': '-1' },
      2,
    ],
    [
      "Argo CD's when driftdeck's is no integer",
      { 'driftdeck.io/sync-wave': 'x', 'argocd.argoproj.io/sync-wave': '3' },
      3,
    ],
    ['a Helm hook weight on a Helm hook', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '-5' }, -5],
    ['a Helm hook weight alone means nothing', { 'helm.sh/hook-weight': '-5' }, 0],
    [
      "Argo CD's wave wins over a hook weight",
      { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '-5', 'argocd.argoproj.io/sync-wave': '4' },
      4,
    ],
  ];
  for (const [name, annotations, want] of cases)
    test(name, () => assert.equal(syncWave(job(annotations)), want));
});

describe('splitHooks', () => {
  const at = (object: KubeObject, line: number) => ({ object, source: { file: 'app/all.yaml', line } });
  test('hooks, skipped objects and resources apart, in order', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } };
    const pre = job({ 'argocd.argoproj.io/hook': 'PreSync' }, null);
    const skip = job({ 'argocd.argoproj.io/hook': 'Skip' }, 'later');
    const test = job({ 'helm.sh/hook': 'test' }, 'smoke');
    const split = splitHooks([at(cm, 1), at(pre, 5), at(skip, 9), at(test, 14)]);
    assert.deepEqual(
      split.resources.map((m) => m.object),
      [cm],
    );
    assert.deepEqual(
      split.hooks.map((h) => [h.manifest.object, h.spec.phases]),
      [[pre, ['PreSync']]],
    );
    assert.deepEqual(
      split.skipped.map((s) => [s.manifest.source.line, s.why.slice(0, 20)]),
      [
        [9, 'argocd.argoproj.io/h'],
        [14, 'Helm test hook (test'],
      ],
    );
    assert.equal(split.error, undefined);
  });
  test('a bad hook annotation is an error at its file and line', () => {
    const split = splitHooks([at(job({ 'argocd.argoproj.io/hook': 'Later' }), 7)]);
    assert.equal(split.error?.file, 'app/all.yaml');
    assert.equal(split.error?.line, 7);
    assert.match(
      split.error?.message ?? '',
      /^Job "migrate": argocd.argoproj.io\/hook "Later" is not one of/,
    );
  });
  test('a crd-install object with only a generateName is refused: only a hook is created under a generated name', () => {
    const split = splitHooks([at(job({ 'helm.sh/hook': 'crd-install' }, null), 3)]);
    assert.match(split.error?.message ?? '', /Job "migrate-\*" has no metadata.name; only a hook is created/);
  });
  test('hasHookAnnotation', () => {
    assert.equal(hasHookAnnotation(job({ 'helm.sh/hook': 'test' })), true);
    assert.equal(hasHookAnnotation(job({ 'argocd.argoproj.io/hook': 'Skip' })), true);
    assert.equal(hasHookAnnotation(job({ 'argocd.argoproj.io/sync-wave': '1' })), false);
    assert.equal(hasHookAnnotation(undefined), false);
  });
});
