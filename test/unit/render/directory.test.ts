import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import type { RenderResult } from '../../../source/engine/types.js';
import { renderApp } from '../../../source/render/index.js';
import { makeApp, renderFixtures } from './make-app.js';

/** `file:line Kind/name` per manifest, in render order: what a reader checks first. */
function summary(result: RenderResult): string[] {
  assert.ok(result.ok, result.ok ? '' : formatLocatedError(result.error));
  return result.manifests.map(
    (m) => `${m.source.file}:${m.source.line} ${m.object.kind}/${m.object.metadata.name}`,
  );
}

describe('renderApp on a plain folder', () => {
  it('reads .yaml, .yml and .json files recursively in sorted order, skipping empty documents', async () => {
    const result = await renderApp(renderFixtures, makeApp('plain-multidoc'), {});
    assert.deepEqual(summary(result), [
      'plain-multidoc/configmaps.yaml:2 ConfigMap/settings',
      'plain-multidoc/configmaps.yaml:12 ConfigMap/features',
      'plain-multidoc/deployment.yml:1 Deployment/backend',
      'plain-multidoc/nested/deeper/secret.yaml:2 Secret/backend-credentials',
      'plain-multidoc/nested/list.yaml:4 ServiceAccount/backend',
      'plain-multidoc/nested/list.yaml:8 Role/backend-reader',
      'plain-multidoc/service.json:1 Service/backend',
    ]);
  });

  it('keeps each object as written (namespace, data)', async () => {
    const result = await renderApp(renderFixtures, makeApp('plain-multidoc'), {});
    assert.ok(result.ok);
    assert.deepEqual(result.manifests[1]?.object, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'features', namespace: 'shop-extra' },
      data: { checkout: 'on' },
    });
  });

  it('stays in the top folder when recurse is false', async () => {
    const result = await renderApp(
      renderFixtures,
      makeApp('plain-multidoc', { type: 'directory', recurse: false }),
      {},
    );
    assert.deepEqual(summary(result), [
      'plain-multidoc/configmaps.yaml:2 ConfigMap/settings',
      'plain-multidoc/configmaps.yaml:12 ConfigMap/features',
      'plain-multidoc/deployment.yml:1 Deployment/backend',
      'plain-multidoc/service.json:1 Service/backend',
    ]);
  });

  const broken = [
    {
      fixture: 'broken-yaml',
      error: 'broken-yaml/20-broken.yaml:6:8: invalid YAML: the string opened here with " is never closed',
    },
    {
      fixture: 'broken-json',
      error: 'broken-json/service.json:4:37: invalid YAML: Unexpected , in flow map',
    },
    {
      fixture: 'missing-metadata-name',
      error:
        'missing-metadata-name/deployment.yaml:6:1: Deployment has no metadata.name; every object needs apiVersion, kind and metadata.name',
    },
    {
      fixture: 'missing-kind-in-list',
      error:
        'missing-kind-in-list/list.yaml:8:5: List item items[1]: object "second" has no kind; every object needs apiVersion, kind and metadata.name',
    },
    {
      fixture: 'scalar-document',
      error:
        'scalar-document/notes.yaml:1:1: expected a Kubernetes object (a mapping), got a string; every object needs apiVersion, kind and metadata.name',
    },
  ];
  for (const c of broken) {
    it(`fails the whole app on ${c.fixture}, naming file, line and column`, async () => {
      const result = await renderApp(renderFixtures, makeApp(c.fixture), {});
      assert.equal(result.ok, false, 'a broken file must fail the whole app, with no manifests at all');
      assert.equal(result.ok ? '' : formatLocatedError(result.error), c.error);
    });
  }

  const missing = [
    {
      path: 'no-such-app',
      error: 'no-such-app: app backend path no-such-app does not exist in the repository',
    },
    {
      path: 'plain-multidoc/service.json',
      error:
        'plain-multidoc/service.json: app backend path plain-multidoc/service.json is a file, not a folder',
    },
  ];
  for (const c of missing) {
    it(`explains an app path that is not a folder: ${c.path}`, async () => {
      const result = await renderApp(renderFixtures, makeApp(c.path), {});
      assert.equal(result.ok ? '' : formatLocatedError(result.error), c.error);
    });
  }

  describe('an app at the repository root', () => {
    let repo = '';
    after(() => rm(repo, { recursive: true, force: true }));

    it('does not read driftdeck.yaml as a manifest', async () => {
      repo = await mkdtemp(join(tmpdir(), 'driftdeck-root-app-'));
      await writeFile(join(repo, 'driftdeck.yaml'), 'apps: []\n');
      await mkdir(join(repo, 'base'));
      await writeFile(
        join(repo, 'base', 'cm.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: root}\n',
      );
      assert.deepEqual(summary(await renderApp(repo, makeApp('.'), {})), ['base/cm.yaml:1 ConfigMap/root']);
    });
  });

  describe('a folder that renders nothing', () => {
    let repo = '';
    after(() => rm(repo, { recursive: true, force: true }));
    const write = async (file: string, text = '') => {
      await mkdir(join(repo, file, '..'), { recursive: true });
      await writeFile(join(repo, file), text);
    };
    const rendered = async (path: string, recurse?: boolean) => {
      const result = await renderApp(
        repo,
        makeApp(path, recurse === undefined ? undefined : { type: 'directory', recurse }),
        {},
      );
      return result.ok ? `ok: ${result.manifests.length} objects` : formatLocatedError(result.error);
    };

    it('is an error naming the files it holds that are not read, never an empty app', async () => {
      repo = await mkdtemp(join(tmpdir(), 'driftdeck-empty-render-'));
      await write('jsonnet/main.cue', '{}');
      await write('jsonnet/lib/util.libsonnet', '{}');
      await write('jsonnet/.gitkeep');
      assert.equal(
        await rendered('jsonnet'),
        'jsonnet: renders nothing: jsonnet holds no .yaml, .yml, .json or .jsonnet file in it or its subfolders, only files driftdeck does not read: "jsonnet/lib/util.libsonnet", "jsonnet/main.cue" (.libsonnet files are Jsonnet libraries: imported by .jsonnet files, never rendered on their own)',
      );
      for (let i = 0; i < 7; i++) await write(`many/file-${i}.txt`, 'x');
      assert.match(await rendered('many'), /"many\/file-4\.txt" and 2 more$/);
    });

    it('is an error for a folder with no file at all, and says when subfolders were not read', async () => {
      await write('hollow/.gitkeep');
      assert.equal(
        await rendered('hollow'),
        'hollow: renders nothing: hollow holds no .yaml, .yml, .json or .jsonnet file in it or its subfolders',
      );
      await write('flat/nested/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\n');
      assert.match(
        await rendered('flat', false),
        /^flat: renders nothing: .*recurse is off.*"flat\/nested\/cm\.yaml"/,
      );
    });

    it('renders nothing without complaint when its manifests hold no object: that is written on purpose', async () => {
      await write('emptied/all.yaml', '# every object removed on purpose\n---\n');
      assert.equal(await rendered('emptied'), 'ok: 0 objects');
    });
  });
});
