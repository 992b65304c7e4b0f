// Rendering with an Application's source options: a plain folder read through Argo CD's include and exclude, and a
// kustomization built from a copy carrying the kustomize options, the checkout left as it was, every path the
// options name confined, and the options part of the render's cache key. A small script stands in for kustomize
// here (it shows the folder it builds and the kustomization there); the real build is in
// test/integration/argocd-source-options.test.ts.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import type { RendererOptions, RenderResult } from '../../../source/engine/types.js';
import { renderApp } from '../../../source/render/index.js';
import { ManifestCache } from '../../../source/render/parse-cache.js';
import { makeApp } from './make-app.js';

const FAKE_KUSTOMIZE = `#!/bin/sh
printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: built\\ndata:\\n  dir: "%s"\\n  kustomization: "%s"\\n' "$2" "$(base64 -w0 "$2/kustomization.yaml")"
`;
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

let repo = '';
let outside = '';
let kustomize = '';
const write = async (rel: string, text: string) => {
  await mkdir(dirname(join(repo, rel)), { recursive: true });
  await writeFile(join(repo, rel), text);
};
const names = (r: RenderResult) => {
  assert.ok(r.ok, r.ok ? '' : formatLocatedError(r.error));
  return r.manifests.map((m) => m.object.metadata?.name).sort();
};

before(async () => {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'driftdeck-source-options-')));
  repo = join(base, 'repo');
  outside = join(base, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'kustomization.yaml'), 'kind: Component\n');
  // Argo CD's example folder for include and exclude.
  await write('plain/config.json', '{"not": "a manifest"}');
  await write('plain/deployment.yaml', cm('deployment'));
  await write('plain/env-use2/configmap.yaml', cm('use2'));
  await write('plain/env-usw2/configmap.yaml', cm('usw2'));
  await write('plain/env-usw2/deep/more.yaml', cm('usw2-deep'));
  await write('kust/base/kustomization.yaml', 'resources: [cm.yaml]\n');
  await write('kust/app/kustomization.yaml', 'resources: [../base]\nnamePrefix: old-\n');
  await write('kust/components/tls/kustomization.yaml', 'kind: Component\n');
  // Reached only through what the Application names: the kustomization itself never names it.
  await symlink(outside, join(repo, 'kust/escape'));
  kustomize = join(base, 'kustomize');
  await writeFile(kustomize, FAKE_KUSTOMIZE);
  await chmod(kustomize, 0o755);
});
after(() => rm(dirname(repo), { recursive: true, force: true }));

describe('a plain folder with include and exclude', () => {
  const render = (renderer: Partial<RendererOptions>) =>
    renderApp(repo, makeApp('plain', { type: 'auto', recurse: true, ...renderer }), {});

  it("keeps what include matches and exclude does not, as Argo CD's example shows", async () => {
    assert.deepEqual(names(await render({ include: '*.yaml', exclude: '{config.json,env-usw2/*}' })), [
      'deployment',
      'use2',
    ]);
  });

  it('matches paths relative to the app path, `*` crossing folders', async () => {
    assert.deepEqual(names(await render({ include: 'env-usw2/*' })), ['usw2', 'usw2-deep']);
    assert.deepEqual(names(await render({ exclude: '{config.json,*/configmap.yaml}' })), [
      'deployment',
      'usw2-deep',
    ]);
    assert.deepEqual(names(await render({ include: '{deployment.yaml,env-use2/configmap.yaml}' })), [
      'deployment',
      'use2',
    ]);
  });

  it('calls a pattern that leaves out every file an error, never an empty app', async () => {
    const r = await render({ include: 'nothing/*' });
    assert.ok(!r.ok);
    assert.match(
      r.error.message,
      /^renders nothing: include "nothing\/\*" leave out all 5 manifest files of plain/,
    );
  });

  it('refuses include on a folder kustomize renders', async () => {
    const r = await renderApp(repo, makeApp('kust/app', { type: 'auto', include: '*.yaml' }), { kustomize });
    assert.ok(!r.ok);
    assert.match(r.error.message, /sets directory include or exclude but kust\/app is rendered by kustomize/);
  });

  it('renders again, not from the cache, when only a pattern changes', async () => {
    const cache = new ManifestCache();
    const opts = { cache, revision: 'a'.repeat(40) };
    const app = (include: string) => makeApp('plain', { type: 'auto', recurse: true, include });
    assert.deepEqual(names(await renderApp(repo, app('deployment.yaml'), {}, opts)), ['deployment']);
    assert.deepEqual(names(await renderApp(repo, app('env-use2/*'), {}, opts)), ['use2']);
    assert.deepEqual(names(await renderApp(repo, app('deployment.yaml'), {}, opts)), ['deployment']);
    assert.equal(cache.renderHits, 1);
  });
});

