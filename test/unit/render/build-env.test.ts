// Argo CD's build environment in Jsonnet variables, with Go's os.Expand rules as Argo CD applies them.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is the text under test, not a template
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEnv, envsubst } from '../../../source/render/build-env.js';
import { jsonnetRequest } from '../../../source/render/jsonnet.js';
import { makeApp } from './make-app.js';

const sha = 'f913b6cbf58aa5ae5ca1f8a2b149477aebcbd9d8';
const env = buildEnv(makeApp('apps/web', { type: 'auto' }, 'web'), sha);

describe('buildEnv', () => {
  it('sets the app, its namespace and folder, and the revision in full and short', () => {
    assert.deepEqual(env, {
      ARGOCD_APP_NAME: 'web',
      ARGOCD_APP_NAMESPACE: 'shop',
      ARGOCD_APP_SOURCE_PATH: 'apps/web',
      ARGOCD_APP_REVISION: sha,
      ARGOCD_APP_REVISION_SHORT: 'f913b6c',
      ARGOCD_APP_REVISION_SHORT_8: 'f913b6cb',
    });
  });
});

describe('envsubst', () => {
  const cases: Array<[string, string]> = [
    ['$ARGOCD_APP_NAME', 'web'],
    ['${ARGOCD_APP_NAMESPACE}-x', 'shop-x'],
    ['ns=$ARGOCD_APP_NAMESPACE/rev=${ARGOCD_APP_REVISION_SHORT}', 'ns=shop/rev=f913b6c'],
    ['cost: $$5', 'cost: $5'],
    ['$UNSET and ${ALSO_UNSET}!', ' and !'],
    ['std.length($.items) $', 'std.length($.items) $'],
    ['$1 $* x', '  x'],
    ['a ${} b', 'a  b'],
    ['a ${ARGOCD_APP_NAME', 'a ARGOCD_APP_NAME'],
    ['$constructor $toString', ' '],
    ['plain', 'plain'],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} -> ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(envsubst(value, env), { ok: true, value: expected });
    });
  }

  it('refuses by name what Argo CD sets and driftdeck cannot know', () => {
    assert.deepEqual(envsubst('v$KUBE_VERSION', env), { ok: false, name: 'KUBE_VERSION' });
    assert.deepEqual(envsubst('${ARGOCD_APP_SOURCE_REPO_URL}', env), {
      ok: false,
      name: 'ARGOCD_APP_SOURCE_REPO_URL',
    });
  });

  it('is applied to top-level arguments and external variables, and a refusal names the variable', async () => {
    const app = makeApp('apps/web', {
      type: 'auto',
      jsonnet: {
        tlas: [{ name: 'ns', value: '$ARGOCD_APP_NAMESPACE', code: false }],
        extVars: [{ name: 'rev', value: "'${ARGOCD_APP_REVISION_SHORT}'", code: true }],
        libs: [],
      },
    });
    const request = await jsonnetRequest('/repo', app, { abs: '/repo/apps/web', rel: 'apps/web' }, [], sha);
    assert.deepEqual(request.tlas, [{ name: 'ns', value: 'shop', code: false }]);
    assert.deepEqual(request.extVars, [{ name: 'rev', value: "'f913b6c'", code: true }]);
    app.renderer.jsonnet?.extVars.push({ name: 'kube', value: '$KUBE_VERSION', code: false });
    await assert.rejects(jsonnetRequest('/repo', app, { abs: '/repo/apps/web', rel: 'apps/web' }, [], sha), {
      message:
        'app backend: jsonnet external variable "kube" names $KUBE_VERSION, which Argo CD sets and driftdeck cannot know; write the value out (or $$ for a literal $)',
    });
  });
});
