// A hostile repository against the renderers' path confinement, through the built CLI with the real kustomize and
// helm (on PATH from the dev cluster's tools). Each app tries to render a file from outside the checkout: a folder
// in a temporary place that holds a marker, a local Git repository, or a fake ~/.kube/config under a temporary HOME.
// The marker must never reach `driftdeck diff` or `status`, and the refusal names the kustomization or chart file
// and the offending entry.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runGit } from '../../source/demo/git.js';
import { driftdeck } from '../support/cli.js';
import { createNamespace } from '../support/cluster.js';
import { gitEnv, makeRepo, type TestRepo } from '../support/repo.js';
import { type GitHttpsServer, requireTools, startGitHttpsServer } from './git-servers.js';

const MARKER = `outside-marker-${randomBytes(6).toString('hex')}`;
const KUBECONFIG_MARKER = `operator-kubeconfig-${randomBytes(6).toString('hex')}`;

const kustomization = (body: string) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;
const markerConfigMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stolen\ndata:\n  loot: ${MARKER}\n`;
const chart = (name: string) => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`;
const filesTemplate = (path: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stolen\ndata:\n  loot: {{ .Files.Get "${path}" | quote }}\n`;

let outside = '';
let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;

/** From anywhere in the checkout up to `/`, then down to `abs`: kustomize cleans the extra `..` away at the root. */
const upTo = (abs: string) => `${'../'.repeat(24)}${abs.replace(/^\//, '')}`;

interface Case {
  name: string;
  app: string;
  files: () => Record<string, string>;
  links?: () => Record<string, string>;
  /** What the refusal must name: the file, then the entry. */
  file: RegExp;
  entry: RegExp;
}

const cases: Case[] = [
  {
    name: 'a YAML alias naming a folder outside',
    app: 'alias',
    files: () => ({
      'alias/kustomization.yaml': kustomization(
        `metadata:\n  name: &p ${upTo(join(outside, 'base'))}\nresources: [*p]\n`,
      ),
    }),
    file: /alias\/kustomization\.yaml:\d+/,
    entry: /resources\[0\] entry/,
  },
  {
    name: 'a merge key bringing in resources outside',
    app: 'merge',
    files: () => ({
      'merge/kustomization.yaml': kustomization(`<<: {resources: [${upTo(join(outside, 'base'))}]}\n`),
    }),
    file: /merge\/kustomization\.yaml:\d+/,
    entry: /resources\[0\] entry/,
  },
  {
    name: 'a github.com/../../.. path, local to kustomize',
    app: 'github',
    files: () => ({
      'github/kustomization.yaml': kustomization(
        `resources:\n  - github.com/${upTo(join(outside, 'base'))}\n`,
      ),
    }),
    file: /github\/kustomization\.yaml:\d+/,
    entry: /resources\[0\] entry "github\.com\//,
  },
  {
    name: 'a file:// URL to a Git repository on this machine',
    app: 'fileurl',
    files: () => ({
      'fileurl/kustomization.yaml': kustomization(`resources:\n  - file://${join(outside, 'local-repo')}\n`),
    }),
    file: /fileurl\/kustomization\.yaml:\d+/,
    entry: /resources\[0\] entry "file:\/\/.*file:\/\/ URL/,
  },
  {
    name: 'a chart dot-folder linked to ~/.kube (.Files.Get ".data/config")',
    app: 'chart-dot-data',
    files: () => ({
      'chart-dot-data/Chart.yaml': chart('dot-data'),
      'chart-dot-data/templates/cm.yaml': filesTemplate('.data/config'),
    }),
    links: () => ({ 'chart-dot-data/.data': join(outside, 'home', '.kube') }),
    file: /chart-dot-data\/\.data/,
    entry: /symlink chart-dot-data\/\.data/,
  },
  {
    name: 'a link to ~/.kube/config inside a chart dot-folder',
    app: 'chart-dot-x',
    files: () => ({
      'chart-dot-x/Chart.yaml': chart('dot-x'),
      'chart-dot-x/templates/cm.yaml': filesTemplate('.x/config'),
      'chart-dot-x/.x/README': 'kept\n',
    }),
    links: () => ({ 'chart-dot-x/.x/config': join(outside, 'home', '.kube', 'config') }),
    file: /chart-dot-x\/\.x\/config/,
    entry: /symlink chart-dot-x\/\.x\/config/,
  },
];

before(async () => {
  outside = await realpath(await mkdtemp(join(tmpdir(), 'driftdeck-outside-')));
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(outside, path)), { recursive: true });
    await writeFile(join(outside, path), text);
  };
  await write('base/kustomization.yaml', kustomization('resources: [cm.yaml]\n'));
  await write('base/cm.yaml', markerConfigMap);
  await write('home/.kube/config', `users:\n  - name: admin\n    user:\n      token: ${KUBECONFIG_MARKER}\n`);
  // A repository on this machine, as another remote's cache would be.
  const local = join(outside, 'local-repo');
  await write('local-repo/kustomization.yaml', kustomization('resources: [cm.yaml]\n'));
  await write('local-repo/cm.yaml', markerConfigMap);
  const env = gitEnv();
  await runGit(local, ['init', '-q', '-b', 'main'], env);
  await runGit(local, ['add', '-A'], env);
  await runGit(local, ['commit', '-q', '-m', 'Local repository'], env);

  ns = await createNamespace('hostile-confine');
  const apps = cases
    .map((c) => `  - name: ${c.app}\n    path: ${c.app}\n    namespace: ${ns.name}\n`)
    .join('');
  repo = await makeRepo({ 'driftdeck.yaml': `apps:\n${apps}` });
  const files: Record<string, string> = {};
  for (const c of cases) Object.assign(files, c.files());
  for (const c of cases) {
    for (const [link, target] of Object.entries(c.links?.() ?? {})) {
      await mkdir(dirname(join(repo.workdir, link)), { recursive: true });
      await symlink(target, join(repo.workdir, link));
    }
  }
  await repo.commit(files, 'Apps that reach outside the checkout');
});
after(async () => {
  await ns?.remove();
  await repo?.cleanup();
  if (outside) await rm(outside, { recursive: true, force: true });
});

