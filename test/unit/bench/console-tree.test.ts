// The console benchmark's resources view relies on two things it cannot check while it times: that its row labels
// are in the order the console draws the tree, and that its frame test sees the selection move and nothing else.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { plain } from '../../../scripts/bench/console-term.js';
import { benchTree, PODS, rowLabels } from '../../../scripts/bench/console-tree.js';
import { selected } from '../../../scripts/bench/console-tree-steps.js';
import { treeRows } from '../../../source/ui/presentation/tree.js';
import { ready, startConsole } from '../ui/console-start.js';
import { FakeController } from '../ui/fake-controller.js';
import { KEYS, press } from '../ui/harness.js';

afterEach(() => cleanup());

describe('bench: the resources view it measures', () => {
  it('has 3,000 pods, labelled in the order the console draws the rows', () => {
    const tree = benchTree('app-0000');
    const labels = rowLabels(tree);
    assert.equal(labels.filter((l) => l.startsWith('Pod/')).length, PODS);
    assert.deepEqual(
      labels,
      treeRows(tree).map((r) => `${r.node.ref.kind}/${r.node.ref.name}`),
    );
    assert.match(labels[200]!, /^Pod\//, 'the 200 presses end on a pod, where l opens a log');
  });

  it('tells the frame with the selection on a row from the frame before', async () => {
    const controller = new FakeController();
    const tree = benchTree('backend');
    controller.trees = { backend: tree };
    const labels = rowLabels(tree);
    const app = startConsole({ treeMs: 60_000 }, controller);
    await ready(app.see);
    await press(app.stdin, KEYS.enter);
    let frame = plain(await app.see((f) => selected(labels[0]!)(plain(f))));
    assert.ok(!selected(labels[1]!)(frame));
    await press(app.stdin, 'j', 'j');
    frame = plain(await app.see((f) => selected(labels[2]!)(plain(f))));
    assert.ok(!selected(labels[0]!)(frame), 'one row is selected');
    assert.ok(!selected(labels[1]!)(frame));
    assert.ok(frame.includes(labels[1]!), 'the row above is on screen, not selected');
  });
});
