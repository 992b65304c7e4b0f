// A large fleet: 1,000 apps and 10,000 resources. Only visible rows are rendered, so a keypress costs the same as
// with three apps. Timings are measured by `npm run bench`, never asserted here.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { AppState, Snapshot } from '../../../source/engine/types.js';
import { Console } from '../../../source/ui/console.js';
import { BACKEND_DIFF, FakeController, fixtureSnapshot } from './fake-controller.js';
import { plain, renderSized, tick, waitFor } from './harness.js';

function fleet(): Snapshot {
  const base = fixtureSnapshot();
  const template = base.apps[0] as AppState;
  const resource = template.resources[0]!;
  const apps: AppState[] = Array.from({ length: 1000 }, (_, i) => ({
    ...template,
    name: `app-${String(i).padStart(4, '0')}`,
    resources: Array.from({ length: 10 }, (_, r) => ({
      ...resource,
      key: { ...resource.key, name: `res-${r}` },
      status: r === 0 ? 'OutOfSync' : 'Synced',
      diff: r === 0 ? BACKEND_DIFF : '',
    })),
  }));
  return { ...base, apps };
}

describe('performance with 1,000 apps and 10,000 resources', () => {
  const controller = new FakeController(fleet());
  const app = renderSized(<Console controller={controller} sampleMs={250} />, 160, 50);
  after(() => app.unmount());

  it('draws the first frame with the first rows only', async () => {
    await waitFor(app.lastFrame, 'app-0000');
    assert.match(plain(app.lastFrame()), /> app-0000/);
  });

  it('moves the selection through a large list one key at a time', async () => {
    await tick(30);
    for (let i = 1; i <= 60; i++) {
      const target = `> app-${String(i).padStart(4, '0')}`;
      app.stdin.write('j');
      await waitFor(app.lastFrame, target);
    }
    assert.match(plain(app.lastFrame()), /> app-0060/);
  });

  it('renders only the visible rows', () => {
    const rows = plain(app.lastFrame())
      .split('\n')
      .filter((line) => /app-\d{4}/.test(line));
    assert.ok(rows.length < 40, `${rows.length} app rows drawn`);
  });
});

describe('performance with 1,000 apps over three clusters, grouped', () => {
  const clusters = ['kind-a', 'kind-b', 'kind-c'];
  const base = fleet();
  const snapshot: Snapshot = {
    ...base,
    apps: base.apps.map((a, i) => ({ ...a, cluster: clusters[i % 3] })),
    clusters: clusters.map((name) => ({
      name,
      loop: { watching: 3000, connection: 'connected' },
      readonly: false,
      apps: 334,
    })),
  };
  const app = renderSized(<Console controller={new FakeController(snapshot)} sampleMs={250} />, 160, 50);
  after(() => app.unmount());

  it('moves through the first group one key at a time, drawing only the visible rows', async () => {
    await waitFor(app.lastFrame, '[kind-a] connected, 334 apps');
    await tick(30);
    // Grouped, kind-a's apps are every third one: app-0000, app-0003, ...
    for (let i = 1; i <= 40; i++) {
      app.stdin.write('j');
      await waitFor(app.lastFrame, `> app-${String(i * 3).padStart(4, '0')}`);
    }
    const rows = plain(app.lastFrame())
      .split('\n')
      .filter((line) => /app-\d{4}/.test(line));
    assert.ok(rows.length < 40, `${rows.length} app rows drawn`);
    assert.ok(
      !plain(app.lastFrame()).includes('[kind-a]'),
      'the group row scrolled away with its first apps',
    );
  });
});
