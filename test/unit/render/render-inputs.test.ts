// What a plain folder's render read, and which changed paths touch it: a revision changing none of it keeps the
// app's render (loop/render-revision.ts), so a path it read and is not named here is a render left stale.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { folderInputs, touchesInputs } from '../../../source/engine/render-inputs.js';
import { renderApp } from '../../../source/render/index.js';
import { makeApp } from './make-app.js';

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('the inputs of a plain folder', () => {
  const roots: string[] = [];
  after(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

  it('are its folder, the folders its symlinks lead to, and the ancestors of both', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dd-inputs-'));
    roots.push(root);
    await mkdir(join(root, 'apps/web/sub'), { recursive: true });
    await mkdir(join(root, 'shared/config'), { recursive: true });
    await writeFile(join(root, 'apps/web/a.yaml'), CM('a'));
    await writeFile(join(root, 'apps/web/sub/b.yaml'), CM('b'));
    await writeFile(join(root, 'shared/config/c.yaml'), CM('c'));
    await symlink('../../shared/config', join(root, 'apps/web/linked'));
    const result = await renderApp(root, makeApp('apps/web'), {});
    assert.ok(result.ok);
    assert.deepEqual(
      result.manifests.map((m) => m.object.metadata.name),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(result.inputs, ['apps', 'apps/web/', 'shared', 'shared/config/']);
    const inputs = result.inputs ?? [];
    assert.equal(touchesInputs(['shared/config/d.yaml'], inputs), true, 'a file added where a symlink leads');
    assert.equal(touchesInputs(['apps/web/sub/b.yaml'], inputs), true);
    assert.equal(touchesInputs(['apps/web'], inputs), true, 'the folder replaced by a file or symlink');
    assert.equal(touchesInputs(['apps'], inputs), true, 'an ancestor replaced');
    assert.equal(touchesInputs(['apps/webshop/a.yaml', 'shared/other/x.yaml', 'README.md'], inputs), false);
  });

  it('are the whole repository for an app at its root', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dd-inputs-'));
    roots.push(root);
    await writeFile(join(root, 'a.yaml'), CM('a'));
    const result = await renderApp(root, makeApp('.'), {});
    assert.ok(result.ok);
    assert.deepEqual(result.inputs, ['']);
    assert.equal(touchesInputs(['anything/at/all'], result.inputs ?? []), true);
    assert.equal(touchesInputs([], result.inputs ?? []), false);
  });
});

describe('folderInputs', () => {
  it('normalizes the written path and names every ancestor exactly', () => {
    assert.deepEqual(folderInputs('./a/b/c/', ['a/b/c', 'x']), ['a', 'a/b', 'a/b/c/', 'x/']);
  });
});
