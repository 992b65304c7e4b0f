// The console over a fleet of clusters (issue 15), driven by real keys: the app list grouped by cluster with a
// CLUSTER column, the grouping toggle, the filter, each cluster's connection in the header, `:ctx` narrowing the
// list to one cluster, read-only per cluster, and the panes naming the app's cluster.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { Console } from '../../../source/ui/console.js';
import { ready, startConsole } from './console-start.js';
import { FakeController } from './fake-controller.js';
import { fleetSnapshot } from './fleet-fixture.js';
import { KEYS, press, renderSized, tick, waitFor } from './harness.js';
import { backendTree } from './resource-tree-fixture.js';

afterEach(() => cleanup());

async function start() {
  const app = startConsole({}, new FakeController(fleetSnapshot()));
  await ready(app.see);
  return app;
}

/** The rows of the app list, in order: `[cluster] ...` group rows and `name cluster` app rows. */
function listRows(frame: string): string[] {
  const lines = frame.split('\n');
  const header = lines.findIndex((l) => /^\s+NAME\s+CLUSTER\s+SYNC/.test(l));
  assert.ok(header >= 0, `no CLUSTER column in:\n${frame}`);
  const rows: string[] = [];
  for (const line of lines.slice(header + 1)) {
    const group = /^\[(\S+)\] (.*?)\s*$/.exec(line);
    const app = /^[ >] (\S+)\s+(\S+)/.exec(line);
    if (group) rows.push(`[${group[1]}] ${group[2]}`);
    else if (app) rows.push(`${app[1]} ${app[2]}`);
    else break;
  }
  return rows;
}

describe('console over a fleet: the app list', () => {
  it('groups the apps by cluster in the order given, with a CLUSTER column and each group row saying its state', async () => {
    const { frame } = await start();
    assert.deepEqual(listRows(frame() ?? ''), [
      '[kind-prod] connected, 2 apps',
      'backend kind-prod',
      'cart kind-prod',
      '[kind-stage] connected, read-only, 2 apps',
      'frontend kind-stage',
      'search kind-stage',
      '[kind-dev] LOST, 1 app',
      'billing kind-dev',
    ]);
  });

  it('j and k move over the apps, past the group rows; G and g reach the ends', async () => {
    const { stdin, see } = await start();
    await press(stdin, 'j');
    await see((f) => /^> cart /m.test(f));
    await press(stdin, 'j');
    await see((f) => /^> frontend /m.test(f));
    await press(stdin, 'k');
    await see((f) => /^> cart /m.test(f));
    await press(stdin, 'G');
    await see((f) => /^> billing /m.test(f));
    await press(stdin, 'g');
    await see((f) => /^> backend /m.test(f));
  });

  it('dims the apps of a lost cluster and says (lost) beside them, which reads without colour', async () => {
    const { frame } = await start();
    assert.match(frame() ?? '', /^ {2}billing\s+kind-dev \(lost\)\s+Synced\s+Degraded/m);
    assert.doesNotMatch(frame() ?? '', /kind-prod \(lost\)/);
  });

  it('c lists the apps as one (snapshot order) and back, the selected app staying selected', async () => {
    const { stdin, see, frame } = await start();
    await press(stdin, 'j');
    await see((f) => /^> cart /m.test(f));
    await press(stdin, 'c');
    let shown = await see('apps in one list');
    assert.deepEqual(listRows(shown), [
      'backend kind-prod',
      'frontend kind-stage',
      'cart kind-prod',
      'billing kind-dev',
      'search kind-stage',
    ]);
    assert.match(shown, /^> cart /m);
    await press(stdin, 'j');
    await see((f) => /^> billing /m.test(f));
    await press(stdin, 'c');
    shown = await see('apps grouped by cluster');
    assert.equal(listRows(shown)[0], '[kind-prod] connected, 2 apps');
    assert.match(frame() ?? '', /^> billing /m);
  });

  it('shows the c key in the footer and the help overlay of a fleet', async () => {
    const { stdin, see, frame } = await start();
    assert.match(frame() ?? '', /c group/);
    await press(stdin, '?', KEYS.pageDown);
    await see('c                 Fleet: group the apps by cluster, or list them as one [apps]');
  });
});

