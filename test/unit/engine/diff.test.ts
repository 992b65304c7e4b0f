import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTwoFilesPatch } from 'diff';
import { resourceDiff, toYaml, wholePatch } from '../../../source/engine/diff.js';
import { keyOf } from '../../../source/engine/keys.js';
import { loadCase, readFixture } from './fixtures.js';

function diffCase(name: string, ignorePointers: string[] = []) {
  const { desired, live } = loadCase('diff', name);
  const side = desired ?? live;
  assert.ok(side, `no fixture for ${name}`);
  return resourceDiff({ key: keyOf(side), live, predicted: desired, ignorePointers });
}

describe('resourceDiff on <case>-desired.yaml / <case>-live.yaml', () => {
  const cases: Array<{ name: string; ignore?: string[]; golden?: string; changed: boolean }> = [
    { name: 'image-bump', golden: 'diff/image-bump.diff', changed: true },
    { name: 'server-noise', changed: false },
    { name: 'scaled-by-hand', golden: 'diff/scaled-by-hand.diff', changed: true },
    { name: 'scaled-by-hand', ignore: ['/spec/replicas'], changed: false },
  ];
  for (const { name, ignore, golden, changed } of cases) {
    test(`${name}${ignore ? ` ignoring ${ignore.join(', ')}` : ''}`, () => {
      const result = diffCase(name, ignore);
      assert.equal(result.changed, changed);
      assert.equal(result.diff, golden ? readFixture(golden) : '');
    });
  }

  test('new-resource: every line is added', () => {
    const { diff, changed } = diffCase('new-resource');
    assert.equal(changed, true);
    const body = diff.split('\n').slice(3).filter(Boolean);
    assert.ok(body.length > 0);
    for (const line of body) assert.match(line, /^\+/);
    assert.match(
      diff,
      /^--- live\/ConfigMap\/feature-flags\n\+\+\+ desired\/ConfigMap\/feature-flags\n@@ -0,0 \+1,7 @@/,
    );
    assert.match(diff, /\+ {2}checkout: "on"/, 'strings YAML 1.1 would read as booleans are quoted');
  });

  test('pruned-resource: every line is removed, server fields left out', () => {
    const { diff, changed } = diffCase('pruned-resource');
    assert.equal(changed, true);
    const body = diff.split('\n').slice(3).filter(Boolean);
    assert.ok(body.length > 0);
    for (const line of body) assert.match(line, /^-/);
    assert.doesNotMatch(diff, /resourceVersion|uid/);
  });
});

test('nothing on either side is no diff', () => {
  assert.deepEqual(resourceDiff({ key: { group: '', kind: 'X', namespace: '', name: 'y' } }), {
    diff: '',
    changed: false,
  });
});

describe('toYaml', () => {
  const cases: Array<{ name: string; input: unknown; want: string }> = [
    {
      name: 'sorts keys at every depth',
      input: { b: 1, a: { d: [{ z: 1, x: 2 }], c: 3 } },
      want: 'a:\n  c: 3\n  d:\n    - x: 2\n      z: 1\nb: 1\n',
    },
    { name: 'keeps array order', input: { list: [3, 1, 2] }, want: 'list:\n  - 3\n  - 1\n  - 2\n' },
    {
      name: 'does not fold long lines',
      input: { a: 'word '.repeat(40).trim() },
      want: `a: ${'word '.repeat(40).trim()}\n`,
    },
    {
      name: 'repeated objects are written out, not aliased',
      input: ((x) => ({ a: x, b: x }))({ k: 1 }),
      want: 'a:\n  k: 1\nb:\n  k: 1\n',
    },
  ];
  for (const { name, input, want } of cases) test(name, () => assert.equal(toYaml(input), want));
});

describe('wholePatch', () => {
  const options = {
    context: 3,
    headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
  };
  for (const text of [
    'apiVersion: v1\nkind: ConfigMap\n',
    'one line\n',
    'no newline at the end',
    'a\n\nb\n',
  ]) {
    test(`writes what the diff library writes for ${JSON.stringify(text)} added and removed`, () => {
      const label = 'ConfigMap/settings';
      for (const [before, after] of [
        ['', text],
        [text, ''],
      ] as const) {
        const expected = createTwoFilesPatch(
          `live/${label}`,
          `desired/${label}`,
          before,
          after,
          undefined,
          undefined,
          options,
        );
        assert.equal(wholePatch(label, before, after), expected);
      }
    });
  }
});
