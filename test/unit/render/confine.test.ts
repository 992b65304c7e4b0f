import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import type { RendererOptions } from '../../../source/engine/types.js';
import { confinePath, renderApp, repoRoot } from '../../../source/render/index.js';
import { makeApp } from './make-app.js';

const chart = (name: string, dependency?: string) =>
  `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n${dependency ? `dependencies:\n  - name: common\n    version: 0.1.0\n    repository: ${dependency}\n` : ''}`;
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

/** A temp folder holding `repo/` and, beside it, `outside/` that no app may read. */
let base = '';
const files: Record<string, string> = {
  'outside/secret.yaml': cm('stolen'),
  'outside/dir/cm.yaml': cm('stolen-dir'),
  'outside/values.yaml': 'password: stolen\n',
  'repo/apps/real-app/cm.yaml': cm('real'),
  'repo/apps/file-link/ok.yaml': cm('ok'),
  'repo/apps/dir-link/ok.yaml': cm('ok'),
  'repo/apps/unread-link/ok.yaml': cm('ok'),
  'repo/apps/cycle/cm.yaml': cm('once'),
  'repo/apps/dangling/ok.yaml': cm('ok'),
  'repo/apps/inner-link/ok.yaml': cm('ok'),
  'repo/shared/shared.yaml': cm('shared'),
  'repo/charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'repo/charts/web/values.yaml': 'a: 1\n',
  'repo/charts/leaky-template/Chart.yaml': 'apiVersion: v2\nname: leaky\nversion: 0.1.0\n',
  'outside/kube/config': 'token: operator-kubeconfig\n',
  'repo/charts/dot-data/Chart.yaml': chart('dot-data'),
  'repo/charts/dot-nested/Chart.yaml': chart('dot-nested'),
  'repo/charts/dot-nested/.x/keep.txt': 'kept\n',
  'repo/charts/umbrella/Chart.yaml': chart('umbrella', 'file://../common-leaky'),
  'repo/charts/common-leaky/Chart.yaml': chart('common'),
  'repo/charts/umbrella-deep/Chart.yaml': chart('umbrella-deep', 'file://../middle'),
  'repo/charts/middle/Chart.yaml': chart('common', 'file://../../../outside/dir'),
  'repo/charts/dot-inside/Chart.yaml': chart('dot-inside'),
  // Helm reads Chart.yaml through yaml.v2 and encoding/json: merge keys apply and field names match in any case.
  'repo/charts/merge-dep/Chart.yaml':
    'apiVersion: v2\nname: m\nversion: 0.1.0\ndependencies:\n  - <<: {name: common, version: 0.1.0, repository: "file://../../../outside/dir"}\n',
  'repo/charts/folded-dep/Chart.yaml':
    'apiVersion: v2\nname: f\nversion: 0.1.0\nDependencies:\n  - name: common\n    version: 0.1.0\n    Repository: file://../../../outside/dir\n',
};
/** link path -> target, both as written (targets relative to the link's folder, or absolute). */
const links: Record<string, string> = {
  'repo/apps/outside-app': '../../outside',
  'repo/apps/inside-app': 'real-app',
  'repo/apps/file-link/leak.yaml': '../../../outside/secret.yaml',
  'repo/apps/dir-link/sub': '../../../outside/dir',
  'repo/apps/unread-link/NOTES.txt': '../../../outside/secret.yaml',
  'repo/apps/cycle/loop': '.',
  'repo/apps/dangling/gone.yaml': '../nowhere.yaml',
  'repo/apps/inner-link/shared.yaml': '../../shared/shared.yaml',
  'repo/charts/values-link.yaml': '../../outside/values.yaml',
  'repo/charts/leaky-template/templates': '../../../outside/dir',
  'repo/charts/dot-data/.data': '../../../outside/kube',
  'repo/charts/dot-nested/.x/config': '../../../../outside/kube/config',
  'repo/charts/common-leaky/.data': '../../../outside/kube',
  'repo/charts/dot-inside/.shared': '../../shared',
  'repo-link': 'repo',
};

before(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'driftdeck-confine-')));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), text);
  }
  for (const [path, target] of Object.entries(links)) await symlink(target, join(base, path));
});
after(() => rm(base, { recursive: true, force: true }));

