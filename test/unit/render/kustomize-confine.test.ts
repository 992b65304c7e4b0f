import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import { confinePath, renderApp, repoRoot } from '../../../source/render/index.js';
import { confineKustomization } from '../../../source/render/kustomize-confine.js';
import { kustomizeEntryKind } from '../../../source/render/kustomize-remote.js';
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
  'repo/apps/alias/kustomization.yaml': kustomization(
    'metadata:\n  name: &p ../../../outside/dir\nresources: [*p]\n',
  ),
  'repo/apps/merge/kustomization.yaml': kustomization('<<: {resources: [../../../outside/dir]}\n'),
  'repo/apps/merge-after/kustomization.yaml': kustomization(
    'resources: [local.yaml]\n<<: {resources: [../../../outside/dir]}\n',
  ),
  'repo/apps/github-dots/kustomization.yaml': kustomization(
    'resources:\n  - github.com/../../../../outside/dir\n',
  ),
  'repo/apps/https-dots/kustomization.yaml': kustomization(
    'resources:\n  - https://github.com/../../../../../outside/dir\n',
  ),
  'repo/apps/file-url/kustomization.yaml': kustomization('resources:\n  - file:///any/local/repo\n'),
  'repo/apps/file-url-git/kustomization.yaml': kustomization(
    'components:\n  - git::FILE:///any/local/repo//base\n',
  ),
  'repo/apps/folded-key/kustomization.yaml': kustomization('Resources:\n  - ../../../outside/dir\n'),
  'repo/apps/long-s-key/kustomization.yaml': kustomization('re\u017fources:\n  - ../../../outside/dir\n'),
  'repo/apps/generator/kustomization.yaml': kustomization('generators:\n  - ../../../outside/dir\n'),
  'repo/apps/transformer/kustomization.yaml': kustomization('transformers:\n  - ../../../outside/dir\n'),
  'repo/apps/validator/kustomization.yaml': kustomization('validators:\n  - ../../../outside/dir\n'),
  'repo/apps/crd/kustomization.yaml': kustomization('crds:\n  - ../../../outside/dir/cm.yaml\n'),
  'repo/apps/configuration/kustomization.yaml': kustomization(
    'configurations:\n  - ../../../outside/dir/cm.yaml\n',
  ),
  'repo/apps/patch/kustomization.yaml': kustomization('patches:\n  - path: ../../../outside/dir/cm.yaml\n'),
  'repo/apps/patch-sm/kustomization.yaml': kustomization(
    'patchesStrategicMerge:\n  - ../../../outside/dir/cm.yaml\n',
  ),
  'repo/apps/patch-json/kustomization.yaml': kustomization(
    'patchesJson6902:\n  - path: ../../../outside/dir/cm.yaml\n',
  ),
  'repo/apps/replacement/kustomization.yaml': kustomization(
    'replacements:\n  - path: ../../../outside/dir/cm.yaml\n',
  ),
  'repo/apps/openapi/kustomization.yaml': kustomization('openapi:\n  path: ../../../outside/dir/cm.yaml\n'),
  'repo/apps/cm-files/kustomization.yaml': kustomization(
    'configMapGenerator:\n  - name: x\n    files: [config=../../../outside/dir/cm.yaml]\n',
  ),
  'repo/apps/secret-envs/kustomization.yaml': kustomization(
    'secretGenerator:\n  - name: x\n    envs: [../../../outside/dir/cm.yaml]\n',
  ),
  'repo/apps/secret-env/kustomization.yaml': kustomization(
    'secretGenerator:\n  - name: x\n    env: ../../../outside/dir/cm.yaml\n',
  ),
  'repo/apps/helm-values/kustomization.yaml': kustomization(
    'helmCharts:\n  - name: x\n    valuesFile: ../../../outside/dir/cm.yaml\n',
  ),
  'repo/apps/helm-more-values/kustomization.yaml': kustomization(
    'helmCharts:\n  - name: x\n    additionalValuesFiles: [../../../outside/dir/cm.yaml]\n',
  ),
  'repo/apps/helm-home/kustomization.yaml': kustomization(
    'helmGlobals:\n  chartHome: ../../../outside/dir\n',
  ),
  'repo/apps/dot-link/kustomization.yaml': kustomization(
    'configMapGenerator:\n  - name: x\n    files: [.data/config]\n',
  ),
  'repo/apps/file-via-link/kustomization.yaml': kustomization('resources:\n  - data/cm.yaml\n'),
  'repo/apps/ambiguous/kustomization.yaml': kustomization(
    'resources: [local.yaml]\n<<: {resources: [other.yaml]}\n',
  ),
  'repo/apps/two-docs/kustomization.yaml': kustomization(
    'resources: [local.yaml]\n---\nresources: [../../../outside/dir]\n',
  ),
  'repo/apps/aliases-ok/kustomization.yaml': kustomization(
    'configMapGenerator:\n  - &d {name: x, literals: [a=b]}\n  - <<: *d\n    name: y\nresources: [local.yaml]\n',
  ),
  'repo/apps/aliases-ok/local.yaml': cm,
};

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'driftdeck-kustomize-confine-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), text);
  }
  // A folder inside the repository that is a symlink to one outside it.
  await symlink(join(base, 'outside', 'dir'), join(base, 'repo', 'linked-base'));
  // A dot-folder in a kustomization folder linked out (a kubeconfig folder, say), and a plain one.
  await symlink('../../../outside/dir', join(base, 'repo', 'apps', 'dot-link', '.data'));
  await symlink('../../../outside/dir', join(base, 'repo', 'apps', 'file-via-link', 'data'));
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
    assert.match(message, /leads out of the repository/);
  });

  it('refuses an absolute base', async () => {
    assert.match(
      await refusal('absolute'),
      /^apps\/absolute\/kustomization\.yaml:4: refusing bases\[0\] entry "\/etc": an absolute path/,
    );
  });

  it('follows kustomizations into other folders and refuses what they reach outside', async () => {
    assert.match(await refusal('deep'), /^middle\/kustomization\.yaml:4: .*leads out of the repository/);
  });

  it('refuses a folder in the repository that is a symlink leading out of it', async () => {
    assert.match(
      await refusal('via-link'),
      /^apps\/via-link\/kustomization\.yaml:4: refusing resources\[0\] entry "\.\.\/\.\.\/linked-base": it is a symlink to .*, which leads out of the repository/,
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

describe('confineKustomization refuses what kustomize would read outside the repository', () => {
  const outsideDir = '"../../../outside/dir": it leads out of the repository';
  const outsideFile = '"../../../outside/dir/cm.yaml": it leads out of the repository';
  const cases: Array<{ app: string; error: string }> = [
    { app: 'alias', error: `apps/alias/kustomization.yaml:4: refusing resources[0] entry ${outsideDir}` },
    { app: 'merge', error: `apps/merge/kustomization.yaml:3: refusing resources[0] entry ${outsideDir}` },
    {
      app: 'merge-after',
      error:
        'apps/merge-after/kustomization.yaml:4:1: kustomization: the merge key (<<) sets "resources" again after it was set in the same mapping; yaml.v2 (Go) takes the merged value where YAML takes the first, so set it once',
    },
    {
      app: 'github-dots',
      error:
        'apps/github-dots/kustomization.yaml:4: refusing resources[0] entry "github.com/../../../../outside/dir": it leads out of the repository',
    },
    {
      app: 'https-dots',
      error:
        'apps/https-dots/kustomization.yaml:4: refusing resources[0] entry "https://github.com/../../../../../outside/dir": it leads out of the repository',
    },
    {
      app: 'file-url',
      error:
        'apps/file-url/kustomization.yaml:4: refusing resources[0] entry "file:///any/local/repo": a file:// URL makes kustomize clone a Git repository from this machine',
    },
    {
      app: 'file-url-git',
      error:
        'apps/file-url-git/kustomization.yaml:4: refusing components[0] entry "git::FILE:///any/local/repo//base": a file:// URL makes kustomize clone a Git repository from this machine',
    },
    {
      app: 'folded-key',
      error: `apps/folded-key/kustomization.yaml:4: refusing Resources[0] entry ${outsideDir}`,
    },
    {
      app: 'long-s-key',
      error: `apps/long-s-key/kustomization.yaml:4: refusing re\u017fources[0] entry ${outsideDir}`,
    },
    {
      app: 'generator',
      error: `apps/generator/kustomization.yaml:4: refusing generators[0] entry ${outsideDir}`,
    },
    {
      app: 'transformer',
      error: `apps/transformer/kustomization.yaml:4: refusing transformers[0] entry ${outsideDir}`,
    },
    {
      app: 'validator',
      error: `apps/validator/kustomization.yaml:4: refusing validators[0] entry ${outsideDir}`,
    },
    { app: 'crd', error: `apps/crd/kustomization.yaml:4: refusing crds[0] entry ${outsideFile}` },
    {
      app: 'configuration',
      error: `apps/configuration/kustomization.yaml:4: refusing configurations[0] entry ${outsideFile}`,
    },
    { app: 'patch', error: `apps/patch/kustomization.yaml:4: refusing patches[0].path entry ${outsideFile}` },
    {
      app: 'patch-sm',
      error: `apps/patch-sm/kustomization.yaml:4: refusing patchesStrategicMerge[0] entry ${outsideFile}`,
    },
    {
      app: 'patch-json',
      error: `apps/patch-json/kustomization.yaml:4: refusing patchesJson6902[0].path entry ${outsideFile}`,
    },
    {
      app: 'replacement',
      error: `apps/replacement/kustomization.yaml:4: refusing replacements[0].path entry ${outsideFile}`,
    },
    {
      app: 'openapi',
      error: `apps/openapi/kustomization.yaml:4: refusing openapi.path entry ${outsideFile}`,
    },
    {
      app: 'cm-files',
      error: `apps/cm-files/kustomization.yaml:5: refusing configMapGenerator[0].files[0] entry ${outsideFile}`,
    },
    {
      app: 'secret-envs',
      error: `apps/secret-envs/kustomization.yaml:5: refusing secretGenerator[0].envs[0] entry ${outsideFile}`,
    },
    {
      app: 'secret-env',
      error: `apps/secret-env/kustomization.yaml:5: refusing secretGenerator[0].env entry ${outsideFile}`,
    },
    {
      app: 'helm-values',
      error: `apps/helm-values/kustomization.yaml:5: refusing helmCharts[0].valuesFile entry ${outsideFile}`,
    },
    {
      app: 'helm-more-values',
      error: `apps/helm-more-values/kustomization.yaml:5: refusing helmCharts[0].additionalValuesFiles[0] entry ${outsideFile}`,
    },
    {
      app: 'helm-home',
      error: `apps/helm-home/kustomization.yaml:4: refusing helmGlobals.chartHome entry ${outsideDir}`,
    },
    {
      app: 'dot-link',
      error:
        'apps/dot-link/.data: refusing symlink apps/dot-link/.data: it is a symlink to "../../../outside/dir", which leads out of the repository',
    },
    {
      app: 'two-docs',
      error:
        'apps/two-docs/kustomization.yaml:4: kustomization: holds more than one YAML document; only the first is read, so keep one',
    },
    {
      app: 'ambiguous',
      error:
        'apps/ambiguous/kustomization.yaml:4:1: kustomization: the merge key (<<) sets "resources" again after it was set in the same mapping; yaml.v2 (Go) takes the merged value where YAML takes the first, so set it once',
    },
  ];
  for (const c of cases) {
    it(`refuses apps/${c.app}, naming the file, line and entry`, async () => {
      assert.equal(await refusal(c.app), c.error);
    });
  }

  it('names the link when an entry goes through a symlink leading out', async () => {
    assert.equal(
      await refusal('file-via-link'),
      'apps/file-via-link/data: refusing symlink apps/file-via-link/data: it is a symlink to "../../../outside/dir", which leads out of the repository',
    );
  });

  it('lets merge keys and aliases that stay inside through', async () => {
    await check('aliases-ok');
  });
});

describe('kustomizeEntryKind, as kustomize parses a Git URL', () => {
  const cases: Array<[string, ReturnType<typeof kustomizeEntryKind>]> = [
    ['https://github.com/example/shop//base?ref=v1', 'remote'],
    ['http://git.example.com/org/repo//base', 'remote'],
    ['ssh://git@example.com/shop.git', 'remote'],
    ['git@github.com:example/shop.git//base', 'remote'],
    ['git@gitlab.example.com:org/repo', 'remote'],
    ['github.com/example/shop/base', 'remote'],
    ['github.com:example/shop', 'remote'],
    ['file:///any/local/repo', 'local-git'],
    ['FILE:///any/local/repo', 'local-git'],
    ['git::file:///any/local/repo', 'local-git'],
    // Not Git URLs to kustomize: it reads them from the disk, joined to the kustomization's folder.
    ['github.com/../../../outside', 'path'],
    ['https://github.com/../../../outside', 'path'],
    ['https://git.example.com/org/repo/../..', 'path'],
    ['github.com/example', 'path'],
    ['github.com.local/x', 'path'],
    ['gh:org/repo', 'path'],
    ['user@host', 'path'],
    ['../base', 'path'],
    ['overlays/prod', 'path'],
    ['/etc', 'path'],
  ];
  for (const [entry, kind] of cases)
    it(`reads ${entry} as ${kind}`, () => assert.equal(kustomizeEntryKind(entry), kind));
});
