// The loop's pure decisions: when auto-sync and self-heal act, how apply conflicts are read, what gets watched.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppSpec, AppState, KubeObject, RenderedManifest } from '../../../source/engine/types.js';
import { AutoSyncPolicy } from '../../../source/loop/autosync.js';
import { conflictManagers, onlyHandEdits } from '../../../source/loop/conflicts.js';
import { recordsFromCache, watchTargets } from '../../../source/loop/targets.js';

const spec = (sync: Partial<AppSpec['sync']> = {}): AppSpec => ({
  name: 'backend',
  path: 'apps/backend',
  namespace: 'shop',
  renderer: { type: 'auto' },
  sync: { auto: true, prune: false, selfHeal: false, ...sync },
  ignore: [],
});

const state = (over: Partial<AppState> = {}): AppState => ({
  name: 'backend',
  spec: spec(),
  sync: 'OutOfSync',
  health: { status: 'Healthy' },
  resources: [],
  ...over,
});

describe('auto-sync policy', () => {
  it('syncs a revision that is not deployed yet, once', () => {
    let now = 0;
    const p = new AutoSyncPolicy(() => now);
    assert.match(p.decide(state(), 'aaaaaaa1')?.reason ?? '', /aaaaaaa is not deployed yet/);
    p.record('backend', 'aaaaaaa1', true);
    now = 1_000;
    assert.equal(p.decide(state(), 'aaaaaaa1'), undefined, 'no self-heal unless asked');
  });

  it('retries a failing revision a few times with backoff, then leaves it alone', () => {
    let now = 0;
    const p = new AutoSyncPolicy(() => now);
    const decisions: string[] = [];
    for (let i = 0; i < 10; i++) {
      const d = p.decide(state(), 'bad');
      if (d) {
        decisions.push(d.reason);
        p.record('backend', 'bad', false);
      }
      now += 60_000;
    }
    assert.equal(decisions.length, 3, decisions.join('\n'));
    assert.match(decisions[1] ?? '', /attempt 2 of 3/);
    assert.ok(p.decide(state(), 'next'), 'a new commit is tried again');
  });

  it('does not retry before the backoff has passed', () => {
    let now = 0;
    const p = new AutoSyncPolicy(() => now);
    p.decide(state(), 'bad');
    p.record('backend', 'bad', false);
    now = 1_000;
    assert.equal(p.decide(state(), 'bad'), undefined);
    now = 6_000;
    assert.ok(p.decide(state(), 'bad'));
  });

  it('heals drift on a deployed revision only with selfHeal, after the settle time, backing off', () => {
    let now = 0;
    const p = new AutoSyncPolicy(() => now);
    const healing = state({ spec: spec({ selfHeal: true }) });
    p.record('backend', 'rev', true);
    now = 2_000;
    assert.equal(p.decide(healing, 'rev'), undefined, 'right after a sync the cache may lag');
    now = 20_000;
    assert.match(p.decide(healing, 'rev')?.reason ?? '', /self-heal/);
    now = 25_000;
    assert.equal(p.decide(healing, 'rev'), undefined, 'backs off while drift keeps coming back');
    p.settled('backend');
    now = 40_000;
    assert.ok(p.decide(healing, 'rev'));
  });

  it('does not heal an app whose only difference is a prune candidate its options keep for ever', () => {
    let now = 0;
    const p = new AutoSyncPolicy(() => now);
    const candidate = {
      key: { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'kept' },
      apiVersion: 'v1',
      status: 'Extraneous' as const,
      health: { status: 'Healthy' as const },
      diff: '',
      diffMode: 'client-side' as const,
      wave: 0,
    };
    const kept = { ...candidate, neverPruned: 'not pruned: argocd.argoproj.io/sync-options: Prune=false' };
    p.record('backend', 'rev', true);
    now = 60_000;
    const healing = (resources: AppState['resources']) =>
      state({ spec: spec({ selfHeal: true }), resources });
    assert.equal(p.decide(healing([kept]), 'rev'), undefined);
    assert.match(p.decide(healing([kept, candidate]), 'rev')?.reason ?? '', /self-heal/, 'one it may prune');
  });

  it('never acts on an app with auto off, an error, a sync in progress, or nothing to do', () => {
    const p = new AutoSyncPolicy(() => 0);
    const cases: AppState[] = [
      state({ spec: spec({ auto: false }) }),
      state({ error: { message: 'broken', file: 'a.yaml', line: 3 } }),
      state({ operation: { kind: 'sync', startedAt: '', by: 'x', phase: 'running' } }),
      state({ sync: 'Synced' }),
    ];
    for (const c of cases) assert.equal(p.decide(c, 'rev'), undefined, JSON.stringify(c));
  });
});

