// An Argo CD AppProject as the narrowing of its Applications' policy: found by name, refusing what it does not
// permit as Argo CD's IsGroupKindPermitted does, never widening driftdeck.yaml's own policy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleApps } from '../../../../source/config/discover/assemble.js';
import { underTopPolicy } from '../../../../source/config/repo-apps.js';
import { policyRefusal } from '../../../../source/engine/index.js';
import type { AppSpec, KubeObject } from '../../../../source/engine/types.js';
import { parseManifests } from '../../../../source/render/manifests.js';

const REPO = '/srv/git/shop.git';
const application = (name: string, project?: string, namespace = name) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
${project ? `  project: ${project}\n` : ''}  source: {repoURL: ${REPO}, path: deploy/${name}, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: ${namespace}}
`;
const TEAM = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team
  namespace: argocd
spec:
  sourceRepos: ['*']
  destinations:
    - {server: https://kubernetes.default.svc, namespace: 'web-*'}
    - {server: https://kubernetes.default.svc, namespace: '!web-admin'}
    - {server: https://other.example.test, namespace: '*'}
  clusterResourceWhitelist:
    - {group: '', kind: Namespace}
  namespaceResourceBlacklist:
    - {group: '', kind: ResourceQuota}
`;

function assemble(...files: Array<[string, string]>): AppSpec[] {
  const result = assembleApps({
    repoUrl: REPO,
    branch: 'main',
    found: files.flatMap(([file, text]) =>
      parseManifests(text, { file }).map((m) => ({ ...m, for: 'argocd' as const })),
    ),
  });
  assert.ok(result.ok, JSON.stringify(result));
  return result.apps;
}

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

