import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncConfirmLines } from '../../../source/ui/panes/sync-confirm.js';

const text = (lines: ReturnType<typeof syncConfirmLines>) => lines.map((l) => l.map((s) => s.text).join(''));
const plan = { create: 2, update: 0, prune: 0, unchanged: 1, pruneCandidates: [] };

test("the sync dialog shows the plan's waves and hooks, in the order they run", () => {
  const lines = text(
    syncConfirmLines({
      app: 'shop',
      revision: 'abcdef0123',
      plan: { ...plan, waves: [-1, 1], hooks: ['PreSync Job/migrate-*', 'PostSync Job/report'] },
      prune: false,
      dryRun: false,
    }),
  );
  assert.ok(lines.includes('Waves: -1, 1 (each Healthy before the next)'), lines.join('\n'));
  assert.ok(lines.includes('Hooks: PreSync Job/migrate-*, PostSync Job/report'), lines.join('\n'));
});

test('the sync dialog says nothing of waves or hooks when there are none', () => {
  const lines = text(
    syncConfirmLines({ app: 'shop', revision: undefined, plan, prune: false, dryRun: false }),
  );
  assert.ok(!lines.some((l) => l.startsWith('Waves') || l.startsWith('Hooks')), lines.join('\n'));
});
