// jqPathExpressions as Argo CD evaluates them (path(expr) on the object), with the bounds an expression from Git
// is held to: time, paths, object size; batched, and cached by object content.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { normalize, resourceDiff } from '../../../source/engine/index.js';
import type { KubeObject } from '../../../source/engine/types.js';
import { JQ_LIMITS, JqPaths } from '../../../source/jq/jq-paths.js';

const INJECTED = '.spec.template.spec.initContainers[] | select(.name == "injected")';

const deployment = (initContainers: Array<{ name: string; image: string }>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { template: { spec: { initContainers, containers: [{ name: 'web', image: 'web:1' }] } } },
});

describe('JqPaths', () => {
  const jq = new JqPaths({ ...JQ_LIMITS, timeoutMs: 1_500, maxPaths: 5 });
  after(() => jq.close());

  it('gives the paths of path(expr) as JSON pointers, select included', async () => {
    const obj = deployment([
      { name: 'setup', image: 'busybox' },
      { name: 'injected', image: 'proxy:1' },
    ]);
    assert.deepEqual(await jq.paths(obj, [INJECTED]), {
      pointers: ['/spec/template/spec/initContainers/1'],
      errors: [],
    });
    assert.deepEqual(await jq.paths(obj, ['.metadata.labels["app.kubernetes.io/name"]']), {
      pointers: ['/metadata/labels/app.kubernetes.io~1name'],
      errors: [],
    });
  });

  it('says which expression failed and why, and still gives the others', async () => {
    const answer = await jq.paths({ spec: {} }, ['.spec(', '.spec | error("no such field")', '.spec']);
    assert.deepEqual(answer.pointers, ['/spec']);
    assert.equal(answer.errors.length, 2);
    assert.match(answer.errors[0]!, /^jq expression "\.spec\(": syntax error/);
    assert.match(answer.errors[1]!, /no such field$/);
  });

  it('stops an expression that never ends, and one that gives too many paths', async () => {
    const started = Date.now();
    const endless = await jq.paths({ a: 1 }, ['def f: f; f']);
    assert.match(endless.errors[0]!, /stopped after 1500 ms/);
    assert.ok(Date.now() - started < 5_000);
    const many = await jq.paths({ l: [1, 2, 3, 4, 5, 6] }, ['.l[]']);
    assert.deepEqual(many.pointers, []);
    assert.match(many.errors[0]!, /gives more than 5 paths/);
    // The worker is made again after a timeout.
    assert.deepEqual((await jq.paths({ a: 1 }, ['.a'])).pointers, ['/a']);
  });

  it('refuses an object too large to evaluate', async () => {
    const big = { data: 'x'.repeat(JQ_LIMITS.objectBytes) };
    assert.match((await jq.paths(big, ['.data'])).errors[0]!, /larger than/);
  });

  it('asks jq once for objects asked together, and never again for an unchanged object', async () => {
    const fresh = new JqPaths();
    try {
      const objects = Array.from({ length: 40 }, (_, i) =>
        deployment([{ name: 'injected', image: `p:${i}` }]),
      );
      const answers = await Promise.all(objects.map((o) => fresh.paths(o, [INJECTED])));
      assert.ok(answers.every((a) => a.pointers[0] === '/spec/template/spec/initContainers/0'));
      assert.equal(fresh.calls, 1);
      assert.equal(fresh.evaluated, 40);
      await Promise.all(objects.map((o) => fresh.paths(structuredClone(o), [INJECTED])));
      assert.equal(fresh.calls, 1);
      assert.equal(fresh.evaluated, 40);
    } finally {
      await fresh.close();
    }
  });

  it('leaves an injected init container out of the diff of each side (its index differs)', async () => {
    const desired = deployment([{ name: 'setup', image: 'busybox' }]);
    const live = deployment([
      { name: 'injected', image: 'proxy:2' },
      { name: 'setup', image: 'busybox' },
    ]);
    const key = { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' };
    assert.equal(resourceDiff({ key, live, predicted: desired }).changed, true);
    const livePointers = (await jq.paths(normalize(live), [INJECTED])).pointers;
    const desiredPointers = (await jq.paths(normalize(desired), [INJECTED])).pointers;
    assert.deepEqual(desiredPointers, []);
    assert.equal(
      resourceDiff({ key, live, predicted: desired, livePointers, desiredPointers }).changed,
      false,
    );
  });
});
