// A fleet on fake edges: two loops (two clusters) over one repository. The merged snapshot lists every app in
// context order with its cluster and says each cluster's connection; each app command goes to the loop holding the
// app; a cluster that never answers holds up nobody; switching context is refused with the way to do it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FleetController, type FleetMember } from '../../../source/cli/fleet-controller.js';
import type { ClusterConnection } from '../../../source/engine/ports.js';
import type { AppSpec, RenderResult, Snapshot } from '../../../source/engine/types.js';
import { Loop } from '../../../source/loop/index.js';
import { appSpec, FakeCluster, fakeGit, fakeLoop } from '../../support/fake-cluster.js';

class NamedCluster extends FakeCluster {
  constructor(name: string) {
    super();
    // FakeCluster's context is a field of its own: given here, after it.
    Object.defineProperty(this, 'context', { value: name });
  }
}

const home = appSpec('home', 'home');
const eu = appSpec('eu-web', 'eu-web', { cluster: 'eu' });
const us = appSpec('us-web', 'us-web', { cluster: 'us' });
const elsewhere = appSpec('ap-web', 'ap-web', { cluster: 'ap' });
const apps = [home, eu, us, elsewhere];
const render = (a: AppSpec): RenderResult => ({
  ok: true,
  manifests: [
    {
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${a.name}-cm`, namespace: a.namespace },
      },
      source: { file: `${a.path}/cm.yaml`, line: 1 },
    },
  ],
});
const NO_PRUNE = { prune: false, dryRun: false, forceConflicts: false };

function fleet(clusters = [new NamedCluster('eu'), new NamedCluster('us')]) {
  const opened = clusters.map((c) => c.context);
  const loops = clusters.map(
    (cluster, i) =>
      fakeLoop(apps, render, cluster, {
        destination: { cluster: cluster.context, takesDefault: i === 0, opened },
      }).loop,
  );
  return { clusters, loops, controller: new FleetController(loops) };
}

const changed = (
  c: { subscribe(l: () => void): () => void; getSnapshot(): Snapshot },
  until: () => boolean,
) =>
  new Promise<void>((resolve) => {
    if (until()) return resolve();
    const off = c.subscribe(() => {
      if (until()) {
        off();
        resolve();
      }
    });
  });

describe('FleetController', () => {
  it('merges the loops: apps in context order with their cluster, each cluster with its connection', async () => {
    const { controller } = fleet();
    await controller.started();
    await changed(controller, () => {
      const { apps } = controller.getSnapshot();
      return apps.length === 3 && apps.every((a) => a.sync === 'OutOfSync');
    });
    try {
      const snap = controller.getSnapshot();
      assert.deepEqual(
        snap.apps.map((a) => [a.name, a.cluster]),
        [
          ['home', 'eu'],
          ['eu-web', 'eu'],
          ['us-web', 'us'],
        ],
      );
      assert.deepEqual(
        snap.clusters?.map((c) => [c.name, c.loop.connection, c.apps, c.readonly]),
        [
          ['eu', 'connected', 2, false],
          ['us', 'connected', 1, false],
        ],
      );
      assert.equal(snap.context, 'eu');
      // The app of a cluster not opened is said once, by the first loop, not once per loop.
      const said = snap.events.filter((e) => e.message.includes('not opened here')).map((e) => e.message);
      assert.deepEqual(said, ['1 app is for clusters not opened here (ap: 1); open them with --context']);
      // Git is said once for the fleet, not once per loop.
      assert.equal(snap.events.filter((e) => e.type === 'git').length, 1);
    } finally {
      controller.close();
    }
  });

  it('sends each app command to the loop holding the app, so each app lands in its own cluster only', async () => {
    const { controller, clusters } = fleet();
    await controller.started();
    try {
      await controller.sync('us-web', NO_PRUNE);
      await controller.sync('home', NO_PRUNE);
      const [euCluster, usCluster] = clusters;
      assert.deepEqual(
        euCluster?.applied.map((l) => l.split(' ')[1]),
        ['ConfigMap/home/home-cm'],
      );
      assert.deepEqual(
        usCluster?.applied.map((l) => l.split(' ')[1]),
        ['ConfigMap/us-web/us-web-cm'],
      );
      assert.equal((await controller.planSync('eu-web')).create, 1);
      assert.equal((await controller.tree('us-web')).app, 'us-web');
      await assert.rejects(
        controller.sync('ap-web', NO_PRUNE),
        /no app named "ap-web" in eu, us; apps: home, eu-web, us-web/,
      );
      assert.throws(() => controller.setAutoSync('nope', true), /no app named "nope"/);
    } finally {
      controller.close();
    }
  });

  it('keeps the others going while one cluster never answers, and shows that one as lost', {
    timeout: 20_000,
  }, async () => {
    // The first cluster is the lost one: the second must not wait for it.
    const lost = new NamedCluster('eu');
    lost.connection = (): ClusterConnection => ({ state: 'lost', message: 'dial tcp: connection refused' });
    let release: () => void = () => undefined;
    lost.watch = () =>
      new Promise<void>((r) => {
        release = r;
      });
    const { controller } = fleet([lost, new NamedCluster('us')]);
    try {
      await changed(controller, () =>
        controller.getSnapshot().apps.some((a) => a.name === 'us-web' && a.sync === 'OutOfSync'),
      );
      const snap: Snapshot = controller.getSnapshot();
      assert.deepEqual(
        snap.clusters?.map((c) => [c.name, c.loop.connection]),
        [
          ['eu', 'lost'],
          ['us', 'connected'],
        ],
      );
      assert.equal(snap.apps.find((a) => a.name === 'us-web')?.cluster, 'us');
    } finally {
      release();
      controller.close();
    }
  });

  it('refuses to switch context, saying to restart with --context', async () => {
    const { controller } = fleet();
    try {
      await assert.rejects(
        controller.switchContext('ap'),
        /watches eu, us together; .*restart with --context ap/,
      );
    } finally {
      await controller.started();
      controller.close();
    }
  });

  it('sends reverts to the first loop, for the one shared repository', async () => {
    const calls: string[] = [];
    const member = (name: string): FleetMember =>
      ({
        ...fleet().loops[0]!,
        cluster: { context: name, close: () => undefined },
        start: async () => undefined,
        stop: () => undefined,
        getSnapshot: () =>
          ({
            apps: [],
            events: [],
            history: {},
            loop: { watching: 0, connection: 'connected' },
          }) as unknown as Snapshot,
        subscribe: () => () => undefined,
        describeRevert: async (sha: string) => {
          calls.push(`${name} describe ${sha}`);
          return { commit: {} as never, branch: 'main', message: '' };
        },
        revert: async (sha: string) => {
          calls.push(`${name} revert ${sha}`);
          return {} as never;
        },
      }) as unknown as FleetMember;
    const controller = new FleetController([member('eu'), member('us')]);
    await controller.describeRevert('abc');
    await controller.revert('abc');
    assert.deepEqual(calls, ['eu describe abc', 'eu revert abc']);
  });

  it("says the repository's broken definitions once, not once per cluster", async () => {
    const broken = (context: string, i: number) =>
      new Loop({
        git: fakeGit,
        cluster: new NamedCluster(context),
        render: async () => ({ ok: true, manifests: [] }),
        loadApps: async () => ({
          ok: false,
          error: { file: 'driftdeck.yaml', line: 3, message: 'apps: expected a list' },
        }),
        intervalMs: 60_000,
        readonly: false,
        by: 'tester@host',
        autoSync: false,
        destination: { cluster: context, takesDefault: i === 0 },
      });
    const controller = new FleetController([broken('eu', 0), broken('us', 1)]);
    await controller.started();
    await changed(controller, () => controller.getSnapshot().events.some((e) => e.type === 'render-error'));
    try {
      const errors = controller.getSnapshot().events.filter((e) => e.type === 'render-error');
      assert.deepEqual(
        errors.map((e) => e.message),
        ['driftdeck.yaml:3: apps: expected a list'],
      );
      assert.equal(controller.getSnapshot().configError?.line, 3);
    } finally {
      controller.close();
    }
  });
});
