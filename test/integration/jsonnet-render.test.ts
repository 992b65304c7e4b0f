// Jsonnet apps through the built CLI on the real cluster, evaluated by the real driftdeck-jsonnet (found on PATH or
// in the tools cache, as DRIFTDECK_TOOLS_BIN names it): an app with a library folder (libs), top-level arguments and
// an external variable renders and syncs; imports that would read outside the repository (an absolute path,
// `../..`, a symlink out) are refused naming the importing file, its line and the import; a syntax error names its
// file and line. Further ways out are tried against the tool directly with renderApp.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { formatLocatedError } from '../../source/config/index.js';
import type { AppSpec } from '../../source/engine/types.js';
import { renderApp } from '../../source/render/index.js';
import { driftdeck } from '../support/cli.js';
import { createNamespace, kubeConfig, uniqueName } from '../support/cluster.js';
import { makeRepo, type TestRepo } from '../support/repo.js';

function jsonnetBin(): string {
  const dir = process.env.DRIFTDECK_TOOLS_BIN;
  if (!dir)
    throw new Error('DRIFTDECK_TOOLS_BIN is not set: it must name the folder holding driftdeck-jsonnet');
  const bin = join(dir, 'driftdeck-jsonnet');
  accessSync(bin, constants.X_OK);
  return bin;
}

const web = uniqueName('i12-jsonnet-web');
const absolute = uniqueName('i12-jsonnet-abs');
const dotdot = uniqueName('i12-jsonnet-dotdot');
const link = uniqueName('i12-jsonnet-link');
const broken = uniqueName('i12-jsonnet-broken');
let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;

const appsYaml = (namespace: string) => `apps:
  - name: ${web}
    path: apps/web
    namespace: ${namespace}
    renderer:
      jsonnet:
        tlas:
          - { name: env, value: prod }
          - { name: replicas, value: "1 + 2", code: true }
        extVars:
          - { name: team, value: payments }
          - { name: appns, value: $ARGOCD_APP_NAMESPACE }
        libs: [vendor]
  - { name: ${absolute}, path: escape/absolute, namespace: ${namespace} }
  - { name: ${dotdot}, path: escape/dotdot, namespace: ${namespace} }
  - { name: ${link}, path: escape/link, namespace: ${namespace} }
  - { name: ${broken}, path: broken, namespace: ${namespace} }
`;

interface AppStatus {
  name: string;
  sync: string;
  health: { status: string };
  error?: { file?: string; line?: number; message: string };
}

async function statuses(): Promise<AppStatus[]> {
  const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  assert.notEqual(status.code, 0, 'apps in error: no success');
  return JSON.parse(status.stdout) as AppStatus[];
}

