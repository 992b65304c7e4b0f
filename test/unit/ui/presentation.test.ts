process.env.TZ = 'UTC';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppState } from '../../../source/engine/types.js';
import {
  appColumns,
  appHeaderLine,
  appRowLine,
  appsTitle,
  filterApps,
} from '../../../source/ui/presentation/apps.js';
import { diffView, resourceJump } from '../../../source/ui/presentation/diff.js';
import { age, cell, truncate } from '../../../source/ui/presentation/format.js';
import { historyLine, historyPlaceholder } from '../../../source/ui/presentation/history.js';
import { lineText } from '../../../source/ui/presentation/line.js';
import { eventsFor, logLines } from '../../../source/ui/presentation/log.js';
import { BACKEND_HISTORY, fixtureSnapshot, NOW } from './fake-controller.js';

const snapshot = fixtureSnapshot();
const [backend, frontend, cart] = snapshot.apps;
if (!backend || !frontend || !cart) throw new Error('fixture has three apps');

describe('format', () => {
  const minute = 60_000;
  const cases: Array<[string | undefined, string]> = [
    [undefined, '-'],
    ['not a date', '-'],
    [new Date(NOW - 12_000).toISOString(), '<1m'],
    [new Date(NOW - 59_000).toISOString(), '<1m'],
    [new Date(NOW - 60_000).toISOString(), '1m'],
    [new Date(NOW - 5 * minute).toISOString(), '5m'],
    [new Date(NOW - 3 * 60 * minute).toISOString(), '3h'],
    [new Date(NOW - 3 * 24 * 60 * minute).toISOString(), '3d'],
    [new Date(NOW + 5000).toISOString(), '<1m'],
  ];
  for (const [iso, expected] of cases) it(`age of ${iso}`, () => assert.equal(age(iso, NOW), expected));

  it('truncates visibly and pads to width', () => {
    assert.equal(truncate('backend', 4), 'bac~');
    assert.equal(truncate('cart', 4), 'cart');
    assert.equal(cell('cart', 6), 'cart  ');
  });
});

describe('app list rows', () => {
  it('filters by name, ignoring case', () => {
    assert.deepEqual(
      filterApps(snapshot.apps, 'AR').map((a) => a.name),
      ['cart'],
    );
    assert.equal(filterApps(snapshot.apps, '').length, 3);
    assert.equal(filterApps(snapshot.apps, 'zzz').length, 0);
  });

  it('filters by namespace, sync and health words too, every word matching', () => {
    const names = (filter: string, cluster?: (a: AppState) => string) =>
      filterApps(snapshot.apps, filter, cluster).map((a) => a.name);
    assert.deepEqual(names('outofsync'), ['backend', 'cart']);
    assert.deepEqual(names('PROGRESS'), ['cart']);
    assert.deepEqual(names('shop synced'), ['frontend']);
    assert.deepEqual(names('outofsync healthy'), ['backend']);
    assert.deepEqual(names('prod'), [], 'no cluster to match outside a fleet');
    const cluster = (a: AppState) => (a.name === 'cart' ? 'kind-prod' : 'kind-stage');
    assert.deepEqual(names('prod', cluster), ['cart']);
    assert.deepEqual(names('stage outofsync', cluster), ['backend']);
  });

  it('shows name, sync, health, drift, deployed sha and last sync', () => {
    const columns = appColumns(80);
    const withSync = {
      ...backend,
      lastSync: {
        app: 'backend',
        revision: 'x',
        startedAt: '',
        finishedAt: new Date(NOW - 120_000).toISOString(),
        by: 'me',
        result: 'Failed' as const,
        message: '',
        prune: false,
        resources: [],
      },
    };
    const text = lineText(appRowLine(withSync, columns, NOW));
    assert.match(text, /^backend\s+OutOfSync\s+Healthy\s+1\s+a1b2c3d\s+2m fail$/);
    assert.match(lineText(appHeaderLine(columns)), /NAME\s+SYNC\s+HEALTH\s+DRIFT\s+REV\s+LAST SYNC/);
    assert.match(
      lineText(appRowLine(frontend, columns, NOW)),
      /^frontend\s+Synced\s+Healthy\s+0\s+a1b2c3d\s+-$/,
    );
  });

  it('says Syncing while an operation runs', () => {
    const syncing = {
      ...cart,
      operation: { kind: 'sync' as const, startedAt: '', by: 'me', phase: 'applying' },
    };
    assert.match(lineText(appRowLine(syncing, appColumns(80), NOW)), /^cart\s+Syncing\s+Progressing\s+2/);
  });

  it('drops optional columns in a narrow pane but keeps name and sync', () => {
    const columns = appColumns(30);
    assert.equal(columns.lastSync, undefined);
    assert.equal(columns.revision, undefined);
    assert.ok(columns.name >= 12);
    const text = lineText(appRowLine(backend, columns, NOW));
    assert.ok(text.length <= 28, text);
    assert.match(text, /backend\s+OutOfSync/);
  });

  it('titles the list with counts and the filter', () => {
    assert.equal(appsTitle(3, 3, '', false), 'Apps (3)');
    assert.equal(appsTitle(1, 3, 'ca', false), 'Apps (1/3)  filter: /ca');
    assert.equal(appsTitle(1, 3, 'ca', true), 'Apps (1/3)  filter: /ca_');
  });

  it('makes a row for one app without touching the others (1,000 apps)', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...backend, name: `app-${i}` }));
    const filtered = filterApps(many, 'app-9');
    const rows = filtered.slice(0, 40).map((app) => appRowLine(app, appColumns(80), NOW));
    assert.equal(filtered.length, 111);
    assert.equal(rows.length, 40);
  });
});