describe('console over a fleet: the filter', () => {
  it('/ matches the cluster too; only the groups with matches stay; Esc clears it', async () => {
    const { stdin, see } = await start();
    await press(stdin, '/', ...'stage');
    let shown = await see('Apps (2/5)  filter: /stage_');
    assert.deepEqual(listRows(shown), [
      '[kind-stage] connected, read-only, 2 of 2 apps',
      'frontend kind-stage',
      'search kind-stage',
    ]);
    await press(stdin, KEYS.esc);
    shown = await see('Apps (5)');
    assert.equal(listRows(shown).length, 8);
  });

  it("every word must match: a cluster and a status narrow to that cluster's apps in it", async () => {
    const { stdin, see } = await start();
    await press(stdin, '/', ...'prod progress', KEYS.enter);
    const shown = await see((f) => f.includes('filter: /prod progress') && !f.includes('progress_'));
    assert.deepEqual(listRows(shown), ['[kind-prod] connected, 1 of 2 apps', 'cart kind-prod']);
    assert.match(shown, /^> cart /m);
  });
});

describe('console over a fleet: the header and a lost cluster', () => {
  it("shows each cluster's connection, a lost one's reason and retry, and its apps as lost while the others update", async () => {
    const { see, controller, frame } = await start();
    let shown = frame() ?? '';
    assert.match(shown, /clusters kind-prod connected, kind-stage connected \(read-only\), kind-dev LOST/);
    assert.match(
      shown,
      /2 of 3 connected; kind-dev lost: dial tcp 10\.0\.0\.9:6443: connect: connection refused; retry/,
    );
    // prod syncs backend meanwhile: its row moves on, billing stays as last known and marked.
    controller.update((s) => ({
      apps: s.apps.map((a) => (a.name === 'backend' ? { ...a, sync: 'Synced' as const, resources: [] } : a)),
    }));
    shown = await see((f) => /^> backend\s+kind-prod\s+Synced/m.test(f));
    assert.match(shown, /^ {2}billing\s+kind-dev \(lost\)/m);
    assert.match(shown, /\[kind-dev\] LOST, 1 app/);
    // dev comes back.
    controller.update((s) => ({
      clusters: s.clusters?.map((c) =>
        c.name === 'kind-dev' ? { ...c, loop: { watching: 4, connection: 'connected' as const } } : c,
      ),
    }));
    shown = await see('3 of 3 connected');
    assert.match(shown, /\[kind-dev\] connected, 1 app/);
    assert.doesNotMatch(shown, /\(lost\)|LOST/);
  });

  it('shows no READ-ONLY badge when only some clusters are read-only, and one when all are', async () => {
    const { frame } = await start();
    assert.doesNotMatch(frame() ?? '', /\[READ-ONLY\]/);
    const snapshot = fleetSnapshot();
    snapshot.clusters = snapshot.clusters?.map((c) => ({ ...c, readonly: true }));
    const all = startConsole({}, new FakeController(snapshot));
    await all.see('[READ-ONLY]');
  });
});

