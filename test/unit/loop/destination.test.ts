// Destinations through the loop on fake edges: a loop runs only the apps destined for its cluster (never rendering,
// watching, comparing or syncing another cluster's), names its cluster in each app, and says once how many apps are
// for clusters nobody opened.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WatchTarget } from '../../../source/engine/ports.js';
import type { AppSpec, RenderResult } from '../../../source/engine/types.js';
import { type Destination, destinedApps, notOpenedNotice } from '../../../source/loop/destination.js';
import { appSpec, FakeCluster, fakeLoop } from '../../support/fake-cluster.js';

const home = appSpec('home', 'home');
const eu = appSpec('eu-web', 'eu-web', { cluster: 'prod-eu' });
const us = appSpec('us-web', 'us-web', { cluster: 'prod-us' });
const us2 = appSpec('us-api', 'us-api', { cluster: 'prod-us' });
const apps = [home, eu, us, us2];
const names = (list: readonly AppSpec[]) => list.map((a) => a.name);

describe('which apps a loop runs (destinedApps)', () => {
  const cases: Array<{ who: string; dest: Destination; mine: string[]; notOpened: Array<[string, number]> }> =
    [
      {
        who: 'a console on prod-eu alone (the default cluster)',
        dest: { cluster: 'prod-eu', takesDefault: true },
        mine: ['home', 'eu-web'],
        notOpened: [['prod-us', 2]],
      },
      {
        who: "a fleet's first context, prod-us opened beside it",
        dest: { cluster: 'prod-eu', takesDefault: true, opened: ['prod-eu', 'prod-us'] },
        mine: ['home', 'eu-web'],
        notOpened: [],
      },
      {
        who: "a fleet's second context (counts nothing: the first one does)",
        dest: { cluster: 'prod-us', takesDefault: false, opened: ['prod-eu'] },
        mine: ['us-web', 'us-api'],
        notOpened: [],
      },
      {
        who: 'an agent started without --cluster-name',
        dest: { takesDefault: true },
        mine: ['home'],
        notOpened: [
          ['prod-eu', 1],
          ['prod-us', 2],
        ],
      },
      {
        who: 'an agent with --cluster-name prod-us',
        dest: { cluster: 'prod-us', takesDefault: false },
        mine: ['us-web', 'us-api'],
        notOpened: [],
      },
    ];
  for (const c of cases)
    it(`for ${c.who}`, () => {
      const got = destinedApps(apps, c.dest);
      assert.deepEqual(names(got.mine), c.mine);
      assert.deepEqual([...got.notOpened], c.notOpened);
    });

  it('says the apps for clusters not opened with each cluster and a way to open them', () => {
    assert.equal(
      notOpenedNotice(new Map([['prod-us', 2]])),
      '2 apps are for clusters not opened here (prod-us: 2); open them with --context',
    );
    assert.equal(notOpenedNotice(new Map()), undefined);
  });
});

describe('a loop with a destination', () => {
  it('never renders, watches, compares or syncs another cluster’s app, and names its cluster in each app', async () => {
    const rendered: string[] = [];
    const render = (a: AppSpec): RenderResult => {
      rendered.push(a.name);
      return {
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
      };
    };
    const cluster = new FakeCluster();
    const watched: WatchTarget[][] = [];
    cluster.watch = async (targets) => {
      watched.push(targets);
    };
    const { loop } = fakeLoop(apps, render, cluster, {
      destination: { cluster: 'prod-us', takesDefault: false },
    });
    await loop.start();
    try {
      assert.deepEqual(rendered.sort(), ['us-api', 'us-web']);
      const snap = loop.getSnapshot();
      assert.deepEqual(
        snap.apps.map((a) => [a.name, a.cluster]),
        [
          ['us-web', 'prod-us'],
          ['us-api', 'prod-us'],
        ],
      );
      const namespaces = new Set(
        watched.flat().flatMap((t) => ('namespace' in t && t.namespace ? [t.namespace] : [])),
      );
      assert.equal(namespaces.has('home'), false);
      assert.equal(namespaces.has('eu-web'), false);
      await assert.rejects(
        loop.sync('home', { prune: false, dryRun: false, forceConflicts: false }),
        /no app named "home"/,
      );
      await loop.sync('us-web', { prune: false, dryRun: false, forceConflicts: false });
      assert.deepEqual(
        cluster.applied.map((l) => l.split(' ')[1]),
        ['ConfigMap/us-web/us-web-cm'],
      );
    } finally {
      loop.stop();
    }
  });

  it('says once, in the log, how many apps are for clusters not opened', async () => {
    const { loop } = fakeLoop(apps, () => ({ ok: true, manifests: [] }), new FakeCluster(), {
      destination: { cluster: 'prod-eu', takesDefault: true },
    });
    await loop.start();
    try {
      await loop.refresh(true);
      const said = loop.getSnapshot().events.filter((e) => e.message.includes('not opened here'));
      assert.deepEqual(
        said.map((e) => e.message),
        ['2 apps are for clusters not opened here (prod-us: 2); open them with --context'],
      );
      assert.equal(loop.elsewhere.current, said[0]?.message);
    } finally {
      loop.stop();
    }
  });
});
