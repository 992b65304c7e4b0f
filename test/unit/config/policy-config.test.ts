// The policy keys of driftdeck.yaml: a top-level default, per-app overrides rule by rule, and located errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLocatedError, parseRepoConfig } from '../../../source/config/index.js';
import type { AppSpec } from '../../../source/engine/types.js';

function appsOf(text: string): AppSpec[] {
  const result = parseRepoConfig(text);
  assert.ok(result.ok, result.ok ? '' : result.errors.map(formatLocatedError).join('\n'));
  return result.config.apps;
}

function errorsOf(text: string): string[] {
  const result = parseRepoConfig(text);
  assert.equal(result.ok, false, 'expected the config to be refused');
  return result.ok ? [] : result.errors.map(formatLocatedError);
}

const TWO_APPS = `policy:
  destinations: ["team-*", "!team-admin"]
  clusterResources: []
apps:
  - name: web
    path: apps/web
    namespace: team-web
  - name: infra
    path: apps/infra
    namespace: team-infra
    policy:
      clusterResources:
        - { group: "", kind: Namespace }
        - { group: rbac.authorization.k8s.io, kind: "Cluster*" }
`;

describe('policy in driftdeck.yaml', () => {
  it('leaves apps without any policy on the default (no policy written)', () => {
    const [app] = appsOf('apps:\n  - { name: web, path: apps/web, namespace: web }\n');
    assert.equal(app?.policy, undefined);
  });

  it('gives every app the top-level policy, and lets an app override one rule, citing where each rule is', () => {
    const [web, infra] = appsOf(TWO_APPS);
    assert.deepEqual(web?.policy, {
      destinations: ['team-*', '!team-admin'],
      clusterResources: [],
      origin: { destinations: 'driftdeck.yaml:2', clusterResources: 'driftdeck.yaml:3' },
    });
    assert.deepEqual(infra?.policy, {
      destinations: ['team-*', '!team-admin'],
      clusterResources: [
        { group: '', kind: 'Namespace' },
        { group: 'rbac.authorization.k8s.io', kind: 'Cluster*' },
      ],
      origin: { destinations: 'driftdeck.yaml:2', clusterResources: 'driftdeck.yaml:12' },
    });
  });

  it('fills the rule an app policy leaves out with the default', () => {
    const [app] = appsOf(`apps:
  - name: web
    path: apps/web
    namespace: web
    policy: { destinations: [web] }
`);
    assert.deepEqual(app?.policy, {
      destinations: ['web'],
      clusterResources: [{ group: '*', kind: '*' }],
      origin: { destinations: 'driftdeck.yaml:5' },
    });
  });

  const refusals: Array<{ name: string; text: string; errors: string[] }> = [
    {
      name: 'an app in driftdeck-system',
      text: 'apps:\n  - { name: web, path: apps/web, namespace: driftdeck-system }\n',
      errors: [
        "driftdeck.yaml:2:45 apps[0].namespace: driftdeck-system is driftdeck's own namespace (its sync leases and history) and is refused to every app",
      ],
    },
    {
      name: 'an app whose namespace its own destinations refuse',
      text: 'policy: { destinations: ["team-*"] }\napps:\n  - { name: web, path: apps/web, namespace: web }\n',
      errors: [
        'driftdeck.yaml:3:45 apps[0].namespace: namespace web is not among the destinations allowed for this app (driftdeck.yaml:1)',
      ],
    },
    {
      name: 'malformed destinations and cluster resources',
      text: `policy:
  destinations: [web, "kube/system", 3]
  clusterResources:
    - { kind: Namespace }
    - { group: "apps/v1", kind: "Deploy ment" }
    - Namespace
  extra: 1
apps: []
`,
      errors: [
        'driftdeck.yaml:2:23 policy.destinations[1]: expected a namespace or a glob of namespaces (lowercase letters, digits, "-", "*" and "?"; a "!" in front refuses what it matches), got "kube/system"',
        'driftdeck.yaml:2:38 policy.destinations[2]: expected a namespace or a glob of namespaces (lowercase letters, digits, "-", "*" and "?"; a "!" in front refuses what it matches), got 3',
        'driftdeck.yaml:4:7 policy.clusterResources[0].group: missing; expected an API group or a glob of groups ("" is the core group, "*" any group)',
        'driftdeck.yaml:5:16 policy.clusterResources[1].group: expected an API group or a glob of groups ("" is the core group, "*" any group), got "apps/v1"',
        'driftdeck.yaml:5:33 policy.clusterResources[1].kind: expected a kind or a glob of kinds (letters, digits, "*" and "?"), got "Deploy ment"',
        'driftdeck.yaml:6:7 policy.clusterResources[2]: expected a mapping with group and kind, got "Namespace"',
        'driftdeck.yaml:7:3 policy.extra: unknown key "extra"; expected one of destinations, clusterResources',
      ],
    },
    {
      name: 'a policy that is not a mapping, in an app',
      text: 'apps:\n  - { name: web, path: apps/web, namespace: web, policy: [web] }\n',
      errors: [
        'driftdeck.yaml:2:58 apps[0].policy: expected a policy (a mapping with destinations and clusterResources), got a list',
      ],
    },
  ];
  for (const c of refusals)
    it(`refuses ${c.name} with file and line`, () => {
      assert.deepEqual(errorsOf(c.text), c.errors);
    });
});
