import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxTop, scrollWindow, visibleWindow } from '../../../source/ui/presentation/window.js';

describe('visibleWindow', () => {
  const cases: Array<[string, number, number, number, { start: number; end: number }]> = [
    ['empty list', 0, 0, 10, { start: 0, end: 0 }],
    ['no room', 5, 0, 0, { start: 0, end: 0 }],
    ['fits entirely', 3, 2, 10, { start: 0, end: 3 }],
    ['selection near the top', 1000, 2, 10, { start: 0, end: 10 }],
    ['selection in the middle is centred', 1000, 500, 10, { start: 495, end: 505 }],
    ['selection at the end keeps the last page full', 1000, 999, 10, { start: 990, end: 1000 }],
    ['selection past the end is clamped', 20, 50, 10, { start: 10, end: 20 }],
    ['negative selection is clamped', 20, -5, 10, { start: 0, end: 10 }],
  ];
  for (const [name, total, selected, height, expected] of cases) {
    it(name, () => assert.deepEqual(visibleWindow(total, selected, height), expected));
  }

  it('always contains the selection', () => {
    for (let total = 1; total < 40; total += 3) {
      for (let height = 1; height < 12; height++) {
        for (let selected = 0; selected < total; selected++) {
          const { start, end } = visibleWindow(total, selected, height);
          assert.ok(start <= selected && selected < end, `${total}/${height}/${selected}`);
          assert.equal(end - start, Math.min(total, height));
        }
      }
    }
  });

  it('never spans more than the visible height, anywhere in ten thousand rows', () => {
    for (let i = 0; i < 10_000; i += 37) {
      const w = visibleWindow(10_000, i, 40);
      assert.ok(w.end - w.start <= 40 && w.start <= i && i < w.end, `row ${i}: ${JSON.stringify(w)}`);
    }
  });
});

describe('scrollWindow', () => {
  it('starts at the offset and never runs past the end', () => {
    assert.deepEqual(scrollWindow(100, 10, 20), { start: 10, end: 30 });
    assert.deepEqual(scrollWindow(100, 95, 20), { start: 80, end: 100 });
    assert.deepEqual(scrollWindow(5, 3, 20), { start: 0, end: 5 });
    assert.equal(maxTop(100, 20), 80);
    assert.equal(maxTop(5, 20), 0);
  });
});
