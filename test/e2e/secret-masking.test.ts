// The demo Secret's password, plain or base64, never leaves driftdeck unmasked: not on the console screen (diff pane,
// rollout log), not in `diff`, not in `status`, `diff`, `sync` or `history` with `-o json`, not in the agent's lines,
// not in the sync-history ConfigMap driftdeck writes, and not in the parse cache on disk. The Secret is synced, then
// changed in Git, so both a Secret to create and a Secret that differs from the live one are shown.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { pushChange } from '../../source/demo/index.js';
import { startAgent } from '../support/cli.js';
import { eventually, kubeConfig, testKubeconfig } from '../support/cluster.js';
import { parseCacheFileEntries } from '../support/parse-cache-file.js';
import { NAMESPACE, SECRET_PASSWORD, type Stage, SYSTEM_NAMESPACE, stage } from './stage.js';

const NEW_PASSWORD = 'gg-rotated-S3cret-value-not-real';
const forms = (value: string) => [value, Buffer.from(value).toString('base64')];
const SECRETS = [...forms(SECRET_PASSWORD), ...forms(NEW_PASSWORD)];

function assertMasked(where: string, text: string) {
  for (const secret of SECRETS)
    assert.ok(
      !text.includes(secret),
      `${where} shows the Secret's value ${JSON.stringify(secret)}:\n${text}`,
    );
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

let current: Stage | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

test('the demo Secret is masked in every output, on screen, in the cluster records and on disk', {
  timeout: 300_000,
}, async () => {
  current = await stage();
  const demo = current;
  const outputs: Array<[string, string]> = [];
  const cli = async (args: string[]) => {
    const result = await demo.cli(args);
    outputs.push([`driftdeck ${args.join(' ')}`, `${result.stdout}\n${result.stderr}`]);
    return result;
  };

  // A Secret to create: the diff shows its manifest.
  const before = await cli(['diff', 'backend']);
  assert.equal(before.code, 1, before.stderr);
  assert.match(before.stdout, /Secret/, 'the diff lists the Secret');
  await cli(['diff', 'backend', '-o', 'json']);
  await cli(['status', '-o', 'json']);
  const synced = await cli(['sync', 'backend', '-o', 'json']);
  assert.equal(synced.code, 0, synced.stderr);
  const core = kubeConfig().makeApiClient(CoreV1Api);
  const live = await core.readNamespacedSecret({ name: 'backend-db', namespace: NAMESPACE });
  assert.equal(
    Buffer.from(live.data?.password ?? '', 'base64').toString(),
    SECRET_PASSWORD,
    'the real value was applied',
  );

  // The Secret changed in Git: the diff against the live Secret is masked on both sides.
  await pushChange(
    demo.demo.workdir,
    {
      file: 'apps/backend/secret.yaml',
      replace: [SECRET_PASSWORD, NEW_PASSWORD],
      message: 'Rotate the database password',
    },
    { env: demo.env },
  );
  const changed = await cli(['diff', 'backend']);
  assert.equal(changed.code, 1, changed.stderr);
  assert.match(changed.stdout, /Secret\/?\s*backend-db|backend-db/, 'the changed Secret is shown');
  await cli(['diff', 'backend', '-o', 'json']);
  await cli(['status', '-o', 'json']);
  await cli(['history', 'backend', '-o', 'json']);
  const resynced = await cli(['sync', 'backend', '-o', 'json']);
  assert.equal(resynced.code, 0, resynced.stderr);
  for (const [where, text] of outputs) assertMasked(where, text);

  // The agent, with a change waiting for it.
  await pushChange(
    demo.demo.workdir,
    {
      file: 'apps/backend/secret.yaml',
      replace: [NEW_PASSWORD, SECRET_PASSWORD],
      message: 'Back to the first password',
    },
    { env: demo.env },
  );
  const agent = startAgent(['--repo', demo.demo.remote, '--interval', '1'], testKubeconfig());
  try {
    await agent.waitFor(
      'backend compared at the new head',
      (l) => JSON.stringify(l).includes('backend'),
      60_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
  } finally {
    await agent.stop();
  }
  assert.ok(agent.lines.length > 0, 'the agent printed lines');
  assertMasked('agent lines', agent.lines.map((l) => JSON.stringify(l)).join('\n'));

  // The console: the Secret's diff in the diff pane, and the rollout log of a sync made from the keyboard.
  const tty = await demo.open({ extra: ['--interval', '1'] });
  await tty.waitForText(/> backend\s/, 30_000);
  await tty.press('2');
  const diffPane = await tty.waitForScreen(
    'the Secret in the diff pane',
    (s) => /backend-db/.test(s),
    30_000,
  );
  await tty.press('s');
  await tty.waitForText(/Sync backend\?/);
  await tty.press('y');
  const logPane = await tty.waitForScreen(
    'the sync in the rollout log',
    (s) => /Secret\/backend-db|backend-db/.test(s) && /configured|created|unchanged|synced/i.test(s),
    90_000,
  );
  assertMasked('the console diff pane', diffPane);
  assertMasked('the console rollout log', logPane);
  assertMasked('the console screen', await tty.screen());

  // What driftdeck wrote: the sync-history ConfigMap, and every file of its caches (the parse cache among them).
  const history = await eventually('the sync history of backend', async () =>
    core
      .readNamespacedConfigMap({ name: 'driftdeck-history-backend', namespace: SYSTEM_NAMESPACE })
      .catch(() => undefined),
  );
  assert.ok(
    JSON.stringify(history.data ?? {}).includes('backend-db'),
    'the history names the Secret it synced',
  );
  assertMasked('the sync-history ConfigMap', JSON.stringify(history));
  // (Git's own caches hold the repository as it is, Secret manifest included: that is the user's data, not output.)
  const files = await filesUnder(join(demo.root, 'cache', 'driftdeck'));
  const parseCaches = files.filter((f) => f.endsWith('parsed-manifests.json'));
  assert.ok(parseCaches.length > 0, `a parse cache was written (files: ${files.join(', ')})`);
  for (const file of parseCaches) {
    const text = await readFile(file, 'utf8');
    assertMasked(file, text);
    // Its entries are deflated: what they hold once inflated is checked too (texts with a Secret are sealed).
    for (const [key, json] of parseCacheFileEntries(text).deflated)
      assertMasked(`${file} entry ${key}`, json);
  }
});