const withManagers = (entries: Array<{ manager: string; operation: string }>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'backend', managedFields: entries },
});

describe('apply conflicts', () => {
  it('reads the managers out of the API message', () => {
    const cases: Array<[string, string[]]> = [
      ['Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas', ['kubectl']],
      [
        'Apply failed with 2 conflicts: conflicts with "helm" using apps/v1:\n- .spec.replicas\nconflicts with "argocd-controller" using apps/v1:\n- .spec.template',
        ['helm', 'argocd-controller'],
      ],
      ['something else', []],
    ];
    for (const [message, want] of cases) assert.deepEqual(conflictManagers(message), want);
  });

  it('calls it drift only when every conflicting manager only ever updated (never applied)', () => {
    const live = withManagers([
      { manager: 'driftdeck', operation: 'Apply' },
      { manager: 'kubectl', operation: 'Update' },
      { manager: 'other-gitops', operation: 'Apply' },
    ]);
    assert.equal(onlyHandEdits(['kubectl'], live), true);
    assert.equal(onlyHandEdits(['other-gitops'], live), false);
    assert.equal(onlyHandEdits(['kubectl', 'other-gitops'], live), false);
    assert.equal(onlyHandEdits(['unknown'], live), false);
    assert.equal(onlyHandEdits([], live), false);
    assert.equal(onlyHandEdits(['kubectl'], undefined), false);
  });
});

describe('watch targets', () => {
  const m = (apiVersion: string, kind: string, namespace?: string): RenderedManifest => ({
    object: { apiVersion, kind, metadata: { name: 'x', ...(namespace ? { namespace } : {}) } },
    source: { file: 'a.yaml', line: 1 },
  });

  it('watches the rendered kinds, the kinds applied before, pods and warnings, and the sync history', () => {
    const targets = watchTargets(
      [spec()],
      [m('apps/v1', 'Deployment', 'shop'), m('apps/v1', 'Deployment', 'shop'), m('v1', 'Namespace')],
      [
        {
          app: 'backend',
          revision: 'r',
          startedAt: '',
          finishedAt: '',
          by: '',
          result: 'Succeeded',
          message: '',
          prune: false,
          resources: [
            {
              key: { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'old' },
              apiVersion: 'v1',
              action: 'created',
              ok: true,
            },
          ],
        },
      ],
    );
    const ids = targets.map((t) => `${t.apiVersion}/${t.kind}@${t.namespace}`).sort();
    assert.deepEqual(ids, [
      'apps/v1/Deployment@shop',
      'v1/ConfigMap@driftdeck-system',
      'v1/ConfigMap@shop',
      'v1/Event@shop',
      'v1/Namespace@',
      'v1/Pod@shop',
    ]);
  });

  it('reads sync records from the cached history ConfigMap, and survives a damaged one', () => {
    const cm = (records: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'driftdeck-history-backend', namespace: 'driftdeck-system' },
      data: { records },
    });
    const good = {
      app: 'backend',
      revision: 'abc',
      startedAt: '',
      finishedAt: '',
      by: 'a@b',
      result: 'Succeeded',
      message: '',
      prune: false,
      resources: [],
    };
    assert.equal(recordsFromCache([cm(JSON.stringify([good]))], 'backend').records[0]?.revision, 'abc');
    const damaged = recordsFromCache([cm('{not json')], 'backend');
    assert.deepEqual(damaged.records, []);
    assert.match(
      damaged.problems[0] ?? '',
      /driftdeck-system\/driftdeck-history-backend: records is not JSON/,
    );
    assert.deepEqual(recordsFromCache([], 'backend'), { records: [], problems: [] });
  });
});
