// `:ctx <name>` in the console: the controller moves its whole loop to another kube context, on the real cluster.
// Two contexts of one kubeconfig point at the test cluster; the user's config marks one of them read-only.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { ContextSwitcher } from '../../source/cli/context-switcher.js';
import { type LoopFlags, makeLoop } from '../../source/cli/wire.js';
import {
  createNamespace,
  eventually,
  kubeConfig,
  kubeconfigWithAliases,
  uniqueName,
} from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
let tmp = '';
let flags: LoopFlags;
const app = uniqueName('ctx');

before(async () => {
  ns = await createNamespace('ctx-switch');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'cfg', namespace: ns.name }]),
    'cfg/settings.yaml': configMap('settings', { mode: 'blue' }),
  });
  tmp = await mkdtemp(join(tmpdir(), 'driftdeck-ctx-'));
  const file = await kubeconfigWithAliases(join(tmp, 'kubeconfig.yaml'), ['staging', 'prod-eu']);
  // The user's own settings: prod-eu is read-only whatever the flags say.
  process.env.XDG_CONFIG_HOME = join(tmp, 'config');
  await mkdir(join(tmp, 'config', 'driftdeck'), { recursive: true });
  await writeFile(
    join(tmp, 'config', 'driftdeck', 'config.yaml'),
    'contexts:\n  prod-eu:\n    readonly: true\n',
  );
  flags = {
    repo: repo.remote,
    branch: 'main',
    kubeconfig: file,
    context: 'staging',
    interval: 60,
    readonly: false,
    autoSync: false,
  };
});
after(async () => {
  await ns?.remove();
  await repo?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const appState = (s: ContextSwitcher) => s.getSnapshot().apps.find((a) => a.name === app);

test(':ctx moves the console to another context, with that context read-only setting, and refuses unknown ones', async () => {
  const switcher = new ContextSwitcher(makeLoop(flags), (context) => makeLoop({ ...flags, context }));
  try {
    await switcher.started();
    assert.equal(switcher.getSnapshot().context, 'staging');
    assert.equal(switcher.getSnapshot().readonly, false);
    assert.equal(appState(switcher)?.resources[0]?.status, 'Missing');

    const before = switcher.current;
    await assert.rejects(
      switcher.switchContext('nowhere'),
      /no context "nowhere"; known contexts: .*prod-eu/,
    );
    assert.equal(switcher.current, before, 'a refused switch changes nothing');
    assert.equal(switcher.getSnapshot().context, 'staging');

    let notified = 0;
    const unsubscribe = switcher.subscribe(() => notified++);
    await switcher.switchContext('prod-eu');
    unsubscribe();
    assert.ok(notified > 0, 'the screen is told about the new loop');
    const ro = switcher.getSnapshot();
    assert.equal(ro.context, 'prod-eu');
    assert.equal(ro.readonly, true);
    assert.match(ro.readonlyReason ?? '', /context prod-eu is read-only in .*config\.yaml/);
    assert.equal(appState(switcher)?.resources[0]?.status, 'Missing', 'compared in the new context');
    await assert.rejects(
      switcher.sync(app, { prune: false, dryRun: false, forceConflicts: false }),
      /read-only: sync is disabled \(context prod-eu is read-only/,
    );

    await switcher.switchContext('staging');
    assert.equal(switcher.getSnapshot().readonly, false);
    const record = await switcher.sync(app, { prune: false, dryRun: false, forceConflicts: false });
    assert.equal(record.result, 'Succeeded', record.message);
    const live = await eventually('the ConfigMap created through the new loop', async () =>
      kubeConfig()
        .makeApiClient(CoreV1Api)
        .readNamespacedConfigMap({ name: 'settings', namespace: ns.name })
        .catch(() => undefined),
    );
    assert.deepEqual(live.data, { mode: 'blue' });
  } finally {
    switcher.close();
  }
});
