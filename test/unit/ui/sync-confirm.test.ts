// The sync dialog's plan as rows: every task in the order the sync runs it, waves as headers, unchanged folded.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HookManifest } from '../../../source/engine/sync-tasks.js';
import type { KubeObject } from '../../../source/engine/types.js';
import { lineText } from '../../../source/ui/presentation/line.js';
import {
  dialogTasks,
  planDiffLines,
  planRowLine,
  planRows,
  rowWhy,
} from '../../../source/ui/presentation/plan.js';
import { fixtureSnapshot, planOf, resource } from './fixture-snapshot.js';

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

const shown = (prune: boolean) =>
  planRows(dialogTasks(shopPlan(), prune)).map((row) => lineText(planRowLine(row, false)));

describe('the sync plan as the dialog lists it', () => {
  test('every task in run order: hooks with phase and delete policy, waves as headers, unchanged folded', () => {
    assert.deepEqual(shown(false), [
      '  PreSync, wave 0',
      '    * hook    Job/shop/migrate-*  (PreSync hook, created; delete policy BeforeHookCreation)',
      '  Sync, wave -1',
      '    + create  Namespace/shop',
      '  Sync, wave 0',
      '    + create  Deployment/shop/api',
      '    ~ update  Deployment/shop/web',
      '      2 unchanged (in sync, nothing sent)',
      '  Sync, wave 0: prune candidates, after every apply',
      '    = keep    ConfigMap/shop/old  (prune candidate; sync with prune to delete it)',
      '  PostSync, wave 1',
      '    * hook    Job/shop/report  (PostSync hook, applied; delete policy HookSucceeded)',
    ]);
  });

  test('with prune on, the candidate is marked PRUNE in the same place', () => {
    const lines = shown(true);
    assert.equal(lines[9], '    - PRUNE   ConfigMap/shop/old');
    assert.ok(!lines.some((l) => l.includes('keep')), lines.join('\n'));
  });

  test('the selected row is marked and says why', () => {
    const rows = planRows(dialogTasks(shopPlan(), true));
    assert.equal(lineText(planRowLine(rows[9]!, true)), '>   - PRUNE   ConfigMap/shop/old');
    assert.equal(rowWhy(rows[9]), "prune: prune candidate carrying this app's mark");
  });

  test("a line's diff is its resource's diff from the snapshot; a hook says it has none", () => {
    const rows = planRows(dialogTasks(shopPlan(), false));
    const app = {
      ...fixtureSnapshot().apps[0]!,
      resources: [resource('Deployment', 'web', 'OutOfSync', '--- a\n+++ b\n+    image: web:2\n')],
    };
    const diff = planDiffLines(app, rows[6]).map(lineText);
    assert.match(diff[0] ?? '', /## Deployment shop\/web {2}OutOfSync/);
    assert.ok(diff.includes('  +    image: web:2'), diff.join('\n'));
    assert.match(planDiffLines(app, rows[1]).map(lineText).join('\n'), /a hook, not part of the app's diff/);
  });

  test('rows are made once per plan, not on every keypress', () => {
    const tasks = dialogTasks(shopPlan(), false);
    assert.equal(planRows(tasks), planRows(tasks));
  });
});
