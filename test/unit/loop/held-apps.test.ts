// Discovered apps driftdeck lists but does not run, through the loop on fake edges: never rendered nor synced, an
// Unmanaged one shown with its reason, one in error shown as Error with a render-error event.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppSpec, RenderResult } from '../../../source/engine/types.js';
import { Loop } from '../../../source/loop/index.js';
import { appSpec, FakeCluster, fakeGit, fakeLoop } from '../../support/fake-cluster.js';

const where = { file: 'apps/infra.yaml', line: 2 };
const infra: AppSpec = {
  ...appSpec('infra', 'infra'),
  held: {
    kind: 'unmanaged',
    reason: { ...where, message: 'not this repository: source https://x.test/infra' },
  },
};
const broken: AppSpec = {
  ...appSpec('broken', 'broken'),
  held: { kind: 'invalid', reason: { file: 'apps/broken.yaml', line: 1, message: 'source.path: leaves it' } },
};
const web = appSpec('web', 'web');
const NO_PRUNE = { prune: false, dryRun: false, forceConflicts: false };

describe('held apps in the loop', () => {
  it('renders only the apps it runs; Unmanaged and Error apps carry their reasons; neither syncs', async () => {
    const renderedNames: string[] = [];
    const render = (a: AppSpec): RenderResult => {
      renderedNames.push(a.name);
      return { ok: true, manifests: [] };
    };
    const { loop } = fakeLoop([infra, broken, web], render);
    await loop.start();
    try {
      assert.deepEqual(renderedNames, ['web']);
      const apps = Object.fromEntries(loop.getSnapshot().apps.map((a) => [a.name, a]));
      assert.equal(apps.infra?.sync, 'Unmanaged');
      assert.equal(apps.infra?.error?.message, 'not this repository: source https://x.test/infra');
      assert.equal(apps.broken?.sync, 'Error');
      assert.equal(apps.web?.sync, 'Synced');
      const errors = loop
        .getSnapshot()
        .events.filter((e) => e.type === 'render-error')
        .map((e) => e.message);
      assert.deepEqual(errors, ['apps/broken.yaml:1: source.path: leaves it']);
      await assert.rejects(
        loop.sync('infra', NO_PRUNE),
        /^Error: not syncing infra: driftdeck does not run it: apps\/infra\.yaml:2: not this repository/,
      );
      await assert.rejects(
        loop.sync('broken', NO_PRUNE),
        /^Error: not syncing broken: nothing is applied while apps\/broken\.yaml:1/,
      );
    } finally {
      loop.stop();
    }
  });

  it('says what the definitions found once, and again only when it changes', async () => {
    let head = 'c0ffee0001';
    let notice = 'no driftdeck.yaml; found 1 Argo CD Application in apps/';
    let loads = 0;
    const loop = new Loop({
      git: { ...fakeGit, poll: async () => ({ head, moved: true }) },
      cluster: new FakeCluster(),
      render: async () => ({ ok: true, manifests: [] }),
      loadApps: async () => {
        loads++;
        return { ok: true, apps: [web], notice };
      },
      intervalMs: 60_000,
      readonly: false,
      by: 'tester@host',
      autoSync: false,
    });
    await loop.start();
    try {
      head = 'c0ffee0002';
      await loop.poll();
      head = 'c0ffee0003';
      notice = 'no driftdeck.yaml; found 2 Argo CD Applications in apps/';
      await loop.poll();
      assert.equal(loads, 3);
      const said = loop.getSnapshot().events.filter((e) => e.type === 'discovery');
      assert.deepEqual(
        said.map((e) => e.message),
        [
          'no driftdeck.yaml; found 1 Argo CD Application in apps/',
          'no driftdeck.yaml; found 2 Argo CD Applications in apps/',
        ],
      );
    } finally {
      loop.stop();
    }
  });
});
