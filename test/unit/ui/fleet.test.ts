// The fleet's app list as data: grouping in the clusters' order, the filter keeping the group rows of clusters with
// matches, the rows around the groups, and read-only per cluster.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allReadonly,
  appListModel,
  clusterOf,
  readonlyReasonFor,
  rowAt,
  rowCount,
  rowOfApp,
} from '../../../source/ui/fleet.js';
import { groupRowLine, groupRowText } from '../../../source/ui/presentation/app-groups.js';
import { appColumns, appRowLine } from '../../../source/ui/presentation/apps.js';
import { lineText } from '../../../source/ui/presentation/line.js';
import { fixtureSnapshot, NOW } from './fixture-snapshot.js';
import { cluster, fleetSnapshot } from './fleet-fixture.js';

const names = (model: ReturnType<typeof appListModel>) => model.apps.map((a) => a.name);
const groups = (model: ReturnType<typeof appListModel>) =>
  model.groups?.map((g) => `${g.name} ${g.start}+${g.count}/${g.total}`);

describe('the fleet app list', () => {
  it('groups by cluster in the order given, each group in snapshot order', () => {
    const model = appListModel(fleetSnapshot(), { filter: '', grouped: true });
    assert.deepEqual(names(model), ['backend', 'cart', 'frontend', 'search', 'billing']);
    assert.deepEqual(groups(model), ['kind-prod 0+2/2', 'kind-stage 2+2/2', 'kind-dev 4+1/1']);
  });

  it('keeps snapshot order and has no groups when grouping is off, or with one cluster', () => {
    const flat = appListModel(fleetSnapshot(), { filter: '', grouped: false });
    assert.deepEqual(names(flat), ['backend', 'frontend', 'cart', 'billing', 'search']);
    assert.equal(flat.groups, undefined);
    const one = appListModel(fixtureSnapshot(), { filter: '', grouped: true, narrowed: 'kind-prod' });
    assert.deepEqual(names(one), ['backend', 'frontend', 'cart']);
    assert.equal(one.groups, undefined);
  });

  it('under a filter keeps only the group rows of clusters with matches, and counts what is shown', () => {
    const model = appListModel(fleetSnapshot(), { filter: 'synced', grouped: true });
    assert.deepEqual(names(model), ['frontend', 'search', 'billing']);
    assert.deepEqual(groups(model), ['kind-stage 0+2/2', 'kind-dev 2+1/1']);
    const byCluster = appListModel(fleetSnapshot(), { filter: 'stage', grouped: true });
    assert.deepEqual(names(byCluster), ['frontend', 'search']);
    const group = byCluster.groups?.[0];
    assert.ok(group);
    assert.equal(groupRowText(group, true), '[kind-stage] connected, read-only, 2 of 2 apps');
  });

  it('shows the group row of a cluster with no apps yet when nothing is filtered', () => {
    const snapshot = fleetSnapshot();
    snapshot.clusters = [
      ...(snapshot.clusters ?? []),
      cluster('kind-new', { loop: { watching: 0, connection: 'connecting' } }),
    ];
    const model = appListModel(snapshot, { filter: '', grouped: true });
    const last = model.groups?.at(-1);
    assert.ok(last);
    assert.equal(groupRowText(last, false), '[kind-new] connecting..., 0 apps');
    assert.equal(rowAt(model, rowCount(model) - 1).kind, 'group');
  });

  it('narrows to one cluster', () => {
    const model = appListModel(fleetSnapshot(), { filter: '', grouped: true, narrowed: 'kind-stage' });
    assert.deepEqual(names(model), ['frontend', 'search']);
    assert.deepEqual(groups(model), ['kind-stage 0+2/2']);
  });

  it('maps rows to apps and group rows both ways', () => {
    const model = appListModel(fleetSnapshot(), { filter: '', grouped: true });
    assert.equal(rowCount(model), 8);
    const rows = Array.from({ length: rowCount(model) }, (_, r) => {
      const at = rowAt(model, r);
      return at.kind === 'group' ? `[${at.group.name}]` : model.apps[at.index]?.name;
    });
    assert.deepEqual(rows, [
      '[kind-prod]',
      'backend',
      'cart',
      '[kind-stage]',
      'frontend',
      'search',
      '[kind-dev]',
      'billing',
    ]);
    for (let i = 0; i < model.apps.length; i++) {
      const at = rowAt(model, rowOfApp(model, i));
      assert.deepEqual(at, { kind: 'app', index: i });
    }
  });

  it('cuts a group row into the columns of the list so that they read as one line', () => {
    const model = appListModel(fleetSnapshot(), { filter: '', grouped: true });
    const group = model.groups?.[2];
    assert.ok(group);
    const line = groupRowLine(group, false, [2, 10, 5, 40]);
    assert.deepEqual(
      line.map((s) => s.text.length),
      [2, 10, 5, '[kind-dev] LOST, 1 app'.length - 17],
    );
    assert.equal(lineText(line), '[kind-dev] LOST, 1 app');
    assert.ok(line.every((s) => s.tone === 'bad'));
    assert.equal(lineText(groupRowLine(group, false, [2, 4, 4])), '[kind-dev~');
  });

  it("dims every cell of a lost cluster's app but the one saying (lost)", () => {
    const [backend] = fleetSnapshot().apps;
    assert.ok(backend);
    const columns = appColumns(100, 20);
    const live = appRowLine(backend, columns, NOW, { name: 'kind-prod', lost: false });
    assert.match(lineText(live), /^backend\s+kind-prod\s+OutOfSync\s+Healthy/);
    assert.ok(
      live.some((s) => s.tone === 'warn'),
      'OutOfSync keeps its tone',
    );
    const lost = appRowLine(backend, columns, NOW, { name: 'kind-prod', lost: true });
    assert.match(lineText(lost), /^backend\s+kind-prod \(lost\)\s+OutOfSync/);
    // A name too long for the column is cut; the mark is not.
    const long = appRowLine(backend, columns, NOW, { name: 'kwok-driftdeck-test-13057-b', lost: true });
    assert.match(lineText(long), /^backend\s+kwok-\S*~ \(lost\)\s+OutOfSync/);
    assert.deepEqual(
      lost.map((s) => s.tone),
      lost.map((s) => (s.text.includes('(lost)') ? 'bad' : 'muted')),
    );
  });

  it('puts an app that names no cluster in the first one', () => {
    const snapshot = fleetSnapshot();
    const [first] = snapshot.apps;
    assert.ok(first);
    const { cluster: _, ...bare } = first;
    assert.equal(clusterOf({ ...bare, spec: { ...bare.spec, cluster: undefined } }, snapshot), 'kind-prod');
    assert.equal(clusterOf(first, { context: 'solo' }), 'kind-prod');
  });
});

