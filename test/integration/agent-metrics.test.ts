// The agent's /healthz, /readyz and /metrics on the real cluster, through the built CLI: bound to loopback on a
// port it picks, ready once it has compared, and its metrics (scraped and parsed) say what it did: the app synced
// by auto-sync, counted once with its duration, the Git polls, the API requests. A bad address is refused before
// anything starts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { driftdeck, startAgent } from '../support/cli.js';
import { createNamespace, eventually, uniqueName } from '../support/cluster.js';
import { samples } from '../support/prometheus.js';
import { appsFile, deployment, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const app = uniqueName('metrics');

before(async () => {
  ns = await createNamespace('metrics');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'web', namespace: ns.name, auto: true }]),
    'web/deployment.yaml': deployment('web', 'shop/web:v1', 1),
  });
});
after(async () => {
  await ns?.remove();
  await repo?.cleanup();
});

test('agent --metrics-address serves health, readiness and metrics of what it did', async () => {
  const refused = await driftdeck(['agent', '--repo', repo.remote, '--metrics-address', 'everywhere']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /--metrics-address "everywhere" is not host:port/);

  const agent = startAgent(['--repo', repo.remote, '--interval', '1', '--metrics-address', '127.0.0.1:0']);
  try {
    const address = await agent.servingAddress();
    const health = await fetch(`http://${address}/healthz`);
    assert.equal(health.status, 200);
    await eventually(
      'ready',
      async () => ((await fetch(`http://${address}/readyz`)).status === 200 ? true : undefined),
      60_000,
      300,
    );
    await agent.waitFor('the auto-sync', (l) => l.type === 'sync-finished' && l.app === app, 120_000);
    const s = await eventually(
      'metrics of the synced app',
      async () => {
        const r = await fetch(`http://${address}/metrics`);
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
        const m = samples(await r.text());
        return m.get(`driftdeck_app_sync_status{app="${app}",status="Synced"}`) === 1 ? m : undefined;
      },
      60_000,
      500,
    );
    assert.equal(s.get(`driftdeck_syncs_total{app="${app}",result="Succeeded"}`), 1);
    assert.ok((s.get(`driftdeck_sync_duration_seconds_count{app="${app}",result="Succeeded"}`) ?? 0) === 1);
    assert.ok((s.get('driftdeck_git_poll_duration_seconds_count{result="ok"}') ?? 0) >= 1);
    assert.equal(s.get('driftdeck_git_poll_errors_total'), 0);
    assert.ok((s.get('driftdeck_api_requests_total') ?? 0) > 0);
    assert.equal(s.get(`driftdeck_app_syncing{app="${app}"}`), 0);
  } finally {
    await agent.stop();
  }
});