describe('renderApp keeps to the repository', () => {
  const refused: Array<{ name: string; path: string; renderer?: RendererOptions; error: () => string }> = [
    {
      name: 'an absolute app path',
      path: '/etc',
      error: () => 'refusing app backend path "/etc": expected a relative path, got the absolute path "/etc"',
    },
    {
      name: 'an app path escaping with ..',
      path: 'apps/../../outside',
      error: () =>
        'refusing app backend path "apps/../../outside": expected a path inside the repository, got "apps/../../outside" which leaves it',
    },
    {
      name: 'an app folder that is a symlink to outside',
      path: 'apps/outside-app',
      error: () =>
        `apps/outside-app: refusing app backend path apps/outside-app: it is a symlink to "../../outside", which leads out of the repository`,
    },
    {
      name: 'a manifest file symlinked to outside',
      path: 'apps/file-link',
      error: () =>
        `apps/file-link/leak.yaml: refusing symlink apps/file-link/leak.yaml: it is a symlink to "../../../outside/secret.yaml", which leads out of the repository`,
    },
    {
      name: 'a sub-folder symlinked to outside',
      path: 'apps/dir-link',
      error: () =>
        `apps/dir-link/sub: refusing symlink apps/dir-link/sub: it is a symlink to "../../../outside/dir", which leads out of the repository`,
    },
    {
      name: 'a manifest symlink with no target',
      path: 'apps/dangling',
      error: () =>
        'apps/dangling/gone.yaml: symlink apps/dangling/gone.yaml is a symlink whose target does not exist',
    },
    {
      name: 'a values file symlinked to outside',
      path: 'charts/web',
      renderer: { type: 'helm', helm: { valueFiles: ['values.yaml', '../values-link.yaml'] } },
      error: () =>
        `charts/values-link.yaml: refusing values file of app backend charts/values-link.yaml: it is a symlink to "../../outside/values.yaml", which leads out of the repository`,
    },
    {
      name: 'a values file escaping with ..',
      path: 'charts/web',
      renderer: { type: 'helm', helm: { valueFiles: ['../../../outside/values.yaml'] } },
      error: () =>
        'refusing values file of app backend "../../../outside/values.yaml": expected a path inside the repository, got "../../../outside/values.yaml" which leaves it',
    },
    {
      name: 'an absolute values file',
      path: 'charts/web',
      renderer: { type: 'helm', helm: { valueFiles: ['/etc/driftdeck/values.yaml'] } },
      error: () =>
        'refusing values file of app backend "/etc/driftdeck/values.yaml": expected a relative path, got the absolute path "/etc/driftdeck/values.yaml"',
    },
    {
      name: 'a chart folder holding a symlink to outside (helm would follow it)',
      path: 'charts/leaky-template',
      error: () =>
        `charts/leaky-template/templates: refusing symlink charts/leaky-template/templates: it is a symlink to "../../../outside/dir", which leads out of the repository`,
    },
    {
      name: 'a chart dot-folder that is a symlink to outside (.Files.Get ".data/config" would read it)',
      path: 'charts/dot-data',
      error: () =>
        'charts/dot-data/.data: refusing symlink charts/dot-data/.data: it is a symlink to "../../../outside/kube", which leads out of the repository',
    },
    {
      name: 'a symlink to outside inside a chart dot-folder',
      path: 'charts/dot-nested',
      error: () =>
        'charts/dot-nested/.x/config: refusing symlink charts/dot-nested/.x/config: it is a symlink to "../../../../outside/kube/config", which leads out of the repository',
    },
    {
      name: 'a file:// dependency whose chart holds a dot-folder symlink to outside',
      path: 'charts/umbrella',
      error: () =>
        'charts/common-leaky/.data: refusing symlink charts/common-leaky/.data: it is a symlink to "../../../outside/kube", which leads out of the repository',
    },
    {
      name: "a file:// dependency's own file:// dependency leading out",
      path: 'charts/umbrella-deep',
      error: () =>
        'refusing chart dependency "common" of charts/middle/Chart.yaml "../../../outside/dir": expected a path inside the repository, got "../../../outside/dir" which leaves it',
    },
    {
      name: 'a file:// dependency brought in by a merge key',
      path: 'charts/merge-dep',
      error: () =>
        'refusing chart dependency "common" of charts/merge-dep/Chart.yaml "../../../outside/dir": expected a path inside the repository, got "../../../outside/dir" which leaves it',
    },
    {
      name: 'a file:// dependency under capitalised field names',
      path: 'charts/folded-dep',
      error: () =>
        'refusing chart dependency "common" of charts/folded-dep/Chart.yaml "../../../outside/dir": expected a path inside the repository, got "../../../outside/dir" which leaves it',
    },
    {
      name: 'an app path going through a symlink to outside, naming the link',
      path: 'apps/outside-app/dir',
      error: () =>
        'apps/outside-app/dir: refusing app backend path apps/outside-app/dir: apps/outside-app is a symlink to "../../outside", which leads out of the repository',
    },
  ];
  for (const c of refused) {
    it(`refuses ${c.name}, naming the path`, async () => {
      // No tools: confinement must be decided before any tool would run.
      const result = await renderApp(join(base, 'repo'), makeApp(c.path, c.renderer), {});
      assert.equal(result.ok, false);
      const message = result.ok ? '' : formatLocatedError(result.error);
      assert.equal(message, c.error());
      assert.ok(!message.includes(base), 'where a link leads on this machine is never printed');
    });
  }

  it('lets a chart keep a dot-folder linked inside the repository (helm is what is missing then)', async () => {
    const result = await renderApp(join(base, 'repo'), makeApp('charts/dot-inside'), {});
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error.message, /no helm binary was found/);
  });

  const allowed: Array<{
    name: string;
    repo?: string;
    path: string;
    renderer?: RendererOptions;
    manifests: string[];
  }> = [
    {
      name: 'an app folder symlinked inside the repo',
      path: 'apps/inside-app',
      manifests: ['apps/real-app/cm.yaml real'],
    },
    {
      name: 'a manifest symlinked to another folder of the repo',
      path: 'apps/inner-link',
      manifests: ['apps/inner-link/ok.yaml ok', 'shared/shared.yaml shared'],
    },
    {
      name: 'a symlink to outside that is never read (not a manifest)',
      path: 'apps/unread-link',
      manifests: ['apps/unread-link/ok.yaml ok'],
    },
    {
      name: 'a sub-folder link to outside when recurse is false',
      path: 'apps/dir-link',
      renderer: { type: 'directory', recurse: false },
      manifests: ['apps/dir-link/ok.yaml ok'],
    },
    {
      name: 'a symlink cycle (each folder read once)',
      path: 'apps/cycle',
      manifests: ['apps/cycle/cm.yaml once'],
    },
    {
      name: 'a checkout reached through a symlink',
      repo: 'repo-link',
      path: 'apps/real-app',
      manifests: ['apps/real-app/cm.yaml real'],
    },
  ];
  for (const c of allowed) {
    it(`allows ${c.name}`, async () => {
      const result = await renderApp(join(base, c.repo ?? 'repo'), makeApp(c.path, c.renderer), {});
      assert.ok(result.ok, result.ok ? '' : formatLocatedError(result.error));
      assert.deepEqual(
        result.manifests.map((m) => `${m.source.file} ${m.object.metadata.name}`),
        c.manifests,
      );
    });
  }
});

describe('confinePath', () => {
  const cases: Array<{ raw: string; base?: string; rel: string }> = [
    { raw: 'apps/inside-app/', rel: 'apps/real-app' },
    { raw: '.', rel: '.' },
    { raw: 'values.yaml', base: 'charts/web', rel: 'charts/web/values.yaml' },
    { raw: '../web/./values.yaml', base: 'charts/web', rel: 'charts/web/values.yaml' },
  ];
  for (const c of cases) {
    it(`resolves ${c.raw} from ${c.base ?? 'the root'} to its real path inside the repository`, async () => {
      const root = await repoRoot(join(base, 'repo-link'));
      assert.deepEqual(await confinePath(root, c.raw, 'path', c.base), {
        abs: c.rel === '.' ? join(base, 'repo') : join(base, 'repo', c.rel),
        rel: c.rel,
      });
    });
  }
});
