// A diff too large to search is a note, not a freeze: the console draws and renews leases on the same thread.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIFF_LIMITS, resourceDiff } from '../../../source/engine/diff.js';
import type { KubeObject } from '../../../source/engine/types.js';

const key = { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'big' };

/** A ConfigMap of `lines` keys whose first `changed` values differ between `tag`s. */
function configMap(lines: number, changed: number, tag: string): KubeObject {
  const data = Object.fromEntries(
    Array.from({ length: lines }, (_, i) => [
      `k${String(i).padStart(6, '0')}`,
      i < changed ? `${tag}-${i}` : `same-${i}`,
    ]),
  );
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'shop' }, data };
}

function diffOf(lines: number, changed: number) {
  return resourceDiff({
    key,
    live: configMap(lines, changed, 'old'),
    predicted: configMap(lines, changed, 'new'),
  });
}

describe('resourceDiff bounds', () => {
  const cases: Array<{ name: string; lines: number; changed: number; note?: RegExp }> = [
    { name: '100 of 2,000 lines changed: the whole diff', lines: 2_000, changed: 100 },
    {
      name: `every one of 8,000 lines changed: past ${DIFF_LIMITS.maxEdits} edits`,
      lines: 8_000,
      changed: 8_000,
      note: /^\\ too large to diff here \(more than 1000 lines added or removed; 8006 lines live, 8006 desired\): compare them with kubectl diff$/m,
    },
    {
      name: '600 of 2,000 lines changed: 1,200 edits',
      lines: 2_000,
      changed: 600,
      note: /^\\ too large to diff here \(more than 1000 lines added or removed; 2006 lines live, 2006 desired\)/m,
    },
    {
      name: `two lines changed in ${DIFF_LIMITS.maxLines} lines: too long to search`,
      lines: DIFF_LIMITS.maxLines / 2,
      changed: 2,
      note: /^\\ too large to diff here \(more than 50000 lines of YAML; 25006 lines live, 25006 desired\)/m,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { diff, changed } = diffOf(c.lines, c.changed);
      assert.equal(changed, true);
      assert.match(diff, /^--- live\/ConfigMap\/big\n\+\+\+ desired\/ConfigMap\/big\n/);
      const changedLines = diff.split('\n').filter((l) => /^[-+] /.test(l));
      if (c.note) {
        assert.match(diff, c.note);
        assert.deepEqual(changedLines, [], 'no partial diff is shown');
        assert.doesNotMatch(diff, /^@@/m);
      } else {
        assert.equal(changedLines.length, 2 * c.changed);
        assert.doesNotMatch(diff, /too large/);
      }
    });
  }

  test('equal large objects are still in sync, with nothing to show', () => {
    const { diff, changed } = diffOf(DIFF_LIMITS.maxLines, 0);
    assert.deepEqual({ diff, changed }, { diff: '', changed: false });
  });
});
