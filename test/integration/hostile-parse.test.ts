// A hostile commit's manifests and driftdeck.yaml, refused when they are parsed (issue 11, items 1, 9, 11, 12):
// through the built CLI on the real cluster, each attack is named with file and line by diff, status and sync,
// nothing is applied, and no value the attack aims at, or carries, is printed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { driftdeck, startAgent } from '../support/cli.js';
import { createNamespace, kubeConfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

const core = () => kubeConfig().makeApiClient(CoreV1Api);

let appNs: Awaited<ReturnType<typeof createNamespace>>;
let victim: Awaited<ReturnType<typeof createNamespace>>;
/** A value only the victim namespace's Secret holds: it must never be printed. */
const SECRET_VALUE = `hunter2-${randomBytes(8).toString('hex')}`;

before(async () => {
  appNs = await createNamespace('hostile-parse');
  victim = await createNamespace('hostile-victim');
  await core().createNamespacedSecret({
    namespace: victim.name,
    body: { metadata: { name: 'db-password' }, stringData: { password: SECRET_VALUE } },
  });
});
after(async () => {
  await appNs?.remove();
  await victim?.remove();
});

const exists = async (read: () => Promise<unknown>) =>
  read().then(
    () => true,
    (err: { code?: number }) => {
      if (err.code === 404) return false;
      throw err;
    },
  );
const configMapExists = (namespace: string, name: string) =>
  exists(() => core().readNamespacedConfigMap({ namespace, name }));
const secretExists = (namespace: string, name: string) =>
  exists(() => core().readNamespacedSecret({ namespace, name }));

interface Refusal {
  /** Every word the three commands printed, for checks that something is never in it. */
  printed: string;
}

/**
 * diff, status and sync of `app` each refuse the commit naming `where` (file:line) and `what`: diff and sync exit
 * 2 (a render error), status shows the app as Error with the file and line and exits non-zero.
 */
async function refusedEverywhere(repo: TestRepo, app: string, where: string, what: RegExp): Promise<Refusal> {
  const [file, line] = where.split(':');
  const diff = await driftdeck(['diff', app, '--repo', repo.remote]);
  assert.equal(diff.code, 2, `diff exits 2: ${diff.stderr}${diff.stdout}`);
  assert.ok(diff.stderr.includes(`${where}:`), `diff names ${where}: ${diff.stderr}`);
  assert.match(diff.stderr, what);

  const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  assert.notEqual(status.code, 0, status.stderr);
  const rows = JSON.parse(status.stdout) as Array<{
    name: string;
    sync: string;
    error?: { file?: string; line?: number; message: string };
  }>;
  const row = rows.find((r) => r.name === app);
  assert.equal(row?.sync, 'Error', JSON.stringify(row));
  assert.equal(row?.error?.file, file);
  assert.equal(row?.error?.line, Number(line));
  assert.match(row?.error?.message ?? '', what);

  const sync = await driftdeck(['sync', app, '--repo', repo.remote]);
  assert.equal(sync.code, 2, `sync exits 2: ${sync.stderr}${sync.stdout}`);
  assert.ok(sync.stderr.includes(`${where}:`), `sync names ${where}: ${sync.stderr}`);
  return { printed: [diff, status, sync].map((r) => r.stdout + r.stderr).join('\n') };
}

function assertNeverPrinted(refusal: Refusal, value: string, what: string): void {
  assert.ok(!refusal.printed.includes(value), `${what} is not printed`);
  const base64 = Buffer.from(value).toString('base64');
  assert.ok(!refusal.printed.includes(base64), `${what} is not printed in base64`);
}

describe('a hostile commit is refused at parse', () => {
  test('a namespace that reaches into another path ("<ns>/secrets#") lists nothing, applies nothing, shows no Secret', async () => {
    const app = uniqueName('peek');
    const repo = await makeRepo({
      'driftdeck.yaml': appsFile([{ name: app, path: 'peek', namespace: appNs.name }]),
      // The first object makes the adapter list /api/v1/namespaces/<victim>/secrets as if it were ConfigMaps;
      // the second then shows what it found under the Secret's name.
      'peek/a-path.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: innocent\n  namespace: "${victim.name}/secrets#"\ndata:\n  v: "1"\n`,
      'peek/b-show.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db-password\n  namespace: ${victim.name}\ndata:\n  v: "1"\n`,
    });
    try {
      const refusal = await refusedEverywhere(
        repo,
        app,
        'peek/a-path.yaml:5',
        /ConfigMap "innocent": metadata\.namespace ".*\/secrets#" is not a DNS-1123 label/,
      );
      assertNeverPrinted(refusal, SECRET_VALUE, "the victim Secret's value");
      assert.equal(await configMapExists(victim.name, 'db-password'), false, 'nothing was applied');
      assert.equal(await configMapExists(appNs.name, 'innocent'), false, 'nothing was applied');
    } finally {
      await repo.cleanup();
    }
  });

  test('an apiVersion with more than one "/" is refused with file and line; the other app keeps syncing', async () => {
    const app = uniqueName('shapes');
    const other = uniqueName('fine');
    const repo = await makeRepo({
      'driftdeck.yaml': appsFile([
        { name: app, path: 'shapes', namespace: appNs.name },
        { name: other, path: 'fine', namespace: appNs.name },
      ]),
      'shapes/ok.yaml': configMap('shapes-ok', { v: '1' }),
      'shapes/web.yaml':
        'apiVersion: apps/v1/deployments\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n',
      'fine/c.yaml': configMap('fine-c', { v: '1' }),
    });
    try {
      await refusedEverywhere(
        repo,
        app,
        'shapes/web.yaml:1',
        /Deployment "web": apiVersion "apps\/v1\/deployments" has more than one "\/"/,
      );
      assert.equal(
        await configMapExists(appNs.name, 'shapes-ok'),
        false,
        'the good file was not applied either',
      );
      const fine = await driftdeck(['sync', other, '--repo', repo.remote]);
      assert.equal(fine.code, 0, fine.stderr + fine.stdout);
      assert.equal(await configMapExists(appNs.name, 'fine-c'), true);
    } finally {
      await repo.cleanup();
    }
  });

  const PIN = String(100_000 + (randomBytes(3).readUIntBE(0, 3) % 900_000));
  const secrets: Array<{ name: string; body: string; line: number; what: RegExp }> = [
    {
      name: 'a number under data',
      body: `data:\n  user: YWRtaW4=\n  pin: ${PIN}\n`,
      line: 8,
      what: /Secret "bank": data\.pin must be base64 text, got a number; the value is not shown/,
    },
    {
      name: 'a nested map under stringData',
      body: `stringData:\n  login:\n    pin: "${PIN}"\n`,
      line: 7,
      what: /Secret "bank": stringData\.login must be a string, got a mapping; the value is not shown/,
    },
  ];
  for (const c of secrets) {
    test(`a Secret with ${c.name} is refused before sending, without its value`, async () => {
      const app = uniqueName('bank');
      const repo = await makeRepo({
        'driftdeck.yaml': appsFile([{ name: app, path: 'bank', namespace: appNs.name }]),
        'bank/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: bank\n  namespace: ${appNs.name}\n${c.body}`,
      });
      try {
        const refusal = await refusedEverywhere(repo, app, `bank/secret.yaml:${c.line}`, c.what);
        assertNeverPrinted(refusal, PIN, 'the pin');
        assert.equal(await secretExists(appNs.name, 'bank'), false, 'the Secret was not sent');
      } finally {
        await repo.cleanup();
      }
    });
  }

  test('a manifest that is just a token is refused without printing it', async () => {
    const token = `ghp_${randomBytes(18).toString('hex')}`;
    const app = uniqueName('leak');
    const repo = await makeRepo({
      'driftdeck.yaml': appsFile([{ name: app, path: 'leak', namespace: appNs.name }]),
      'leak/token.yaml': `${token}\n`,
    });
    try {
      const refusal = await refusedEverywhere(
        repo,
        app,
        'leak/token.yaml:1',
        /expected a Kubernetes object \(a mapping\), got a string/,
      );
      assertNeverPrinted(refusal, token, 'the token');
      assert.ok(!refusal.printed.includes(token.slice(0, 12)), 'no part of the token is printed');
    } finally {
      await repo.cleanup();
    }
  });

  test('an object with 8,000 changed lines shows a "too large to diff" note instead of freezing', async () => {
    const app = uniqueName('huge');
    const data = (tag: string) =>
      Object.fromEntries(Array.from({ length: 8_000 }, (_, i) => [`k${i}`, `${tag}-${i}`]));
    const repo = await makeRepo({
      'driftdeck.yaml': appsFile([{ name: app, path: 'huge', namespace: appNs.name }]),
      'huge/big.yaml': configMap('big', data('old')),
    });
    try {
      const synced = await driftdeck(['sync', app, '--repo', repo.remote]);
      assert.equal(synced.code, 0, synced.stderr + synced.stdout);
      await repo.commit({ 'huge/big.yaml': configMap('big', data('new')) }, 'Every value changes');
      const diff = await driftdeck(['diff', app, '--repo', repo.remote]);
      assert.equal(diff.code, 1, diff.stderr);
      assert.match(diff.stdout, /^# ConfigMap\/big OutOfSync/m);
      assert.match(
        diff.stdout,
        /^\\ too large to diff here \(more than 1000 lines added or removed; \d+ lines live, \d+ desired\): compare them with kubectl diff$/m,
      );
      assert.doesNotMatch(diff.stdout, /^[-+] {2}k\d+: /m, 'no partial diff is printed');
    } finally {
      await repo.cleanup();
    }
  });
});

describe('a hostile driftdeck.yaml', () => {
  let repo: TestRepo;
  after(async () => repo?.cleanup());

  test('a billion laughs in Helm values is a located error; the running agent reports it and carries on', async () => {
    const app = uniqueName('laughs');
    repo = await makeRepo({
      'driftdeck.yaml': appsFile([{ name: app, path: 'conf', namespace: appNs.name, auto: true }]),
      'conf/a.yaml': configMap('laughs-a', { v: '1' }),
    });
    const laughs = [
      'x:',
      '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...['b', 'c', 'd', 'e', 'f', 'g'].map(
        (n, i) => `  ${n}: &${n} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`,
      ),
    ].join('\n');
    const agent = startAgent(['--repo', repo.remote, '--interval', '1']);
    try {
      await agent.waitFor('the first sync', (l) => l.app === app && l.sync === 'Synced');
      await repo.commit(
        {
          'driftdeck.yaml': `${laughs}\napps:\n  - name: ${app}\n    path: conf\n    namespace: ${appNs.name}\n    renderer:\n      type: helm\n      values: {laughs: *g}\n`,
        },
        'Helm values from a billion laughs',
      );
      const error = await agent.waitFor(
        'the located config error',
        (l) => l.type === 'render-error' && String(l.message).startsWith('driftdeck.yaml:'),
      );
      assert.match(
        String(error.message),
        /^driftdeck\.yaml:1:1 x: unknown key "x".*driftdeck\.yaml:15:15 apps\[0\]\.renderer\.values: expected a mapping of Helm values; aliases \(\*name\) expand it more than 100 times over/,
      );
      const mark = agent.lines.length;
      await repo.commit(
        {
          'driftdeck.yaml': appsFile([{ name: app, path: 'conf', namespace: appNs.name, auto: true }]),
          'conf/a.yaml': configMap('laughs-a', { v: '2' }),
        },
        'Back to a plain driftdeck.yaml, v2',
      );
      await agent.waitFor(
        'the next commit synced',
        (l) => l.app === app && l.type === 'applied' && agent.lines.indexOf(l) >= mark,
      );
      assert.equal(agent.child.exitCode, null, 'the agent kept running');
    } finally {
      await agent.stop();
    }
  });
});