describe('a Jsonnet app through the built CLI', () => {
  before(async () => {
    jsonnetBin();
    ns = await createNamespace('i12-jsonnet');
    repo = await makeRepo({
      'driftdeck.yaml': appsYaml(ns.name),
      // Found through libs (relative to the repository root), with a file of its own read by importstr.
      'vendor/kube/kube.libsonnet': `{
    configMap(name, data):: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name }, data: data },
    banner:: importstr 'banner.txt',
  }
  `,
      'vendor/kube/banner.txt': 'made by jsonnet',
      // Found beside the file (the app folder is the first library path).
      'apps/web/naming.libsonnet': "{ name(part):: 'web-' + part }\n",
      'apps/web/main.jsonnet': `local kube = import 'kube/kube.libsonnet';
  local naming = import 'naming.libsonnet';
  function(env, replicas) [
    kube.configMap(naming.name('settings'), { env: env, replicas: std.toString(replicas), team: std.extVar('team'), appns: std.extVar('appns') }),
    kube.configMap(naming.name('banner'), { text: kube.banner }),
  ]
  `,
      'apps/web/extra/single.jsonnet': `function(env, replicas) {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-single' }, data: { env: env },
  }
  `,
      'escape/absolute/main.jsonnet': `// reads a file of the machine driftdeck runs on
  local passwd = importstr '/etc/passwd';
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stolen' }, data: { passwd: passwd } }
  `,
      'escape/dotdot/main.jsonnet': `{
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stolen' },
    data: { x: importstr '../../../../../outside.txt' },
  }
  `,
      'escape/link/main.jsonnet': `local secret = import 'secret.libsonnet';
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stolen' }, data: { x: std.toString(secret) } }
  `,
      'broken/main.jsonnet': `{
    apiVersion: 'v1',
    kind: 'ConfigMap',,
  }
  `,
    });
    // A symlink committed in the repository, pointing at a file of the machine.
    await symlink('/etc/hostname', join(repo.workdir, 'escape/link/secret.libsonnet'));
    await repo.commit({}, 'A library that is a symlink out of the repository');
  });
  after(async () => {
    await ns?.remove();
    await repo?.cleanup();
  });

  it('renders with its library, top-level arguments (string and code) and external variables, and syncs', async () => {
    const diff = await driftdeck(['diff', web, '--repo', repo.remote]);
    assert.equal(diff.code, 1, diff.stdout + diff.stderr);
    for (const name of ['web-settings', 'web-banner', 'web-single'])
      assert.match(diff.stdout, new RegExp(name));

    const sync = await driftdeck(['sync', web, '--repo', repo.remote]);
    assert.equal(sync.code, 0, sync.stdout + sync.stderr);
    const core = kubeConfig().makeApiClient(CoreV1Api);
    const settings = await core.readNamespacedConfigMap({ name: 'web-settings', namespace: ns.name });
    assert.deepEqual(settings.data, { env: 'prod', replicas: '3', team: 'payments', appns: ns.name });
    const banner = await core.readNamespacedConfigMap({ name: 'web-banner', namespace: ns.name });
    assert.deepEqual(banner.data, { text: 'made by jsonnet' });
    const single = await core.readNamespacedConfigMap({ name: 'web-single', namespace: ns.name });
    assert.deepEqual(single.data, { env: 'prod' });

    const app = (await statuses()).find((a) => a.name === web);
    assert.equal(app?.sync, 'Synced', JSON.stringify(app));
    assert.equal(app?.health.status, 'Healthy', JSON.stringify(app));
    assert.equal(app?.error, undefined);
  });

  const refusals = [
    {
      name: () => absolute,
      at: 'escape/absolute/main.jsonnet:2',
      message:
        /refusing import "\/etc\/passwd" in escape\/absolute\/main\.jsonnet: it names a path outside the repository/,
    },
    {
      name: () => dotdot,
      at: 'escape/dotdot/main.jsonnet:3',
      message:
        /refusing import "\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/outside\.txt" in escape\/dotdot\/main\.jsonnet: it names a path outside the repository/,
    },
    {
      name: () => link,
      at: 'escape/link/main.jsonnet:1',
      message:
        /refusing import "secret\.libsonnet" in escape\/link\/main\.jsonnet: it leads out of the repository through a symlink/,
    },
  ];
  for (const r of refusals) {
    it(`refuses an import leading out (${r.at}) in status, diff and sync, naming the file, line and import`, async () => {
      const app = (await statuses()).find((a) => a.name === r.name());
      assert.ok(app?.error, JSON.stringify(app));
      assert.notEqual(app.sync, 'Synced');
      assert.equal(`${app.error.file}:${app.error.line}`, r.at, JSON.stringify(app.error));
      assert.match(app.error.message, r.message);
      assert.doesNotMatch(
        JSON.stringify(app.error),
        /root:x:0:0|\/root\/\.cache/,
        'nothing of the machine shown',
      );

      const diff = await driftdeck(['diff', r.name(), '--repo', repo.remote]);
      assert.equal(diff.code, 2, diff.stdout + diff.stderr);
      assert.match(diff.stdout + diff.stderr, r.message);
      const sync = await driftdeck(['sync', r.name(), '--repo', repo.remote]);
      assert.notEqual(sync.code, 0);
      assert.match(sync.stdout + sync.stderr, r.message);
    });
  }

  it('names the file and line of a syntax error', async () => {
    const app = (await statuses()).find((a) => a.name === broken);
    assert.ok(app?.error, JSON.stringify(app));
    assert.equal(`${app.error.file}:${app.error.line}`, 'broken/main.jsonnet:3');
    const diff = await driftdeck(['diff', broken, '--repo', repo.remote]);
    assert.equal(diff.code, 2);
    assert.match(diff.stdout + diff.stderr, /broken\/main\.jsonnet:3:\d+.*Unexpected/s);
  });

  it('lists driftdeck-jsonnet among the tools', async () => {
    const tools = await driftdeck(['cluster', 'tools', '-o', 'json'], 600_000, { testCluster: false });
    assert.equal(tools.code, 0, tools.stderr);
    const listed = JSON.parse(tools.stdout) as { jsonnet?: string };
    assert.match(listed.jsonnet ?? '', /\/driftdeck-jsonnet$/);
    accessSync(listed.jsonnet ?? '', constants.X_OK);
  });
});

