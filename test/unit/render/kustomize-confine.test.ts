import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import { confinePath, renderApp, repoRoot } from '../../../source/render/index.js';
import { confineKustomization, isRemoteReference } from '../../../source/render/kustomize-confine.js';
import { RenderFailure } from '../../../source/render/render-failure.js';
import { makeApp } from './make-app.js';

const kustomization = (lines: string) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${lines}`;
const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

let base = '';
let root = '';
const files: Record<string, string> = {
  'outside/dir/kustomization.yaml': kustomization('resources:\n  - cm.yaml\n'),
  'outside/dir/cm.yaml': cm,
  'repo/base/kustomization.yaml': kustomization('resources:\n  - cm.yaml\n'),
  'repo/base/cm.yaml': cm,
  'repo/apps/ok/kustomization.yaml': kustomization('resources:\n  - ../../base\n  - ./local.yaml\n'),
  'repo/apps/ok/local.yaml': cm,
  'repo/apps/escape/kustomization.yaml': kustomization(
    'resources:\n  - local.yaml\n  - ../../../outside/dir\n',
  ),
  'repo/apps/escape/local.yaml': cm,
  'repo/apps/absolute/kustomization.yaml': kustomization('bases:\n  - /etc\n'),
  'repo/apps/deep/kustomization.yaml': kustomization('components:\n  - ../../middle\n'),
  'repo/middle/kustomization.yaml': kustomization('resources:\n  - ../../outside/dir\n'),
  'repo/apps/via-link/kustomization.yaml': kustomization('resources:\n  - ../../linked-base\n'),
  'repo/apps/remote/kustomization.yaml': kustomization(
    'resources:\n  - https://github.com/example/shop//base?ref=v1\n  - github.com/example/shop/base\n  - git@github.com:example/shop.git//base\n',
  ),
  'repo/apps/missing/kustomization.yaml': kustomization('resources:\n  - not-there.yaml\n'),
  'repo/apps/cycle/kustomization.yaml': kustomization('resources:\n  - ../cycle-b\n'),
  'repo/apps/cycle-b/kustomization.yaml': kustomization('resources:\n  - ../cycle\n'),
};

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'driftdeck-kustomize-confine-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), text);
  }
  // A folder inside the repository that is a symlink to one outside it.
  await symlink(join(base, 'outside', 'dir'), join(base, 'repo', 'linked-base'));
  root = await repoRoot(join(base, 'repo'));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

async function check(app: string): Promise<void> {
  await confineKustomization(root, await confinePath(root, `apps/${app}`, 'app path'));
}

async function refusal(app: string): Promise<string> {
  try {
    await check(app);
  } catch (err) {
    assert.ok(err instanceof RenderFailure, `a located render failure, got ${err}`);
    return formatLocatedError(err.located);
  }
  assert.fail(`apps/${app} was not refused`);
}

describe('confineKustomization', () => {
  it('lets a kustomization reach folders elsewhere in the repository', async () => {
    await check('ok');
  });

  it('refuses a resource folder outside the repository, naming the file, line and entry', async () => {
    const message = await refusal('escape');
    assert.match(message, /^apps\/escape\/kustomization\.yaml:5: /);
    assert.match(message, /"\.\.\/\.\.\/\.\.\/outside\/dir"/);
    assert.match(message, /leaves it/);
  });

  it('refuses an absolute base', async () => {
    assert.match(
      await refusal('absolute'),
      /^apps\/absolute\/kustomization\.yaml:4: .*absolute path "\/etc"/,
    );
  });

  it('follows kustomizations into other folders and refuses what they reach outside', async () => {
    assert.match(await refusal('deep'), /^middle\/kustomization\.yaml:4: .*leaves it/);
  });

  it('refuses a folder in the repository that is a symlink leading out of it', async () => {
    assert.match(
      await refusal('via-link'),
      /^apps\/via-link\/kustomization\.yaml:4: .*outside the repository/,
    );
  });

  it('leaves remote bases and missing entries to kustomize, and ends on cycles', async () => {
    await check('remote');
    await check('missing');
    await check('cycle');
  });

  it('is checked by renderApp before any tool runs', async () => {
    const result = await renderApp(join(base, 'repo'), makeApp('apps/escape', { type: 'kustomize' }), {});
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.file, 'apps/escape/kustomization.yaml');
  });
});

describe('isRemoteReference', () => {
  for (const entry of [
    'https://github.com/example/shop//base?ref=v1',
    'ssh://git@example.com/shop.git',
    'git@github.com:example/shop.git//base',
    'github.com/example/shop/base',
  ])
    it(`treats ${entry} as remote`, () => assert.equal(isRemoteReference(entry), true));
  for (const entry of ['../base', 'overlays/prod', 'cm.yaml', 'github.com.local/x'])
    it(`treats ${entry} as local`, () => assert.equal(isRemoteReference(entry), false));
});