describe('console over a fleet: :ctx narrows the view', () => {
  it(':ctx <name> lists that cluster only and the header names it; :ctx all and :ctx widen again', async () => {
    const { stdin, see, controller } = await start();
    await press(stdin, ':', ...'ctx kind-stage', KEYS.enter);
    let shown = await see('only kind-stage shown');
    assert.match(shown, /^driftdeck {2}ctx kind-stage \(of 3\)/m);
    assert.match(shown, /Apps \(2\)/);
    assert.deepEqual(listRows(shown), [
      '[kind-stage] connected, read-only, 2 apps',
      'frontend kind-stage',
      'search kind-stage',
    ]);
    assert.match(shown, /^> frontend /m);
    await press(stdin, ':', ...'ctx all', KEYS.enter);
    shown = await see('every cluster shown: kind-prod, kind-stage, kind-dev');
    assert.equal(listRows(shown).length, 8);
    assert.doesNotMatch(shown, /ctx kind-stage/);
    await press(stdin, ':', ...'ctx kind-dev', KEYS.enter);
    shown = await see('only kind-dev shown');
    assert.deepEqual(listRows(shown), ['[kind-dev] LOST, 1 app', 'billing kind-dev']);
    await press(stdin, ':', ...'ctx', KEYS.enter);
    shown = await see('every cluster shown');
    assert.equal(listRows(shown).length, 8);
    assert.equal(controller.callsTo('switchContext').length, 0, 'nothing is switched in a fleet');
  });

  it('says clearly when the name is not a cluster of the fleet, and keeps the view', async () => {
    const { stdin, see } = await start();
    await press(stdin, ':', ...'ctx kind-qa', KEYS.enter);
    const shown = await see('no cluster "kind-qa" in this console; it has kind-prod, kind-stage, kind-dev');
    assert.equal(listRows(shown).length, 8);
  });

  it('narrowed, the filter and grouping still apply to that cluster', async () => {
    const { stdin, see } = await start();
    await press(stdin, ':', ...'ctx kind-prod', KEYS.enter, '/', ...'progress', KEYS.enter);
    let shown = await see((f) => f.includes('Apps (1/2)  filter: /progress') && !f.includes('progress_'));
    assert.deepEqual(listRows(shown), ['[kind-prod] connected, 1 of 2 apps', 'cart kind-prod']);
    await press(stdin, 'c');
    shown = await see('apps in one list');
    assert.deepEqual(listRows(shown), ['cart kind-prod']);
  });
});

describe('console over a fleet: read-only per cluster', () => {
  it("refuses sync, auto-sync and revert on a read-only cluster's app with its reason; a writable cluster's acts", async () => {
    const { stdin, see, controller } = await start();
    const reason = 'read-only: context kind-stage is marked read-only';
    await press(stdin, 'j', 'j');
    await see((f) => /^> frontend /m.test(f));
    await press(stdin, 's');
    await see(`${reason}; sync is disabled`);
    await press(stdin, 'a');
    await see(`${reason}; auto-sync is disabled`);
    await press(stdin, ':', ...'sync search', KEYS.enter);
    await see((f) => f.includes(`${reason}; sync is disabled`) && !f.includes(':sync'));
    await press(stdin, ':', ...'revert a1b2c3d', KEYS.enter);
    await see(`${reason}; revert is disabled`);
    assert.equal(controller.callsTo('planSync').length, 0);
    assert.equal(controller.callsTo('setAutoSync').length, 0);
    assert.equal(controller.callsTo('describeRevert').length, 0);
    // backend is prod's, which is writable: the same keys act.
    await press(stdin, 'g', 'a');
    await see('auto-sync on for backend');
    await press(stdin, 's');
    await see('Sync backend on kind-prod?');
    await press(stdin, KEYS.esc, ':', ...'sync cart', KEYS.enter);
    await see('Sync cart on kind-prod?');
    assert.deepEqual(controller.callsTo('planSync'), [['backend'], ['cart']]);
    assert.deepEqual(controller.callsTo('setAutoSync'), [['backend', true]]);
  });

  it('the first cluster being read-only does not make the others so', async () => {
    const snapshot = fleetSnapshot();
    snapshot.readonly = true;
    snapshot.readonlyReason = 'context kind-prod is marked read-only';
    snapshot.clusters = snapshot.clusters?.map((c) =>
      c.name === 'kind-prod'
        ? { ...c, readonly: true, readonlyReason: 'context kind-prod is marked read-only' }
        : { ...c, readonly: false },
    );
    const { stdin, see } = startConsole({}, new FakeController(snapshot));
    await ready(see);
    await press(stdin, 's');
    await see('read-only: context kind-prod is marked read-only; sync is disabled');
    await press(stdin, 'j', 'j', 's');
    await see('Sync frontend on kind-stage?');
  });

  it('--readonly refuses every cluster', async () => {
    const { stdin, see } = startConsole({ readonly: true }, new FakeController(fleetSnapshot()));
    await ready(see);
    await see('[READ-ONLY]');
    await press(stdin, 's');
    await see('read-only: started with --readonly; sync is disabled');
  });
});

