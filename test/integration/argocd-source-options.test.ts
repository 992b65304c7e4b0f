// Argo CD Applications with source.kustomize options and directory include/exclude, discovered from a real Git
// repository (no driftdeck.yaml) and diffed and synced through the built CLI on the real cluster: the objects carry
// the prefix, suffix, namespace, images, replicas, labels, annotations, patches and components the Application
// names (built by the real kustomize), and the files include/exclude leave out never reach the cluster.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { driftdeck } from '../support/cli.js';
import { createNamespace, kubeConfig, uniqueName } from '../support/cluster.js';
import { configMap, deployment, makeRepo, type TestRepo } from '../support/repo.js';

interface AppJson {
  name: string;
  sync: string;
  health: { status: string };
  error?: { file?: string; line?: number; message: string };
}
const core = () => kubeConfig().makeApiClient(CoreV1Api);
const apps = () => kubeConfig().makeApiClient(AppsV1Api);
const statusJson = async (remote: string) => {
  const r = await driftdeck(['status', '--repo', remote, '-o', 'json']);
  return { ...r, apps: JSON.parse(r.stdout || '[]') as AppJson[] };
};
const missing = (read: Promise<unknown>) =>
  read.then(
    () => false,
    (err: { code?: number }) => err.code === 404,
  );