describe('diff lines', () => {
  it('shows a header per differing resource and the diff with its prefixes', () => {
    const view = diffView(backend);
    const text = view.lines.map(lineText);
    assert.equal(view.starts.length, 1);
    assert.match(
      text[0] ?? '',
      /^## Deployment shop\/backend {2}OutOfSync {2}apps\/v1 {2}apps\/backend\/deployment\.yaml:1$/,
    );
    assert.ok(text.includes('  -        image: ghcr.io/gadgetgrove/backend:v1.0.0'));
    assert.ok(text.includes('  +        image: ghcr.io/gadgetgrove/backend:v1.0.1-security-patch'));
    assert.ok(!text.some((line) => line.includes('--- live')), 'file headers are left out');
    assert.equal(text[text.length - 1], '1 of 2 resources in sync with Git at f00dbab.');
  });

  it('names the last revision that rendered when the head was refused', () => {
    const refused = {
      ...backend,
      targetRevision: 'badc0de000000000000000000000000000000000',
      comparedRevision: 'f00dbab000000000000000000000000000000000',
      error: { message: 'invalid YAML', file: 'apps/backend/deployment.yaml', line: 28 },
    };
    const text = diffView(refused).lines.map(lineText);
    assert.equal(text[0], 'error: apps/backend/deployment.yaml:28: invalid YAML');
    assert.equal(
      text[text.length - 1],
      '1 of 2 resources in sync with Git at f00dbab, the last revision that rendered.',
    );
  });

  it('colours additions and deletions', () => {
    const lines = diffView(backend).lines;
    const add = lines.find((l) => lineText(l).startsWith('  +'));
    const del = lines.find((l) => lineText(l).startsWith('  -'));
    assert.equal(add?.[0]?.tone, 'good');
    assert.equal(del?.[0]?.tone, 'bad');
  });

  it('keeps Secret values masked and notes a client-side diff and a prune candidate', () => {
    const text = diffView(cart).lines.map(lineText);
    assert.ok(text.includes('  -  password: ++++++++ (1)'));
    assert.ok(text.includes('  +  password: ++++++++ (2)'));
    assert.ok(text.some((l) => l.includes('client-side diff') && l.includes('dry-run refused by a webhook')));
    assert.ok(text.some((l) => l.startsWith('## ConfigMap shop/cart-legacy  Extraneous (prune candidate)')));
    assert.ok(text.some((l) => l.includes('a sync with prune deletes it')));
  });

  it('says so when the app matches Git', () => {
    assert.deepEqual(diffView(frontend).lines.map(lineText), [
      'frontend matches Git at f00dbab: 2 resources in sync.',
    ]);
    assert.deepEqual(diffView(undefined).lines.map(lineText), ['No app selected.']);
  });

  it('puts an app error with its file and line first', () => {
    const broken = {
      ...backend,
      sync: 'Error' as const,
      error: {
        message: 'mapping values are not allowed here',
        file: 'apps/backend/deployment.yaml',
        line: 7,
        column: 3,
      },
    };
    assert.equal(
      lineText(diffView(broken).lines[0] ?? []),
      'error: apps/backend/deployment.yaml:7:3: mapping values are not allowed here',
    );
  });

  it('says why an Unmanaged app is not run, without calling it an error', () => {
    const held = {
      ...backend,
      sync: 'Unmanaged' as const,
      resources: [],
      error: {
        message: 'not this repository: source https://charts.example.test',
        file: 'apps/infra.yaml',
        line: 1,
      },
    };
    const first = diffView(held).lines[0] ?? [];
    assert.equal(
      lineText(first),
      'not run by driftdeck: apps/infra.yaml:1: not this repository: source https://charts.example.test',
    );
    assert.ok(first.every((s) => s.tone !== 'bad'));
  });

  it('jumps between resources', () => {
    const starts = [0, 10, 25];
    assert.equal(resourceJump(starts, 0, 1), 10);
    assert.equal(resourceJump(starts, 12, 1), 25);
    assert.equal(resourceJump(starts, 25, 1), undefined);
    assert.equal(resourceJump(starts, 25, -1), 10);
    assert.equal(resourceJump(starts, 0, -1), undefined);
  });
});

