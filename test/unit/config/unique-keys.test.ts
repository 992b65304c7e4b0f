import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineCounter, parseDocument } from 'yaml';
import { duplicateKeys } from '../../../source/config/unique-keys.js';

/** Each duplicate as `line of the second key < line of the first`. */
function duplicatesIn(text: string, version: '1.1' | '1.2' = '1.2'): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, version });
  assert.deepEqual(doc.errors, []);
  const line = (offset: number | undefined) => lineCounter.linePos(offset ?? 0).line;
  return duplicateKeys(doc).map((d) => `${line(d.key.range?.[0])} < ${line(d.first.range?.[0])}`);
}

describe('duplicateKeys: keys given twice in one mapping, as the yaml package compares them', () => {
  const cases: Array<{ name: string; text: string; version?: '1.1'; found: string[] }> = [
    { name: 'none', text: 'a: 1\nb: 2\nc: {a: 1, b: 2}\n', found: [] },
    { name: 'a key given twice', text: 'a: 1\nb: 2\na: 3\n', found: ['3 < 1'] },
    { name: 'a key given three times', text: 'a: 1\na: 2\na: 3\n', found: ['2 < 1', '3 < 1'] },
    { name: 'the same key in two mappings', text: 'x:\n  a: 1\ny:\n  a: 1\n', found: [] },
    { name: 'inside a flow mapping', text: 'x: {a: 1,\n  a: 2}\n', found: ['2 < 1'] },
    {
      name: 'at two depths, in the order of the text',
      text: 'x:\n  a: 1\n  a: 2\nx: 3\n',
      found: ['3 < 2', '4 < 1'],
    },
    { name: 'a number and a string that read the same', text: '1: a\n"1": b\n', found: [] },
    { name: 'two ways of writing one number', text: '1: a\n1.0: b\n', found: ['2 < 1'] },
    { name: 'two nulls', text: '~: a\nnull: b\n', found: ['2 < 1'] },
    { name: 'NaN, never equal to itself', text: '.nan: a\n.nan: b\n', found: [] },
    { name: 'YAML 1.1 booleans written two ways', text: 'yes: a\non: b\n', version: '1.1', found: ['2 < 1'] },
    {
      name: 'merge keys given twice (each merges)',
      text: 'a: &a {x: 1}\nb:\n  <<: *a\n  <<: *a\n',
      version: '1.1',
      found: [],
    },
    { name: 'collections as keys (only equal to themselves)', text: '? [a]\n: 1\n? [a]\n: 2\n', found: [] },
  ];
  for (const c of cases) {
    it(`finds ${c.found.length} in ${c.name}`, () =>
      assert.deepEqual(duplicatesIn(c.text, c.version), c.found));
  }

  it('agrees with the yaml package on every case above', () => {
    for (const c of cases) {
      const own = duplicatesIn(c.text, c.version).length > 0;
      const theirs = parseDocument(c.text, { version: c.version ?? '1.2' }).errors.some(
        (e) => e.code === 'DUPLICATE_KEY',
      );
      assert.equal(own, theirs, c.name);
    }
  });
});