describe('AppProject', () => {
  const [web] = assemble(['apps/web.yaml', application('web-shop', 'team')], ['apps/projects.yaml', TEAM]);

  const cases: Array<{
    name: string;
    object: KubeObject;
    namespaced: boolean | undefined;
    refused?: RegExp;
  }> = [
    {
      name: 'a Deployment in a permitted namespace',
      object: obj('apps/v1', 'Deployment', 'a', 'web-shop'),
      namespaced: true,
    },
    {
      name: 'a namespace only another cluster permits',
      object: obj('v1', 'ConfigMap', 'a', 'billing'),
      namespaced: true,
      refused:
        /^ConfigMap billing\/a: namespace billing is not among the destinations allowed for app web-shop \(AppProject team at apps\/projects\.yaml:1\)$/,
    },
    {
      name: 'a namespace its "!" destination refuses',
      object: obj('v1', 'ConfigMap', 'a', 'web-admin'),
      namespaced: true,
      refused: /namespace web-admin is refused by destination "!web-admin" for app web-shop/,
    },
    {
      name: 'a blacklisted namespaced kind',
      object: obj('v1', 'ResourceQuota', 'q', 'web-shop'),
      namespaced: true,
      refused:
        /namespaced kind ResourceQuota is not permitted by namespaceResourceWhitelist\/namespaceResourceBlacklist for app web-shop \(AppProject team/,
    },
    { name: 'a whitelisted cluster kind', object: obj('v1', 'Namespace', 'web-x'), namespaced: false },
    {
      name: 'a cluster kind not whitelisted',
      object: obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'admin'),
      namespaced: false,
      refused:
        /cluster-scoped kind rbac\.authorization\.k8s\.io\/ClusterRole is not permitted by clusterResourceWhitelist/,
    },
    {
      name: 'a Namespace object outside the destinations',
      object: obj('v1', 'Namespace', 'kube-system'),
      namespaced: false,
      refused: /namespace kube-system is not among the destinations allowed for app web-shop/,
    },
    {
      name: 'a kind of unknown scope',
      object: obj('example.com/v1', 'Widget', 'w', 'web-shop'),
      namespaced: undefined,
      refused: /does not say whether kind Widget is cluster-scoped/,
    },
  ];
  for (const c of cases)
    it(`${c.refused ? 'refuses' : 'permits'} ${c.name}`, () => {
      assert.ok(web);
      const refused = policyRefusal(web, c.object, c.namespaced);
      if (c.refused) assert.match(refused ?? '(permitted)', c.refused);
      else assert.equal(refused, undefined);
    });

  it('never widens driftdeck.yaml: a project permitting everything still meets the top-level policy', () => {
    const open = TEAM.replace(
      /destinations:[\s\S]*$/,
      "destinations: [{server: '*', namespace: '*'}]\n  clusterResourceWhitelist: [{group: '*', kind: '*'}]\n",
    );
    const [app] = assemble(['apps/web.yaml', application('web-shop', 'team')], ['apps/projects.yaml', open]);
    const top = {
      destinations: ['web-*'],
      clusterResources: [],
      origin: { destinations: 'driftdeck.yaml:2', clusterResources: 'driftdeck.yaml:3' },
    };
    const governed = underTopPolicy(app!, top);
    assert.match(
      policyRefusal(governed, obj('v1', 'ConfigMap', 'a', 'kube-system'), true) ?? '',
      /namespace kube-system is not among the destinations allowed for app web-shop \(driftdeck\.yaml:2\)/,
    );
    assert.match(
      policyRefusal(governed, obj('v1', 'Namespace', 'web-x'), false) ?? '',
      /cluster-scoped kind Namespace is not among the cluster resources allowed .*driftdeck\.yaml:3/,
    );
    // And the project still narrows under it.
    const narrow = underTopPolicy(web!, {
      destinations: ['*'],
      clusterResources: [{ group: '*', kind: '*' }],
    });
    assert.match(
      policyRefusal(narrow, obj('v1', 'ConfigMap', 'a', 'billing'), true) ?? '',
      /AppProject team/,
    );
  });

  it('holds an app whose namespace the project or driftdeck.yaml refuses', () => {
    const [app] = assemble(['apps/x.yaml', application('shop', 'team')], ['apps/projects.yaml', TEAM]);
    assert.equal(app?.held?.kind, 'invalid');
    assert.match(
      app?.held?.reason.message ?? '',
      /destination\.namespace shop is not among the destinations allowed of AppProject team/,
    );
    const held = underTopPolicy(web!, { destinations: ['other'], clusterResources: [] });
    assert.equal(held.held?.kind, 'invalid');
  });

  it('lists an app whose project is not found as Unmanaged, as Argo CD refuses it', () => {
    const [app] = assemble(['apps/web.yaml', application('web-shop', 'payments')]);
    assert.equal(app?.held?.kind, 'unmanaged');
    assert.match(app?.held?.reason.message ?? '', /^project payments not found: no AppProject of that name/);
    assert.equal(app?.held?.reason.file, 'apps/web.yaml');
  });

  it('holds an app from a repository its project does not name in sourceRepos, and runs one it names', () => {
    const elsewhere = TEAM.replace(
      "sourceRepos: ['*']",
      "sourceRepos: ['https://git.example.test/platform/*']",
    );
    const [a] = assemble(
      ['apps/web.yaml', application('web-shop', 'team')],
      ['apps/projects.yaml', elsewhere],
    );
    assert.equal(a?.held?.kind, 'unmanaged');
    assert.match(
      a?.held?.reason.message ?? '',
      /^source \/srv\/git\/shop\.git is not among the sourceRepos of AppProject team/,
    );
    const named = TEAM.replace("sourceRepos: ['*']", `sourceRepos: ['file://${REPO}']`);
    const [b] = assemble(['apps/web.yaml', application('web-shop', 'team')], ['apps/projects.yaml', named]);
    assert.equal(b?.held, undefined);
  });

  it('lets the default project (not written) allow what driftdeck.yaml allows', () => {
    const [app] = assemble(['apps/web.yaml', application('web-shop')], ['apps/other.yaml', TEAM]);
    assert.equal(app?.held, undefined);
    assert.equal(app?.policy, undefined);
  });

  it('holds the apps of a project with sync windows, or of a project written twice', () => {
    const windows = `${TEAM}  syncWindows:\n    - {kind: deny, schedule: '* * * * *', duration: 1h, applications: ['*']}\n`;
    const [a] = assemble(['apps/web.yaml', application('web-shop', 'team')], ['apps/projects.yaml', windows]);
    assert.equal(a?.held?.kind, 'unmanaged');
    assert.match(
      a?.held?.reason.message ?? '',
      /not supported by driftdeck: AppProject team spec\.syncWindows/,
    );
    const [b] = assemble(
      ['apps/web.yaml', application('web-shop', 'team')],
      ['apps/projects.yaml', TEAM],
      ['apps/more.yaml', TEAM],
    );
    assert.equal(b?.held?.kind, 'invalid');
    assert.match(
      b?.held?.reason.message ?? '',
      /2 AppProjects of that name \(apps\/projects\.yaml:1, apps\/more\.yaml:1\)/,
    );
  });

  it("grants an app deployed to a named cluster the namespaces of that cluster's entries only", () => {
    const fleet = TEAM.replace(
      '  clusterResourceWhitelist:',
      "    - {name: 'prod-*', namespace: 'shop'}\n  clusterResourceWhitelist:",
    );
    const named = (namespace: string) =>
      application('web-shop', 'team', namespace).replace(
        'destination: {server: https://kubernetes.default.svc,',
        'destination: {name: prod-eu,',
      );
    const [shop] = assemble(['apps/web.yaml', named('shop')], ['apps/projects.yaml', fleet]);
    assert.equal(shop?.held, undefined);
    assert.equal(shop?.cluster, 'prod-eu');
    // web-a is allowed on the default cluster, not on prod-eu.
    const [web] = assemble(['apps/web.yaml', named('web-a')], ['apps/projects.yaml', fleet]);
    assert.equal(web?.held?.kind, 'invalid');
    assert.match(web?.held?.reason.message ?? '', /destination\.namespace web-a .* for cluster prod-eu/);
    // shop is allowed on prod-eu, not on the default cluster.
    const [local] = assemble(
      ['apps/web.yaml', application('web-shop', 'team', 'shop')],
      ['apps/projects.yaml', fleet],
    );
    assert.equal(local?.held?.kind, 'invalid');
  });
});