describe('Argo CD source options on the real cluster', () => {
  let ns: Awaited<ReturnType<typeof createNamespace>>;
  let target: Awaited<ReturnType<typeof createNamespace>>;
  let repo: TestRepo;
  const kust = uniqueName('i12-kopts');
  const plain = uniqueName('i12-dirglob');
  const application = (name: string, path: string, namespace: string, extra: string, remote: string) =>
    `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${remote}
    path: ${path}
    targetRevision: HEAD
${extra}  destination:
    server: https://kubernetes.default.svc
    namespace: ${namespace}
`;

  before(async () => {
    ns = await createNamespace('i12-srcopts');
    target = await createNamespace('i12-srcopts-k');
    repo = await makeRepo({ 'README.md': 'deployments\n' });
    const kustomizeOptions = `    kustomize:
      namePrefix: prod-
      nameSuffix: -eu
      namespace: ${target.name}
      images: [web=registry.example.test/shop/web:v2]
      replicas: [{name: web, count: 2}]
      commonLabels: {team: shop}
      commonAnnotations: {example.test/owner: "shop team"}
      patches:
        - target: {kind: ConfigMap, name: settings}
          patch: |-
            - op: add
              path: /data/patched
              value: by-the-application
      components: [../components/extra]
`;
    const directoryOptions = `    directory:
      recurse: true
      include: "*.yaml"
      exclude: "{config.json,skip/*}"
`;
    await repo.commit(
      {
        'apps/kust.yaml': application(kust, 'deploy/kust', ns.name, kustomizeOptions, repo.remote),
        'apps/plain.yaml': application(plain, 'deploy/plain', ns.name, directoryOptions, repo.remote),
        'deploy/base/kustomization.yaml': 'resources: [deployment.yaml, settings.yaml]\n',
        'deploy/base/deployment.yaml': deployment('web', 'web:1.0', 1),
        'deploy/base/settings.yaml': configMap('settings', { colour: 'blue' }),
        // The Application's namePrefix replaces this one, as `kustomize edit set nameprefix` does in Argo CD.
        'deploy/kust/kustomization.yaml':
          'resources: [../base]\nnamePrefix: old-\ncommonLabels: {tier: front}\n',
        'deploy/components/extra/kustomization.yaml':
          'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [extra.yaml]\n',
        'deploy/components/extra/extra.yaml': configMap('extra', { from: 'component' }),
        'deploy/plain/kept.yaml': configMap(`${plain}-kept`, { where: 'top' }),
        'deploy/plain/nested/deep.yaml': configMap(`${plain}-deep`, { where: 'nested' }),
        'deploy/plain/skip/skipped.yaml': configMap(`${plain}-skipped`, { where: 'excluded folder' }),
        'deploy/plain/other.yml': configMap(`${plain}-yml`, { where: 'not included' }),
        'deploy/plain/config.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }),
      },
      'Apps for Argo CD with source options',
    );
  });
  after(async () => {
    await ns?.remove();
    await target?.remove();
    await repo?.cleanup();
  });

  test('both apps are listed as run, not Unmanaged, and the diff shows the objects the options make', async () => {
    const status = await statusJson(repo.remote);
    assert.equal(status.code, 1, status.stdout + status.stderr);
    const byName = Object.fromEntries(status.apps.map((a) => [a.name, a]));
    for (const name of [kust, plain]) {
      assert.equal(byName[name]?.sync, 'OutOfSync', JSON.stringify(byName[name]));
      assert.equal(byName[name]?.error, undefined);
    }
    const diff = await driftdeck(['diff', kust, '--repo', repo.remote]);
    assert.equal(diff.code, 1, diff.stdout + diff.stderr);
    for (const name of ['Deployment/prod-web-eu', 'ConfigMap/prod-settings-eu', 'ConfigMap/prod-extra-eu'])
      assert.match(diff.stdout, new RegExp(`^# ${name} `, 'm'), diff.stdout);
    assert.doesNotMatch(diff.stdout, /old-/);
    const plainDiff = await driftdeck(['diff', plain, '--repo', repo.remote]);
    assert.match(plainDiff.stdout, new RegExp(`^# ConfigMap/${plain}-kept `, 'm'), plainDiff.stdout);
    assert.match(plainDiff.stdout, new RegExp(`^# ConfigMap/${plain}-deep `, 'm'));
    assert.doesNotMatch(plainDiff.stdout, /-skipped|-yml/);
  });

  test('sync applies what kustomize built with the options, and only the files include and exclude keep', async () => {
    for (const name of [kust, plain]) {
      const s = await driftdeck(['sync', name, '--repo', repo.remote]);
      assert.equal(s.code, 0, s.stdout + s.stderr);
    }
    const web = await apps().readNamespacedDeployment({ name: 'prod-web-eu', namespace: target.name });
    assert.equal(web.spec?.replicas, 2);
    assert.equal(web.spec?.template.spec?.containers[0]?.image, 'registry.example.test/shop/web:v2');
    assert.equal(web.metadata?.labels?.team, 'shop');
    assert.equal(web.metadata?.labels?.tier, 'front');
    assert.equal(web.spec?.selector.matchLabels?.team, 'shop');
    assert.equal(web.metadata?.annotations?.['example.test/owner'], 'shop team');
    const settings = await core().readNamespacedConfigMap({
      name: 'prod-settings-eu',
      namespace: target.name,
    });
    assert.deepEqual(settings.data, { colour: 'blue', patched: 'by-the-application' });
    const extra = await core().readNamespacedConfigMap({ name: 'prod-extra-eu', namespace: target.name });
    assert.equal(extra.data?.from, 'component');
    assert.ok(await missing(core().readNamespacedConfigMap({ name: 'old-settings', namespace: ns.name })));

    for (const name of [`${plain}-kept`, `${plain}-deep`])
      assert.ok((await core().readNamespacedConfigMap({ name, namespace: ns.name })).data?.where);
    for (const name of [`${plain}-skipped`, `${plain}-yml`])
      assert.ok(await missing(core().readNamespacedConfigMap({ name, namespace: ns.name })), name);

    const after = await statusJson(repo.remote);
    assert.equal(after.code, 0, after.stdout + after.stderr);
    assert.deepEqual(
      after.apps.map((a) => [a.name, a.sync]).sort(),
      [
        [kust, 'Synced'],
        [plain, 'Synced'],
      ].sort(),
    );
  });

  test('an Application option that changes makes the app OutOfSync, and its sync rolls it out', async () => {
    const text = application(
      kust,
      'deploy/kust',
      ns.name,
      `    kustomize:
      namePrefix: prod-
      nameSuffix: -eu
      namespace: ${target.name}
      images: [web=registry.example.test/shop/web:v3]
      replicas: [{name: web, count: 2}]
      commonLabels: {team: shop}
      commonAnnotations: {example.test/owner: "shop team"}
      patches:
        - target: {kind: ConfigMap, name: settings}
          patch: |-
            - op: add
              path: /data/patched
              value: by-the-application
      components: [../components/extra]
`,
      repo.remote,
    );
    await repo.commit({ 'apps/kust.yaml': text }, 'web v3');
    const status = await statusJson(repo.remote);
    assert.equal(status.apps.find((a) => a.name === kust)?.sync, 'OutOfSync', status.stdout);
    const s = await driftdeck(['sync', kust, '--repo', repo.remote]);
    assert.equal(s.code, 0, s.stdout + s.stderr);
    const web = await apps().readNamespacedDeployment({ name: 'prod-web-eu', namespace: target.name });
    assert.equal(web.spec?.template.spec?.containers[0]?.image, 'registry.example.test/shop/web:v3');
  });
});