describe('a hostile repository cannot render files from outside its checkout', () => {
  for (const c of cases) {
    it(`refuses ${c.name}, naming the file and the entry`, async () => {
      const diff = await driftdeck(['diff', c.app, '--repo', repo.remote]);
      const diffOut = diff.stdout + diff.stderr;
      const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
      for (const [what, out] of [
        ['diff', diffOut],
        ['status', status.stdout + status.stderr],
      ]) {
        assert.ok(!out!.includes(MARKER), `${what} shows the outside file's content:\n${out}`);
        assert.ok(!out!.includes(KUBECONFIG_MARKER), `${what} shows the operator's kubeconfig:\n${out}`);
      }
      assert.equal(diff.code, 2, diffOut);
      assert.match(diffOut, c.file);
      assert.match(diffOut, c.entry);
      const row = (
        JSON.parse(status.stdout) as Array<{ name: string; sync: string; error?: { message: string } }>
      ).find((r) => r.name === c.app);
      assert.equal(row?.sync, 'Error', JSON.stringify(row));
    });
  }
});

// Remote bases stay allowed, but what a remote kustomization names is out of driftdeck's sight: a remote base that
// names `file:///some/local/repo` must be stopped by Git itself (GIT_ALLOW_PROTOCOL), not by a check of ours.
describe('a remote base cannot reach a repository on this machine either', () => {
  let server: GitHttpsServer;
  let served = '';
  let remoteRepo: TestRepo;
  let remoteNs: Awaited<ReturnType<typeof createNamespace>>;

  before(async () => {
    await requireTools({ openssl: true });
    served = await realpath(await mkdtemp(join(tmpdir(), 'driftdeck-served-')));
    const work = join(served, 'work');
    await mkdir(join(work, 'base'), { recursive: true });
    await writeFile(
      join(work, 'base', 'kustomization.yaml'),
      kustomization(`resources:\n  - file://${join(outside, 'local-repo')}\n`),
    );
    const env = gitEnv();
    await runGit(work, ['init', '-q', '-b', 'main'], env);
    await runGit(work, ['add', '-A'], env);
    await runGit(work, ['commit', '-q', '-m', 'A base that reaches this machine'], env);
    await runGit(served, ['clone', '-q', '--bare', work, join(served, 'root', 'shared.git')], env);
    server = await startGitHttpsServer({
      dir: join(served, 'server'),
      projectRoot: join(served, 'root'),
      user: 'reader',
      password: 'reader-password',
    });
    // kustomize's git inherits the environment of driftdeck, which inherits this one.
    process.env.GIT_SSL_CAINFO = server.caFile;
    remoteNs = await createNamespace('hostile-remote');
    const url = server.url('shared.git//base').replace('https://', 'https://reader:reader-password@');
    remoteRepo = await makeRepo({
      'driftdeck.yaml': `apps:\n  - name: remote-base\n    path: remote-base\n    namespace: ${remoteNs.name}\n`,
      'remote-base/kustomization.yaml': kustomization(`resources:\n  - ${url}\n`),
    });
  });
  after(async () => {
    delete process.env.GIT_SSL_CAINFO;
    await server?.stop();
    await remoteNs?.remove();
    await remoteRepo?.cleanup();
    if (served) await rm(served, { recursive: true, force: true });
  });

  it('refuses a file:// base named by a remote kustomization, fetched over https', async () => {
    const diff = await driftdeck(['diff', 'remote-base', '--repo', remoteRepo.remote]);
    const out = diff.stdout + diff.stderr;
    assert.ok(!out.includes(MARKER), `diff shows the local repository's content:\n${out}`);
    assert.ok(
      server.requests.some((r) => r.user === 'reader'),
      'kustomize fetched the remote base (remote bases stay allowed)',
    );
    assert.equal(diff.code, 2, out);
    assert.match(out, /remote-base\/kustomization\.yaml/);
    assert.match(out, /transport 'file' not allowed/);
  });
});
