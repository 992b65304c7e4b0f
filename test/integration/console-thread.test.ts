// The console's loop in its own thread (cli/console-thread.ts), on the real cluster and a real Git remote: the
// snapshots arrive in the console's thread, commands and their refusals cross both ways, a log read is refused
// for a pod outside the app, and a loop that cannot be made fails the open as it would in one thread.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { ThreadController } from '../../source/cli/console-thread.js';
import { type LoopFlags, UsageError } from '../../source/cli/wire.js';
import {
  createNamespace,
  eventually,
  kubeConfig,
  kubeconfigWithAliases,
  testKubeconfig,
  uniqueName,
} from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
let flags: LoopFlags;
const app = uniqueName('thread');

/** A thread's nice value, from /proc (field 19 of its stat). */
function threadNice(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}
const processThreadNices = () => readdirSync('/proc/self/task').map((tid) => threadNice(Number(tid)));

before(async () => {
  ns = await createNamespace('console-thread');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'cfg', namespace: ns.name }]),
    'cfg/settings.yaml': configMap('settings', { mode: 'blue' }),
  });
  const { kubeconfig, context } = testKubeconfig();
  flags = {
    repo: repo.remote,
    branch: 'main',
    kubeconfig,
    context,
    interval: 60,
    readonly: false,
    autoSync: false,
  };
});
after(async () => {
  await ns?.remove();
  await repo?.cleanup();
});

test('the loop runs in its own thread; the console reads its snapshots and sends it commands', async () => {
  const said: string[] = [];
  const controller = await ThreadController.open({ ...flags, role: 'console' }, (line) => said.push(line));
  try {
    const state = () => controller.getSnapshot().apps.find((a) => a.name === app);
    await eventually('the app compared, out of sync', () => state()?.sync === 'OutOfSync' || undefined);
    assert.ok(controller.getSnapshot().loop.watching > 0);
    // The loop's thread runs at a lower priority (nice 10) than this one, the thread that draws.
    assert.equal(threadNice(process.pid), 0);
    assert.ok(processThreadNices().includes(10), `threads' nice values: ${processThreadNices().join(' ')}`);

    const plan = await controller.planSync(app);
    assert.equal(plan.create, 1);
    const record = await controller.sync(app, { prune: false, dryRun: false, forceConflicts: false });
    assert.equal(record.result, 'Succeeded', record.message);
    await eventually('the snapshot says Synced', () => state()?.sync === 'Synced' || undefined);
    const live = await kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: 'settings', namespace: ns.name });
    assert.equal(live.data?.mode, 'blue');

    const tree = await controller.tree(app);
    assert.equal(tree.app, app);
    // A refusal in the loop's thread arrives as an error with its message; a UsageError stays one.
    await assert.rejects(
      controller.sync('no-such-app', { prune: false, dryRun: false, forceConflicts: false }),
      /no app named "no-such-app"/,
    );
    // An answer comes after the snapshot its command left: the loop's event is in the snapshot as soon as it resolves.
    await controller.setAutoSync(app, true);
    const heard = controller
      .getSnapshot()
      .events.filter((e) => e.app === app)
      .map((e) => e.message);
    assert.ok(heard.includes('auto-sync on for this session'), heard.join('\n'));
    await eventually(
      'auto-sync on in the compared state',
      () => state()?.spec.sync.auto === true || undefined,
    );

    const ended = await new Promise<Error | undefined>((resolve) => {
      controller.logs(
        app,
        { namespace: ns.name, name: 'not-of-this-app' },
        {},
        { line: () => undefined, end: resolve },
      );
    });
    assert.match(String(ended?.message), /not-of-this-app/);
  } finally {
    controller.close();
    await controller.closed();
  }
  await assert.rejects(controller.refresh(false), /closing/);
  assert.deepEqual(said, []);
});

test(':ctx through the thread: the new context is on screen when the switch answers; unknown ones are refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'driftdeck-thread-ctx-'));
  const kubeconfig = await kubeconfigWithAliases(join(dir, 'kubeconfig.yaml'), ['staging', 'prod-eu']);
  const controller = await ThreadController.open(
    { ...flags, kubeconfig, context: 'staging' },
    () => undefined,
  );
  try {
    await controller.started();
    assert.equal(controller.getSnapshot().context, 'staging');
    await assert.rejects(
      controller.switchContext('nowhere'),
      /no context "nowhere"; known contexts: .*prod-eu/,
    );
    await controller.switchContext('prod-eu');
    assert.equal(controller.getSnapshot().context, 'prod-eu');
    assert.ok(controller.getSnapshot().apps.some((a) => a.name === app && a.resources.length > 0));
  } finally {
    controller.close();
    await controller.closed();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a loop that cannot be made fails the open, a usage error as one', async () => {
  const { repo: _none, ...noRepo } = flags;
  await assert.rejects(
    ThreadController.open(noRepo, () => undefined),
    (err) => {
      assert.ok(err instanceof UsageError, String(err));
      assert.match(err.message, /no Git repository/);
      return true;
    },
  );
});