describe('a kustomization with source.kustomize options', () => {
  const built = async (renderer: Partial<RendererOptions>, revision?: string, cache?: ManifestCache) => {
    const r = await renderApp(
      repo,
      makeApp('kust/app', { type: 'auto', ...renderer }),
      { kustomize },
      { cache, revision },
    );
    assert.ok(r.ok, r.ok ? '' : formatLocatedError(r.error));
    const data = r.manifests[0]?.object.data as { dir: string; kustomization: string };
    return {
      dir: data.dir,
      kustomization: JSON.parse(Buffer.from(data.kustomization, 'base64').toString()),
      source: r.manifests[0]?.source.file,
    };
  };

  it('builds a copy carrying the options and leaves the checkout as it was', async () => {
    const before = await readFile(join(repo, 'kust/app/kustomization.yaml'), 'utf8');
    const b = await built({ kustomize: { namePrefix: 'prod-', components: ['../components/tls'] } });
    assert.ok(!b.dir.startsWith(repo), b.dir);
    assert.ok(b.dir.endsWith('/repo/kust/app'), b.dir);
    assert.deepEqual(b.kustomization, {
      resources: ['../base'],
      namePrefix: 'prod-',
      components: ['../components/tls'],
    });
    assert.equal(b.source, 'kust/app/kustomization.yaml');
    assert.equal(await readFile(join(repo, 'kust/app/kustomization.yaml'), 'utf8'), before);
    const left = (await readdir(tmpdir())).filter((n) => n.startsWith('driftdeck-kustomize-'));
    for (const n of left) assert.ok(!(await readdir(join(tmpdir(), n))).includes('repo'), `${n} left behind`);
  });

  it('leaves out a missing component only when asked to', async () => {
    const b = await built({
      kustomize: { components: ['../components/tls', '../components/gone'], ignoreMissingComponents: true },
    });
    assert.deepEqual(b.kustomization.components, ['../components/tls']);
    const kept = await built({ kustomize: { components: ['../components/gone'] } });
    assert.deepEqual(kept.kustomization.components, ['../components/gone']);
  });

  it('refuses a component or patch the Application names through a symlink leaving the repository', async () => {
    for (const kustomizeOptions of [
      { components: ['../escape'] },
      { patches: [{ path: '../escape/kustomization.yaml' }] },
    ]) {
      const r = await renderApp(repo, makeApp('kust/app', { type: 'auto', kustomize: kustomizeOptions }), {
        kustomize,
      });
      assert.ok(!r.ok, JSON.stringify(kustomizeOptions));
      assert.match(
        r.error.message,
        /^refusing (components\[0\]|patches\[0\]\.path) entry "\.\.\/escape.*": (it|kust\/escape) is a symlink to .*, which leads out of the repository \(with the source\.kustomize options of app backend\)$/,
      );
      assert.ok(!r.error.message.includes('driftdeck-kustomize-'), r.error.message);
    }
  });

  it('keys the cache by the options', async () => {
    const cache = new ManifestCache();
    const revision = 'b'.repeat(40);
    const first = await built({ kustomize: { namePrefix: 'a-' } }, revision, cache);
    const second = await built({ kustomize: { namePrefix: 'b-' } }, revision, cache);
    assert.equal(first.kustomization.namePrefix, 'a-');
    assert.equal(second.kustomization.namePrefix, 'b-');
    await built({ kustomize: { namePrefix: 'a-' } }, revision, cache);
    assert.equal(cache.renderHits, 1);
  });

  it("substitutes Argo CD's build environment in images and labels, and in annotations when asked", async () => {
    const revision = '0123456789abcdef0123456789abcdef01234567';
    const b = await built(
      {
        kustomize: {
          images: ['web=shop/web:$ARGOCD_APP_REVISION_SHORT'],
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Argo CD's ${NAME} form, written as an Application has it
          commonLabels: { app: '${ARGOCD_APP_NAME}' },
          commonAnnotations: { from: '$ARGOCD_APP_SOURCE_PATH@$ARGOCD_APP_REVISION' },
          commonAnnotationsEnvsubst: true,
        },
      },
      revision,
    );
    assert.deepEqual(b.kustomization.images, [{ name: 'web', newName: 'shop/web', newTag: '0123456' }]);
    assert.deepEqual(b.kustomization.commonLabels, { app: 'backend' });
    assert.deepEqual(b.kustomization.commonAnnotations, { from: `kust/app@${revision}` });
    const literal = await built({ kustomize: { commonAnnotations: { from: '$ARGOCD_APP_NAME' } } }, revision);
    assert.deepEqual(literal.kustomization.commonAnnotations, { from: '$ARGOCD_APP_NAME' });
  });

  it('refuses a value the build environment makes invalid in this revision', async () => {
    const r = await renderApp(
      repo,
      makeApp('kust/app', { type: 'auto', kustomize: { commonLabels: { path: '$ARGOCD_APP_SOURCE_PATH' } } }),
      { kustomize },
      { revision: 'c'.repeat(40) },
    );
    assert.ok(!r.ok);
    assert.match(
      r.error.message,
      /source\.kustomize\.commonLabels\.path becomes "kust\/app" in this revision/,
    );
  });

  it('refuses kustomize options on a plain folder', async () => {
    const r = await renderApp(repo, makeApp('plain', { type: 'auto', kustomize: { namePrefix: 'a-' } }), {});
    assert.ok(!r.ok);
    assert.match(
      r.error.message,
      /sets Kustomize options \(source\.kustomize\) but plain is rendered by directory/,
    );
  });
});