describe('read-only per cluster', () => {
  it("refuses changes to an app of a read-only cluster with that cluster's reason, and allows the others", () => {
    const snapshot = fleetSnapshot();
    assert.equal(readonlyReasonFor(snapshot, 'backend'), undefined);
    assert.equal(readonlyReasonFor(snapshot, 'search'), 'context kind-stage is marked read-only');
    const stage = snapshot.clusters?.[1];
    assert.ok(stage);
    stage.readonlyReason = 'marked so';
    assert.equal(readonlyReasonFor(snapshot, 'frontend'), 'kind-stage: marked so');
    delete stage.readonlyReason;
    assert.equal(readonlyReasonFor(snapshot, 'frontend'), 'context kind-stage is read-only');
    assert.equal(allReadonly(snapshot), false);
  });

  it("with one cluster is the snapshot's, as before fleets", () => {
    const snapshot = { ...fixtureSnapshot(), readonly: true };
    assert.equal(readonlyReasonFor(snapshot, 'backend'), 'this context is read-only');
    assert.equal(readonlyReasonFor({ ...snapshot, readonly: false }, 'backend'), undefined);
    assert.equal(allReadonly(snapshot), true);
  });

  it("the first cluster's read-only mode is not the fleet's", () => {
    const snapshot = { ...fleetSnapshot(), readonly: true };
    assert.equal(allReadonly(snapshot), false);
    assert.equal(readonlyReasonFor(snapshot, 'backend'), undefined);
  });
});
