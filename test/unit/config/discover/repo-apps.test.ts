// Loading a checkout's app definitions from files: driftdeck.yaml's discover folders, and the bounded scan of a
// repository with no driftdeck.yaml (symlinks not followed, charts of Applications rendered, the notice said).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { folderTooBig, SCAN_LIMITS, scanRepository } from '../../../../source/config/discover/scan.js';
import { parseRepoConfig } from '../../../../source/config/parse-repo-config.js';
import { loadRepoApps } from '../../../../source/config/repo-apps.js';
import type { RenderResult } from '../../../../source/engine/types.js';
import { renderApp } from '../../../../source/render/index.js';

const REPO = '/srv/git/shop.git';
const application = (name: string, path: string, repo = REPO) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  source: {repoURL: ${repo}, path: ${path}, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: ${name}}
`;

const folders: string[] = [];
after(async () => {
  for (const f of folders) await rm(f, { recursive: true, force: true });
});
async function checkout(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'driftdeck-discover-'));
  folders.push(root);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text);
  }
  return root;
}
/** Plain folders through the real renderer; a chart answers with the Applications it would render. */
const renderFolder = async (dir: string, folder: string): Promise<RenderResult> => {
  if (folder === 'apps-chart')
    return {
      ok: true,
      manifests: [
        { object: JSON.parse(JSON.stringify(chartApp)), source: { file: 'apps-chart/Chart.yaml', line: 3 } },
      ],
    };
  return renderApp(
    dir,
    {
      name: 'discover',
      path: folder,
      namespace: 'default',
      renderer: { type: 'auto', recurse: true },
      sync: { auto: false, prune: false, selfHeal: false },
      ignore: [],
    },
    {},
  );
};
const chartApp = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'from-chart' },
  spec: { source: { repoURL: REPO, path: 'deploy/c' }, destination: { namespace: 'c' } },
};
const opts = { repoUrl: REPO, branch: 'main', renderFolder };

describe('loadRepoApps without driftdeck.yaml', () => {
  it('finds Applications in plain files and in a chart of Applications, and says so once in a notice', async () => {
    const dir = await checkout({
      'apps/web.yaml': application('web', 'deploy/web'),
      'apps/infra.yaml': application('infra', 'charts/infra', 'https://git.example.test/other.git'),
      'apps-chart/Chart.yaml': 'apiVersion: v2\nname: apps\nversion: 0.1.0\n',
      'apps-chart/templates/app.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: {{ .Values.name }}}\n',
      'deploy/web/deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n',
      'notes/broken.yaml': 'kind: Application\napiVersion: argoproj.io/v1alpha1\n  bad: [indent\n',
    });
    const result = await loadRepoApps(dir, opts);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(
      result.apps.map((a) => [a.name, a.held?.kind ?? 'run']),
      [
        ['infra', 'unmanaged'],
        ['web', 'run'],
        ['from-chart', 'run'],
      ],
    );
    assert.equal(
      result.notice,
      'no driftdeck.yaml; found 3 Argo CD Applications in apps/, apps-chart/ (1 listed without being run: 1 Unmanaged, 0 in error; see their messages); 1 YAML file(s) skipped (too large, or naming Argo CD or Flux but not valid YAML)',
    );
  });

  it('says where it looked when it finds nothing', async () => {
    const dir = await checkout({
      'deploy/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n',
    });
    const result = await loadRepoApps(dir, opts);
    assert.ok(!result.ok);
    assert.match(
      result.error.message,
      /no driftdeck\.yaml at its root, and no Argo CD Application or Flux Kustomization or HelmRelease was found \(looked at 1 YAML files\)/,
    );
  });

  it('never follows a symlink out of the repository, and stops at its bounds', async () => {
    const outside = await checkout({ 'evil.yaml': application('evil', 'x') });
    const dir = await checkout({
      'apps/a.yaml': application('a', 'deploy/a'),
      'apps/b.yaml': application('b', 'deploy/b'),
    });
    await symlink(outside, join(dir, 'apps', 'link'));
    await symlink(join(outside, 'evil.yaml'), join(dir, 'apps', 'evil.yaml'));
    const all = await scanRepository(dir);
    assert.deepEqual(
      all.objects.map((o) => o.object.metadata.name),
      ['a', 'b'],
    );
    const bounded = await scanRepository(dir, {
      depth: 8,
      entries: 100,
      files: 1,
      fileBytes: 1 << 20,
      totalBytes: 1 << 20,
    });
    assert.deepEqual(
      bounded.objects.map((o) => o.object.metadata.name),
      ['a'],
    );
    assert.match(
      bounded.notes.join(),
      /the scan stopped after 1 YAML files: name the folders in driftdeck\.yaml/,
    );
  });
});

describe('driftdeck.yaml discover', () => {
  it('reads discover folders, confined to the repository, with file and line', () => {
    const ok = parseRepoConfig('discover:\n  - argocd: ./apps/\n  - flux: clusters/prod\n');
    assert.ok(ok.ok);
    assert.deepEqual(ok.config, {
      apps: [],
      discover: [
        { type: 'argocd', path: 'apps', at: 'driftdeck.yaml:2' },
        { type: 'flux', path: 'clusters/prod', at: 'driftdeck.yaml:3' },
      ],
    });
    const bad = parseRepoConfig('apps: []\ndiscover:\n  - argocd: ../other\n  - helm: charts\n');
    assert.ok(!bad.ok);
    assert.deepEqual(
      bad.errors.map((e) => `${e.line} ${e.field}: ${e.message.slice(0, 40)}`),
      [
        '3 discover[0].argocd: expected a path inside the repository, g',
        '4 discover[1].helm: unknown key "helm"; expected one of argo',
      ],
    );
  });

  it('adds the apps of the discover folders to driftdeck.yaml apps, refusing a name in both', async () => {
    const dir = await checkout({
      'driftdeck.yaml':
        'apps:\n  - {name: db, path: deploy/db, namespace: db}\ndiscover:\n  - argocd: apps\n',
      'apps/web.yaml': application('web', 'deploy/web'),
    });
    const result = await loadRepoApps(dir, opts);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(
      result.apps.map((a) => a.name),
      ['db', 'web'],
    );
    assert.equal(result.notice, 'driftdeck.yaml discover: found 1 Argo CD Application in apps/');
    await writeFile(join(dir, 'apps', 'db.yaml'), application('db', 'deploy/db'));
    const twice = await loadRepoApps(dir, opts);
    assert.ok(!twice.ok);
    assert.equal(twice.error.file, 'apps/db.yaml');
    assert.match(
      twice.error.message,
      /^duplicate app name "db": in driftdeck\.yaml's apps and this Application/,
    );
  });

  it('a discover folder over the bounds is refused before it is read, naming where it is written', async () => {
    const files: Record<string, string> = { 'driftdeck.yaml': 'apps: []\ndiscover:\n  - flux: clusters\n' };
    for (let i = 0; i <= SCAN_LIMITS.files; i++) files[`clusters/many/f${i}.yaml`] = 'a: 1\n';
    const dir = await checkout(files);
    const result = await loadRepoApps(dir, opts);
    assert.ok(!result.ok);
    assert.deepEqual([result.error.file, result.error.line], ['driftdeck.yaml', 3]);
    assert.equal(
      result.error.message,
      `discover flux clusters: the folder holds more than ${SCAN_LIMITS.files} YAML files; name a narrower folder`,
    );
    assert.equal(
      await folderTooBig(dir, 'clusters/many', { ...SCAN_LIMITS, files: 10_000, totalBytes: 100 }),
      'more than 100 bytes of YAML',
    );
  });

  it('a discover folder leaving the repository through a symlink is an error naming it', async () => {
    const outside = await checkout({ 'evil.yaml': application('evil', 'x') });
    const dir = await checkout({ 'driftdeck.yaml': 'discover:\n  - argocd: apps\n' });
    await symlink(outside, join(dir, 'apps'));
    const result = await loadRepoApps(dir, opts);
    assert.ok(!result.ok);
    assert.match(result.error.message, /^discover argocd apps \(driftdeck\.yaml:2\): /);
  });
});
