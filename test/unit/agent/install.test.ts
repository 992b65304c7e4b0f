// The agent's install manifests as data: the kinds each RBAC profile gives, what the namespaced profile grants
// and where, the Deployment's hardening, and the settings refused before anything is printed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { installObjects, installProblems, installYaml } from '../../../source/agent/install.js';

const kindsOf = (objs: ReturnType<typeof installObjects>) =>
  objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);

describe('agent install manifests', () => {
  it('cluster profile: one ClusterRole over every kind, bound to the agent ServiceAccount', () => {
    const objs = installObjects({ repo: 'https://git.example.com/deploy.git' });
    assert.deepEqual(kindsOf(objs), [
      'Namespace//driftdeck-system',
      'ServiceAccount/driftdeck-system/driftdeck-agent',
      'Role/driftdeck-system/driftdeck-agent-state',
      'RoleBinding/driftdeck-system/driftdeck-agent-state',
      'ClusterRole//driftdeck-agent',
      'ClusterRoleBinding//driftdeck-agent',
      'ConfigMap/driftdeck-system/driftdeck-agent-settings',
      'Deployment/driftdeck-system/driftdeck-agent',
      'Service/driftdeck-system/driftdeck-agent',
    ]);
  });

  it('namespaced profile: a Role per managed namespace and only discovery cluster-wide', () => {
    const objs = installObjects({
      repo: 'https://git.example.com/deploy.git',
      profile: 'namespaced',
      namespaces: ['shop', 'web'],
      namespace: 'ops',
    });
    const names = kindsOf(objs);
    assert.ok(
      names.includes('Role/shop/driftdeck-agent') && names.includes('RoleBinding/web/driftdeck-agent'),
    );
    assert.ok(!names.includes('ClusterRole//driftdeck-agent'), 'no cluster-wide grant over kinds');
    const discovery = objs.find((o) => o.kind === 'ClusterRole') as unknown as {
      rules: Array<{ resources?: string[]; verbs: string[] }>;
    };
    for (const rule of discovery.rules)
      assert.ok(
        rule.verbs.every((v) => ['get', 'list', 'watch'].includes(v)),
        'discovery reads only',
      );
    const binding = objs.find(
      (o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'shop',
    ) as unknown as {
      subjects: unknown[];
    };
    assert.deepEqual(binding.subjects, [
      { kind: 'ServiceAccount', name: 'driftdeck-agent', namespace: 'ops' },
    ]);
  });

  it('the Deployment runs non-root on a read-only root filesystem with probes and the metrics port', () => {
    const yaml = installYaml({ repo: 'https://git.example.com/deploy.git', image: 'registry.example/dd:1' });
    assert.match(yaml, /readOnlyRootFilesystem: true/);
    assert.match(yaml, /runAsNonRoot: true/);
    assert.match(yaml, /allowPrivilegeEscalation: false/);
    assert.match(yaml, /path: \/readyz/);
    assert.match(yaml, /image: registry\.example\/dd:1/);
    assert.match(yaml, /- 0\.0\.0\.0:9464/);
  });

  it('mounts the optional webhook Secret, passes its file to the agent, and names the webhook port', () => {
    const objs = installObjects({ repo: 'https://git.example.com/deploy.git' });
    const deployment = objs.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: Array<Record<string, never>>; volumes: unknown[] } } };
    };
    const pod = deployment.spec.template.spec;
    const agent = pod.containers[0] as unknown as {
      args: string[];
      volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
    };
    const at = agent.args.indexOf('--webhook-secret-file');
    assert.equal(agent.args[at + 1], '/etc/driftdeck/webhook/secret');
    assert.deepEqual(
      agent.volumeMounts.find((m) => m.name === 'webhook-secret'),
      { name: 'webhook-secret', mountPath: '/etc/driftdeck/webhook', readOnly: true },
    );
    assert.deepEqual(
      pod.volumes.find((v) => (v as { name: string }).name === 'webhook-secret'),
      {
        name: 'webhook-secret',
        secret: { secretName: 'driftdeck-agent-webhook', optional: true, defaultMode: 0o400 },
      },
    );
    const service = objs.find((o) => o.kind === 'Service') as unknown as { spec: { ports: unknown[] } };
    assert.deepEqual(service.spec.ports, [
      { name: 'metrics', port: 9464, targetPort: 'metrics', protocol: 'TCP' },
      { name: 'webhook', port: 80, targetPort: 'metrics', protocol: 'TCP' },
    ]);
  });

  it('refuses what it cannot install, saying which flag', () => {
    assert.deepEqual(installProblems({ repo: 'https://git.example.com/deploy.git' }), []);
    const cases: Array<[Parameters<typeof installProblems>[0], RegExp]> = [
      [{ repo: '' }, /--repo is required/],
      [{ repo: 'https://user:secret@git.example.com/d.git' }, /credentials in it/],
      [{ repo: 'r', profile: 'namespaced' }, /needs --manage/],
      [
        { repo: 'r', profile: 'namespaced', namespaces: ['Shop_1'] },
        /--manage "Shop_1" is not a namespace name/,
      ],
      [{ repo: 'r', namespace: 'kube\x1b[2J' }, /--namespace "kube\?\[2J" is not a namespace name/],
      [{ repo: 'r', image: 'img; rm -rf /' }, /--image .* is not an image reference/],
      [{ repo: 'a b' }, /--repo has spaces, control or non-ASCII characters/],
    ];
    for (const [opts, message] of cases)
      assert.match(installProblems(opts).join('; '), message, JSON.stringify(opts));
  });
});