describe("console over a fleet: the panes name the app's cluster", () => {
  it('in the diff, rollout log and history titles', async () => {
    const { stdin, see } = await start();
    await press(stdin, 'j', 'j', '2');
    await see('Diff: frontend  cluster kind-stage');
    await press(stdin, '3');
    await see('Rollout log: frontend  cluster kind-stage  following');
    await press(stdin, '4');
    await see('History: frontend  cluster kind-stage');
    await press(stdin, '1', 'g', 'd');
    await see('Diff: backend  cluster kind-prod  1 differ');
  });

  it("in the resources view's title, and its s refuses a read-only cluster's object", async () => {
    const controller = new FakeController(fleetSnapshot());
    controller.trees = { backend: backendTree(), frontend: backendTree() };
    const { stdin, see } = startConsole({ treeMs: 50 }, controller);
    await ready(see);
    await press(stdin, KEYS.enter);
    await see('Resources: backend  cluster kind-prod');
    await press(stdin, KEYS.esc, 'j', 'j', KEYS.enter);
    await see('Resources: frontend  cluster kind-stage');
    await see('Pod/backend-7d9f-crash');
    await press(stdin, 's');
    await see('read-only: context kind-stage is marked read-only; sync is disabled');
    assert.equal(controller.callsTo('planSync').length, 0);
  });

  it('and at 160 columns, where the panes sit side by side', async () => {
    const {
      lastFrame: frame,
      stdin,
      unmount,
    } = renderSized(<Console controller={new FakeController(fleetSnapshot())} sampleMs={20} />, 160, 40);
    try {
      await waitFor(frame, 'Diff: backend  cluster kind-prod');
      await waitFor(frame, 'Rollout log: backend  cluster kind-prod');
      await waitFor(frame, 'History: backend  cluster kind-prod');
      await tick(20);
      await press(stdin, 'G');
      await waitFor(frame, 'Diff: billing  cluster kind-dev');
    } finally {
      unmount();
    }
  });
});

describe('console over a fleet: hostile cluster names', () => {
  it('shows control characters in a cluster name as text in the list, its group row and the titles', async () => {
    const snapshot = fleetSnapshot();
    const evil = 'kind-\x1b[2J\x1b]52;c;QUFB\x07x';
    snapshot.clusters = snapshot.clusters?.map((c) => (c.name === 'kind-prod' ? { ...c, name: evil } : c));
    snapshot.apps = snapshot.apps.map((a) => (a.cluster === 'kind-prod' ? { ...a, cluster: evil } : a));
    const { stdin, see, frame } = startConsole({}, new FakeController(snapshot));
    await ready(see);
    const shown = frame() ?? '';
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the terminal
    assert.doesNotMatch(shown.replace(/\x1b\[[0-9;]*m/g, ''), /[\x00-\x08\x0b-\x1f\x7f]/);
    assert.match(shown, /^\[kind-\^\[\[2J\^\[\]52;c;QUFB\^Gx\] connected, 2 apps/m);
    assert.match(shown, /^> backend\s+kind-\^\[\[2J\^\[\]52;c;\S*~ OutOfSync /m);
    await press(stdin, 'd');
    await see('Diff: backend  cluster kind-^[[2J^[]52;c;QUFB^Gx');
  });
});

describe('console with one cluster: no fleet keys', () => {
  it('has no CLUSTER column nor group rows, c does nothing and is not shown, :ctx switches the context', async () => {
    const app = startConsole();
    await ready(app.see);
    const before = app.frame() ?? '';
    assert.doesNotMatch(before, /CLUSTER|\[kind-|c group/);
    await press(app.stdin, 'j', 'c', 'j');
    const after = await app.see((f) => /^> cart /m.test(f));
    assert.doesNotMatch(after, /grouped|one list|\[kind-/);
    await press(app.stdin, ':', ...'ctx', KEYS.enter);
    await app.see('error: usage: :ctx <name>');
    await press(app.stdin, ':', ...'ctx kind-other', KEYS.enter);
    await app.see('context kind-other');
    assert.deepEqual(app.controller.callsTo('switchContext'), [['kind-other']]);
    await press(app.stdin, '?', KEYS.pageDown);
    const help = await app.see('Keys  (15-');
    assert.match(help, /4 {17}History pane/);
    assert.doesNotMatch(help, /Fleet: group/);
  });
});
