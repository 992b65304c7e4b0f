// A comparison with Argo CD's ignore rules: drift in a field a jq expression selects, or one a listed field manager
// owns, leaves the resource Synced; an expression that cannot be evaluated is said in its message.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { IgnoreRule, KubeObject } from '../../../source/engine/types.js';
import { JqPaths } from '../../../source/jq/jq-paths.js';
import { compareApp, PredictionCache, prepareDesired } from '../../../source/loop/compare.js';
import { appSpec, FakeCluster } from '../../support/fake-cluster.js';

const deployment = (proxy: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'web:1' },
          { name: 'proxy', image: proxy },
        ],
      },
    },
  },
});

describe('compareApp with ignore rules', () => {
  const jq = new JqPaths();
  after(() => jq.close());

  async function compare(ignore: IgnoreRule[], managedFields: unknown[] = []) {
    const app = appSpec('web', 'shop', { ignore });
    const cluster = new FakeCluster();
    const [desired] = prepareDesired(
      app,
      [{ object: deployment('proxy:1'), source: { file: 'web/d.yaml', line: 1 } }],
      cluster.isNamespaced,
    );
    const live = structuredClone(desired!.object);
    (live.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec
      .containers[1]!.image = 'proxy:9';
    live.metadata = { ...live.metadata, resourceVersion: '7', managedFields };
    const result = await compareApp(app, [desired!], [live], cluster, new PredictionCache(), {
      diffTexts: true,
      jq,
    });
    return result.resources[0]!;
  }

  it('shows the drift without a rule', async () => {
    assert.equal((await compare([])).status, 'OutOfSync');
  });

  it('leaves out the proxy image a jq expression selects', async () => {
    const r = await compare([
      {
        group: 'apps',
        kind: 'Deployment',
        jsonPointers: [],
        jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "proxy") | .image'],
      },
    ]);
    assert.equal(r.status, 'Synced', r.diff);
    assert.equal(r.message, undefined);
  });

  it('leaves out what a listed field manager owns', async () => {
    const injector = {
      manager: 'injector',
      operation: 'Update',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:spec': {
          'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"proxy"}': { 'f:image': {} } } } },
        },
      },
    };
    const r = await compare(
      [{ kind: '*', jsonPointers: [], managedFieldsManagers: ['injector'] }],
      [injector],
    );
    assert.equal(r.status, 'Synced', r.diff);
    const other = await compare(
      [{ kind: '*', jsonPointers: [], managedFieldsManagers: ['someone-else'] }],
      [injector],
    );
    assert.equal(other.status, 'OutOfSync');
  });

  it('says when an expression cannot be evaluated, and compares its fields', async () => {
    const r = await compare([
      { kind: 'Deployment', jsonPointers: [], jqPathExpressions: ['.spec | error("nope")'] },
    ]);
    assert.equal(r.status, 'OutOfSync');
    assert.match(
      r.message ?? '',
      /ignoreDifferences not applied: jq expression "\.spec \| error\(\\"nope\\"\)": nope/,
    );
  });
});