describe('log lines', () => {
  it('shows the app events and app-less events, not other apps', () => {
    const shown = eventsFor(snapshot.events, 'backend').map((e) => e.message);
    assert.deepEqual(shown, ['new commit f00dbab on main', 'backend is OutOfSync', 'ImagePullBackOff']);
  });

  it('reads time, level, resource and message', () => {
    const text = logLines(snapshot.events, 'backend').map(lineText);
    assert.deepEqual(text, [
      '11:59:00 INFO  [git] new commit f00dbab on main',
      '11:59:10 INFO  backend is OutOfSync',
      '11:59:30 ERROR Pod/backend-7c9 ImagePullBackOff',
    ]);
  });

  it('names the app when showing every app', () => {
    const text = logLines(snapshot.events, undefined).map(lineText);
    assert.equal(text[2], '11:59:20 WARN  cart Pod/cart-1 BackOff pulling image');
  });

  it('says when there is nothing yet', () => {
    assert.deepEqual(logLines([], 'cart').map(lineText), ['No events for cart yet.']);
  });
});

describe('history rows', () => {
  it('shows short sha, age, author, subject and marks the deployed commit', () => {
    const [head, deployed] = BACKEND_HISTORY.map((entry) => lineText(historyLine(entry, NOW)));
    assert.equal(head, 'f00dbab 5m   alice          backend: v1.0.1-security-patch');
    assert.equal(deployed, 'a1b2c3d 3d   bob            backend: first release  [deployed]');
    const old = { ...BACKEND_HISTORY[1]!, date: new Date(NOW - 573 * 86_400_000).toISOString() };
    assert.equal(
      lineText(historyLine(old, NOW)),
      'a1b2c3d 573d bob            backend: first release  [deployed]',
    );
  });

  it('explains an empty pane', () => {
    assert.equal(historyPlaceholder(undefined, undefined), 'No app selected.');
    assert.equal(historyPlaceholder('cart', undefined), 'Loading commits for cart...');
    assert.equal(historyPlaceholder('cart', []), "No commits touch cart's path.");
  });
});