describe('driftdeck-jsonnet refuses every way out, whatever import form or path it takes', () => {
  let dir: TestRepo;
  const app = (path: string, jsonnet?: AppSpec['renderer']['jsonnet']): AppSpec => ({
    name: 'ways-out',
    path,
    namespace: 'default',
    renderer: { type: 'directory', ...(jsonnet ? { jsonnet } : {}) },
    sync: { auto: false, prune: false, selfHeal: false },
    ignore: [],
  });
  const render = async (a: AppSpec) => {
    const result = await renderApp(dir.workdir, a, { jsonnet: jsonnetBin() });
    return result.ok ? `ok: ${result.manifests.length}` : formatLocatedError(result.error);
  };
  const write = async (file: string, text: string) => {
    await mkdir(join(dir.workdir, file, '..'), { recursive: true });
    await writeFile(join(dir.workdir, file), text);
  };
  const cm = "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { x: std.toString(X) } }";

  before(async () => {
    dir = await makeRepo({ 'README.md': 'ways out\n' });
    await write('importbin/main.jsonnet', cm.replace('X', "importbin '/etc/hostname'"));
    await write('device/main.jsonnet', cm.replace('X', "importstr '/dev/zero'"));
    await mkdir(join(dir.workdir, 'libs'), { recursive: true });
    await symlink('/etc', join(dir.workdir, 'libs/etc'));
    await write('vialib/main.jsonnet', cm.replace('X', "importstr 'etc/hostname'"));
    await write('tla/main.jsonnet', 'function(x) x');
    await write('inside/data.txt', 'fine');
    await write('inside/main.jsonnet', cm.replace('X', `importstr '${dir.workdir}/inside/data.txt'`));
  });
  after(async () => {
    await dir?.cleanup();
  });

  it('importbin of an absolute path', async () => {
    assert.match(
      await render(app('importbin')),
      /^importbin\/main\.jsonnet:1:\d+: .*refusing import "\/etc\/hostname"/,
    );
  });
  it('a device file (never read, so never a hang)', async () => {
    assert.match(await render(app('device')), /refusing import "\/dev\/zero" in device\/main\.jsonnet/);
  });
  it('a library found through a symlinked folder inside a library path', async () => {
    assert.match(
      await render(app('vialib', { tlas: [], extVars: [], libs: ['libs'] })),
      /refusing import "etc\/hostname" in vialib\/main\.jsonnet: it leads out of the repository through a symlink/,
    );
  });
  it('an import in a top-level argument given as code', async () => {
    const tlas = [{ name: 'x', value: "importstr '/etc/hostname'", code: true }];
    assert.match(
      await render(app('tla', { tlas, extVars: [], libs: [] })),
      /refusing import "\/etc\/hostname" in .*: it names a path outside the repository/,
    );
  });
  it('stops an evaluation that takes memory without end, saying so', async () => {
    await write(
      'bomb/main.jsonnet',
      "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: std.repeat('x', 1e9) } }",
    );
    const request = { files: ['bomb/main.jsonnet'], libs: ['bomb'], tlas: [], extVars: [], maxHeapMiB: 64 };
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(jsonnetBin(), [], { cwd: dir.workdir, timeout: 60_000 }, (err, _out, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
      );
      child.stdin?.end(JSON.stringify(request));
    });
    assert.deepEqual(outcome, {
      code: 3,
      stderr: 'evaluation stopped: it used more than 64 MiB of memory\n',
    });
  });
  it('but an absolute path inside the repository is read', async () => {
    assert.equal(await render(app('inside')), 'ok: 1');
  });
});
