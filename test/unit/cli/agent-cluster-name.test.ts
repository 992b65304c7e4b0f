// An agent's destination: --cluster-name, else DRIFTDECK_CLUSTER_NAME from the install's settings (empty: none),
// checked as apps' `cluster:` is; and the install carrying it into the settings ConfigMap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { installObjects, installProblems } from '../../../source/agent/install.js';
import { agentClusterName } from '../../../source/cli/agent-command.js';

describe('agent --cluster-name', () => {
  it('takes the flag first, then the environment; empty means the default cluster', () => {
    assert.equal(agentClusterName('prod-eu', { DRIFTDECK_CLUSTER_NAME: 'prod-us' }), 'prod-eu');
    assert.equal(agentClusterName(undefined, { DRIFTDECK_CLUSTER_NAME: 'prod-us' }), 'prod-us');
    assert.equal(agentClusterName(undefined, { DRIFTDECK_CLUSTER_NAME: '' }), undefined);
    assert.equal(agentClusterName(undefined, {}), undefined);
  });

  it('refuses a name that is no context name, saying where it came from', () => {
    assert.throws(() => agentClusterName('prod eu', {}), /^Error: --cluster-name: expected a cluster name/);
    assert.throws(
      () => agentClusterName(undefined, { DRIFTDECK_CLUSTER_NAME: 'a\u001bb' }),
      /^Error: DRIFTDECK_CLUSTER_NAME: expected a cluster name/,
    );
  });

  it('is written into the install settings, and refused there too', () => {
    const settings = (clusterName?: string) =>
      installObjects({
        repo: 'https://git.example.test/x.git',
        ...(clusterName ? { clusterName } : {}),
      }).find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    assert.equal(settings('prod-eu').data.DRIFTDECK_CLUSTER_NAME, 'prod-eu');
    assert.equal(settings().data.DRIFTDECK_CLUSTER_NAME, '');
    assert.match(
      installProblems({ repo: 'https://git.example.test/x.git', clusterName: 'a b' }).join('; '),
      /--cluster-name: expected a cluster name/,
    );
  });
});
