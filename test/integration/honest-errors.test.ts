// Honest errors through the built CLI: a repository that cannot be read fails every one-shot command with the
// agent's own message and exit 2 (never an empty table and exit 0), and a missing kubeconfig says what is missing
// and the ways out (never "HTTP protocol is not allowed when skipTLSVerify is not set or false").
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { driftdeck, startAgent } from '../support/cli.js';
import { uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

/** Every command that reads the repository once and exits, with the arguments each needs. */
const ONE_SHOT: Array<[string, string[]]> = [
  ['status', ['status']],
  ['diff', ['diff', 'web']],
  ['sync', ['sync', 'web']],
  ['history', ['history', 'web']],
  ['revert', ['revert', 'HEAD', '--yes']],
];

/** What the agent prints for the repository: the message of its first app-less error event. */
async function agentMessage(repo: string): Promise<string> {
  const agent = startAgent(['--repo', repo, '--readonly']);
  try {
    const line = await agent.waitFor('the repository error', (l) => l.app === '' && l.level === 'error');
    return String(line.message);
  } finally {
    await agent.stop();
  }
}

let home: string;
let good: TestRepo;
let invalid: TestRepo;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'driftdeck-home-'));
  const app = { name: 'web', path: 'web', namespace: uniqueName('honest') };
  good = await makeRepo({ 'driftdeck.yaml': appsFile([app]), 'web/cm.yaml': configMap('web', { v: '1' }) });
  invalid = await makeRepo({
    // Line 3 names an app with a character a Kubernetes label refuses; the agent reports it with file and line.
    'driftdeck.yaml': `${appsFile([app])}  - name: "not a name!"\n    path: web\n    namespace: default\n`,
    'web/cm.yaml': configMap('web', { v: '1' }),
  });
});
after(async () => {
  await rm(home, { recursive: true, force: true });
  await good?.cleanup();
  await invalid?.cleanup();
});

describe('a repository that cannot be read', () => {
  // A revert is Git alone and does not read driftdeck.yaml: reverting the commit that broke it is the way out, so
  // an invalid driftdeck.yaml refuses every command but revert.
  const cases: Array<[string, () => string, string[]]> = [
    ['a path that does not exist', () => join(home, 'no', 'such', 'path'), []],
    ['an invalid driftdeck.yaml', () => invalid.remote, ['revert']],
  ];
  for (const [what, repo, exempt] of cases) {
    test(`${what}: every one-shot command says what the agent says and exits 2`, async () => {
      const message = await agentMessage(repo());
      assert.ok(message.length > 0);
      for (const [name, args] of ONE_SHOT.filter(([name]) => !exempt.includes(name))) {
        const r = await driftdeck([...args, '--repo', repo()]);
        assert.equal(r.stderr, `driftdeck: ${message}\n`, `${name}: ${r.stderr}${r.stdout}`);
        assert.equal(r.code, 2, `${name} exit code`);
        assert.equal(r.stdout, '', `${name} prints no table`);
      }
    });
  }

  test('the invalid driftdeck.yaml is named with its line', async () => {
    const r = await driftdeck(['status', '--repo', invalid.remote]);
    assert.match(r.stderr, /driftdeck\.yaml:\d+/);
  });
});

describe('no kubeconfig', () => {
  /** A person with an empty home and no KUBECONFIG, and no --kubeconfig. */
  const bare = (args: string[], env: Record<string, string | undefined> = {}) =>
    driftdeck(args, 60_000, { testCluster: false, env: { HOME: home, KUBECONFIG: undefined, ...env } });

  for (const args of [
    ['status'],
    ['console'],
    ['diff', 'web'],
    ['sync', 'web'],
    ['history', 'web'],
    ['agent'],
  ]) {
    test(`${args[0]} says what is missing and the three ways out`, async () => {
      const r = await bare([...args, '--repo', good.remote]);
      assert.equal(r.code, 2, r.stderr + r.stdout);
      assert.doesNotMatch(r.stderr, /HTTP protocol is not allowed/);
      assert.match(r.stderr, /no kubeconfig: KUBECONFIG is not set and .*\.kube\/config does not exist/);
      for (const way of ['KUBECONFIG', '--kubeconfig', 'driftdeck cluster up'])
        assert.ok(r.stderr.includes(way), `names ${way}: ${r.stderr}`);
    });
  }

  test('a --kubeconfig file that does not exist is named as such', async () => {
    const missing = join(home, 'kube', 'missing.yaml');
    const r = await bare(['status', '--repo', good.remote, '--kubeconfig', missing]);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(
      r.stderr.includes(`the kubeconfig file ${missing} (given with --kubeconfig) does not exist`),
      r.stderr,
    );
  });

  test('a KUBECONFIG naming a file that does not exist is named as such', async () => {
    const missing = join(home, 'kube', 'gone.yaml');
    const r = await bare(['status', '--repo', good.remote], { KUBECONFIG: missing });
    assert.equal(r.code, 2, r.stderr);
    assert.ok(
      r.stderr.includes(`the kubeconfig file ${missing} (named by KUBECONFIG) does not exist`),
      r.stderr,
    );
  });
});
