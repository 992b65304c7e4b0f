// Putting discovered definitions together: unique names (both files named), app-of-apps parents held, and the
// repository URL spellings that name the same repository.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleApps } from '../../../../source/config/discover/assemble.js';
import { canonicalRepoUrl, sameRepository } from '../../../../source/config/discover/repo-url.js';
import { parseManifests } from '../../../../source/render/manifests.js';

const REPO = '/srv/git/shop.git';
const application = (name: string, path: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  source: {repoURL: ${REPO}, path: ${path}, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: ${name}}
`;
const found = (text: string, file: string) =>
  parseManifests(text, { file }).map((m) => ({ ...m, for: 'argocd' as const }));

describe('assembleApps', () => {
  it('refuses a name given twice, naming both files and lines', () => {
    const result = assembleApps({
      repoUrl: REPO,
      branch: 'main',
      found: [
        ...found(application('web', 'a'), 'apps/web.yaml'),
        ...found(`---\n${application('web', 'b')}`, 'apps/web-copy.yaml'),
      ],
    });
    assert.ok(!result.ok);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]?.file, 'apps/web-copy.yaml');
    assert.equal(result.errors[0]?.line, 2);
    assert.match(
      result.errors[0]?.message ?? '',
      /^duplicate app name "web": Application at apps\/web\.yaml:1 and Application at apps\/web-copy\.yaml:2/,
    );
  });

  it('holds the parent of an app-of-apps (its folder defines the others), naming its children', () => {
    const result = assembleApps({
      repoUrl: REPO,
      branch: 'main',
      found: [
        ...found(application('root', 'apps'), 'bootstrap/root.yaml'),
        ...found(application('web', 'deploy/web'), 'apps/web.yaml'),
        ...found(application('db', 'deploy/db'), 'apps/db.yaml'),
      ],
    });
    assert.ok(result.ok);
    const [root, web, db] = result.apps;
    assert.equal(root?.held?.kind, 'unmanaged');
    assert.match(
      root?.held?.reason.message ?? '',
      /^app of apps: apps defines web, db, listed here as apps; it is not applied itself/,
    );
    assert.equal(web?.held, undefined);
    assert.equal(db?.held, undefined);
  });

  const waved = (name: string, path: string, wave?: string) =>
    application(name, path).replace(
      `  name: ${name}\n`,
      `  name: ${name}\n${wave === undefined ? '' : `  annotations: {argocd.argoproj.io/sync-wave: "${wave}"}\n`}`,
    );

  it('orders sibling Applications by sync wave: each waits for the nearest lower wave of its folder', () => {
    const result = assembleApps({
      repoUrl: REPO,
      branch: 'main',
      found: [
        ...found(waved('web', 'deploy/web', '2'), 'apps/web.yaml'),
        ...found(waved('api', 'deploy/api', '1'), 'apps/api.yaml'),
        ...found(waved('worker', 'deploy/worker', '1'), 'apps/worker.yaml'),
        ...found(waved('crds', 'deploy/crds', '-1'), 'apps/crds.yaml'),
        ...found(waved('plain', 'deploy/plain'), 'apps/plain.yaml'),
        // Another folder is another parent's sync: its waves say nothing about the apps above.
        ...found(waved('other', 'deploy/other', '5'), 'team/other.yaml'),
      ],
    });
    assert.ok(result.ok);
    const by = new Map(result.apps.map((a) => [a.name, a]));
    assert.deepEqual(by.get('crds')?.dependsOn, undefined);
    assert.deepEqual(by.get('plain')?.dependsOn, ['crds'], 'no annotation is wave 0');
    assert.deepEqual(by.get('api')?.dependsOn, ['plain']);
    assert.deepEqual(by.get('worker')?.dependsOn, ['plain']);
    assert.deepEqual(by.get('web')?.dependsOn, ['api', 'worker']);
    assert.equal(by.get('web')?.dependsOnWhy, 'argocd.argoproj.io/sync-wave 2, after wave 1');
    assert.deepEqual(by.get('other')?.dependsOn, undefined);
    // The list follows the waves too: each app after those it waits for.
    const order = result.apps.map((a) => a.name);
    assert.ok(order.indexOf('crds') < order.indexOf('plain'), order.join(' '));
    assert.ok(order.indexOf('plain') < order.indexOf('api'), order.join(' '));
    assert.ok(order.indexOf('worker') < order.indexOf('web'), order.join(' '));
  });

  it('a wave that is not an integer counts as 0, as Argo CD reads it', () => {
    const result = assembleApps({
      repoUrl: REPO,
      branch: 'main',
      found: [
        ...found(waved('a', 'deploy/a', 'soon'), 'apps/a.yaml'),
        ...found(waved('b', 'deploy/b', '0'), 'apps/b.yaml'),
        ...found(waved('c', 'deploy/c', '1'), 'apps/c.yaml'),
      ],
    });
    assert.ok(result.ok);
    const by = new Map(result.apps.map((a) => [a.name, a]));
    assert.deepEqual(by.get('b')?.dependsOn, undefined);
    assert.deepEqual(by.get('c')?.dependsOn, ['a', 'b']);
  });

  it('holds the parent whose chart rendered the Applications', () => {
    const result = assembleApps({
      repoUrl: REPO,
      branch: 'main',
      renderedFolders: ['apps-chart'],
      found: [
        ...found(application('root', 'apps-chart'), 'root.yaml'),
        ...found(application('web', 'deploy/web'), 'apps-chart/Chart.yaml'),
      ],
    });
    assert.ok(result.ok);
    assert.match(result.apps[0]?.held?.reason.message ?? '', /^app of apps: apps-chart defines web/);
    assert.equal(result.apps[1]?.held, undefined);
  });
});

describe('sameRepository', () => {
  const same: Array<[string, string]> = [
    ['https://git.example.test/Shop/deploy.git', 'https://git.example.test/Shop/deploy'],
    ['git@GIT.example.test:Shop/deploy.git', 'https://git.example.test/Shop/deploy/'],
    ['ssh://git@git.example.test:22/Shop/deploy', 'https://user:token@git.example.test/Shop/deploy.git'],
    ['file:///srv/git/shop.git', '/srv/git/shop'],
  ];
  for (const [a, b] of same) it(`${a} is ${b}`, () => assert.ok(sameRepository(a, b)));
  const different: Array<[string, string]> = [
    ['https://git.example.test/shop/deploy', 'https://git.example.test/shop/deploy-other'],
    ['https://git.example.test/shop/deploy', 'https://git.example.test/Shop/deploy'],
    ['', '/srv/git/shop'],
    ['https://other.example.test/shop/deploy', 'https://git.example.test/shop/deploy'],
  ];
  for (const [a, b] of different) it(`${a || '(empty)'} is not ${b}`, () => assert.ok(!sameRepository(a, b)));
  it('a relative local path is read from the working folder', () => {
    assert.equal(canonicalRepoUrl('repo.git', '/home/me'), '/home/me/repo');
  });
});
