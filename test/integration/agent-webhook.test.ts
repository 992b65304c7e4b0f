// Git webhooks against the real cluster, through the built CLI: an agent polling only every 10 minutes gets a
// signed GitHub-style push for its repository and syncs the new commit at once. Unsigned, wrongly signed,
// oversized and replayed requests, and a push to another branch, are answered with their codes over real HTTP and
// poll nothing: the commit is not loaded before the signed request, and the agent polled exactly once for it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { driftdeck, startAgent } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, uniqueName } from '../support/cluster.js';
import { samples } from '../support/prometheus.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';
import { fixture, forgeHeaders, send } from '../support/webhook-client.js';

const SECRET = 'webhook-test-secret-0123456789';
let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const app = uniqueName('hook');

before(async () => {
  ns = await createNamespace('webhook');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'settings', namespace: ns.name, auto: true }]),
    'settings/settings.yaml': configMap('settings', { release: 'v1' }),
  });
});
after(async () => {
  await ns?.remove();
  await repo?.cleanup();
});

/** The GitHub fixture as a push of `sha` to `ref` of the test's bare remote. */
function githubPush(sha: string, ref = 'refs/heads/main'): Buffer {
  const payload = JSON.parse(fixture('github-push.json').toString());
  payload.ref = ref;
  payload.after = sha;
  payload.repository.clone_url = `file://${repo.remote}`;
  payload.repository.ssh_url = 'git@github.com:acme/deploy.git';
  return Buffer.from(JSON.stringify(payload));
}

test('a signed push webhook syncs the new commit long before the poll interval; refused requests poll nothing', async () => {
  const secretFile = join(repo.root, 'webhook-secret');
  await writeFile(secretFile, `${SECRET}\n`);
  await chmod(secretFile, 0o600);
  const agent = startAgent([
    '--repo',
    repo.remote,
    '--interval',
    '600',
    '--metrics-address',
    '127.0.0.1:0',
    '--webhook-secret-file',
    secretFile,
  ]);
  const core = kubeConfig().makeApiClient(CoreV1Api);
  const release = async () =>
    (await core.readNamespacedConfigMap({ name: 'settings', namespace: ns.name }).catch(() => undefined))
      ?.data?.release;
  try {
    const address = await eventually(
      'the agent to say where it serves the webhook',
      async () => /webhook: POST http:\/\/(127\.0\.0\.1:\d+)\/api\/webhook/.exec(agent.stderr())?.[1],
      30_000,
      200,
    );
    const url = `http://${address}/api/webhook`;
    const metrics = async () => samples(await (await fetch(`http://${address}/metrics`)).text());
    await agent.waitFor('the first auto-sync', (l) => l.type === 'sync-finished' && l.app === app, 120_000);
    assert.equal(await release(), 'v1');
    const polls = (await metrics()).get('driftdeck_git_poll_duration_seconds_count{result="ok"}') ?? 0;
    assert.ok(polls >= 1);

    const sha = await repo.commit(
      { 'settings/settings.yaml': configMap('settings', { release: 'v2' }) },
      'v2',
    );
    const body = githubPush(sha);
    const unsigned = await send(url, forgeHeaders('github', body, undefined), body);
    assert.equal(unsigned.status, 401, unsigned.text);
    const wrong = await send(url, forgeHeaders('github', body, 'guessed-secret'), body);
    assert.equal(wrong.status, 401, wrong.text);
    const huge = Buffer.concat([body, Buffer.alloc(2 * 1024 * 1024, 0x20)]);
    // As curl sends a large body: it waits to be asked for it, and is not.
    const oversized = await send(
      url,
      { ...forgeHeaders('github', huge, SECRET), expect: '100-continue' },
      huge,
    );
    assert.equal(oversized.status, 413, oversized.text);
    const branch = githubPush(sha, 'refs/heads/feature');
    const otherBranch = await send(url, forgeHeaders('github', branch, SECRET), branch);
    assert.equal(otherBranch.status, 202);
    assert.match(otherBranch.text, /^ignored: no push to branch main/);
    const form = await send(
      url,
      { ...forgeHeaders('github', body, SECRET), 'content-type': 'text/plain' },
      body,
    );
    assert.equal(form.status, 415);

    let m = await metrics();
    assert.equal(m.get('driftdeck_webhook_requests_total{forge="github",result="unauthorized"}'), 2);
    assert.equal(m.get('driftdeck_webhook_requests_total{forge="github",result="too_large"}'), 1);
    assert.equal(m.get('driftdeck_webhook_requests_total{forge="github",result="ignored"}'), 1);
    assert.equal(m.get('driftdeck_webhook_requests_total{forge="github",result="accepted"}'), undefined);
    assert.equal(agent.lines.filter((l) => l.type === 'webhook').length, 0, 'no refused request triggered');
    assert.ok(
      !agent.lines.some((l) => String(l.message).includes(sha.slice(0, 7))),
      'the new commit is not loaded before the signed request',
    );

    const delivery = randomUUID();
    const signed = await send(url, forgeHeaders('github', body, SECRET, delivery), body);
    assert.equal(signed.status, 202, signed.text);
    assert.equal(signed.text, 'accepted: polling main now\n');
    await agent.waitFor('the webhook line', (l) => l.type === 'webhook', 10_000);
    // Well before the 10-minute interval: the waits below give up after 2 minutes.
    await eventually(
      'the new commit synced',
      async () => ((await release()) === 'v2' ? true : undefined),
      120_000,
    );

    const replay = await send(url, forgeHeaders('github', body, SECRET, delivery), body);
    assert.equal(replay.status, 409, replay.text);
    m = await metrics();
    assert.equal(m.get('driftdeck_webhook_requests_total{forge="github",result="accepted"}'), 1);
    assert.equal(m.get('driftdeck_webhook_requests_total{forge="github",result="replayed"}'), 1);
    assert.equal(
      m.get('driftdeck_git_poll_duration_seconds_count{result="ok"}'),
      polls + 1,
      'one poll, for the signed request only',
    );
    assert.equal(agent.lines.filter((l) => l.type === 'webhook').length, 1);
  } finally {
    await agent.stop();
  }
});

test('without a secret the endpoint is off: 404, and --webhook-secret-file needs --metrics-address', async () => {
  const alone = await driftdeck(['agent', '--repo', repo.remote, '--webhook-secret-file', '/nonexistent']);
  assert.notEqual(alone.code, 0);
  assert.match(alone.stderr, /--webhook-secret-file needs --metrics-address: the webhook is served there/);
  const agent = startAgent(['--repo', repo.remote, '--interval', '600', '--metrics-address', '127.0.0.1:0']);
  try {
    const address = await eventually(
      'the agent to say the webhook is off',
      async () =>
        /webhook off .*\n?/.test(agent.stderr()) &&
        /on http:\/\/(127\.0\.0\.1:\d+)/.exec(agent.stderr())?.[1],
      30_000,
      200,
    );
    const body = githubPush('0'.repeat(40));
    const r = await send(`http://${address}/api/webhook`, forgeHeaders('github', body, SECRET), body);
    assert.equal(r.status, 404);
    assert.equal(agent.lines.filter((l) => l.type === 'webhook').length, 0);
  } finally {
    await agent.stop();
  }
});
