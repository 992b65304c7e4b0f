// The sync dialog's plan as rows: every task in the order the sync runs it, waves as headers, unchanged folded.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lineText } from '../../../source/ui/presentation/line.js';
import {
  dialogTasks,
  planDiffLines,
  planRowLine,
  planRows,
  whyLine,
} from '../../../source/ui/presentation/plan.js';
import { fixtureSnapshot, hookJob, planOf, resource, shopPlan } from './fixture-snapshot.js';

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
    assert.equal(lineText(whyLine(rows[9])), "why: prune: prune candidate carrying this app's mark");
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

  test('a Helm hook says so', () => {
    const helm = hookJob('setup-', ['PostSync'], 0, ['HookSucceeded']);
    const rows = planRows(
      dialogTasks(planOf([], [{ ...helm, spec: { ...helm.spec, from: 'helm' } }]), false),
    );
    assert.equal(
      lineText(planRowLine(rows[1]!, false)),
      '    * hook    Job/shop/setup-*  (PostSync hook (a Helm hook), created; delete policy HookSucceeded)',
    );
  });

  test('names and reasons from Git and the cluster reach the screen without control characters', () => {
    const hostile = {
      ...resource('ConfigMap', 'x\u001b[2Jy', 'Extraneous'),
      message: 'kept\u0007 \u001b]0;t\u0007',
    };
    const rows = planRows(dialogTasks(planOf([hostile]), false));
    const text = rows.map((row) => lineText(planRowLine(row, false))).join('\n') + lineText(whyLine(rows[1]));
    assert.match(text, /ConfigMap\/shop\/x/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not be there
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  test('rows are made once per plan, not on every keypress', () => {
    const tasks = dialogTasks(shopPlan(), false);
    assert.equal(planRows(tasks), planRows(tasks));
  });
});
