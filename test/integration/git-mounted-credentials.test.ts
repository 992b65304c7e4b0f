// GitSource with the agent's git credentials Secret as the kubelet mounts it (a folder of Flux's key names), against
// real remotes: a private sshd (identity + known_hosts, host key checked strictly) and git http-backend over https
// (username + password, the server's CA from ca.crt). Nothing else gives git credentials: no ssh-agent, no helper.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GitSource } from '../../source/git/git-source.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';
import {
  Cleanup,
  type GitHttpsServer,
  requireTools,
  type SshServer,
  sshKeygen,
  startGitHttpsServer,
  startSshServer,
} from './git-servers.js';

const TIMEOUT = { timeout: 120_000 };

async function mountFolder(root: string, name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir);
  for (const [key, text] of Object.entries(files))
    await fs.writeFile(path.join(dir, key), text, { mode: 0o400 });
  return dir;
}

/** git's environment with nothing that could hand it credentials of its own. */
function bareEnv(fixture: GitFixture): NodeJS.ProcessEnv {
  const env = { ...fixture.env };
  for (const name of [
    'SSH_AUTH_SOCK',
    'GIT_SSH_COMMAND',
    'GIT_SSH',
    'GIT_SSL_CAINFO',
    'GIT_ASKPASS',
    'SSH_ASKPASS',
  ])
    delete env[name];
  return env;
}

describe('mounted ssh credentials: identity and known_hosts', () => {
  const cleanup = new Cleanup();
  let fixture: GitFixture;
  let sshd: SshServer;
  let url: string;
  let identity: string;
  let stranger: string;

  before(async () => {
    await requireTools({ sshd: true, ssh: true });
    fixture = await createGitFixture('driftdeck-mounted-ssh-');
    cleanup.add(() => fixture.cleanup());
    fixture.commit(fixture.seed, { 'apps/web/cm.yaml': 'a: 1\n' }, 'web');
    fixture.push(fixture.seed);
    const keys = path.join(fixture.root, 'keys');
    await fs.mkdir(keys);
    const client = await sshKeygen(path.join(keys, 'client'), 'driftdeck-test-client');
    sshd = await startSshServer(path.join(keys, 'sshd'), [client]);
    cleanup.add(() => sshd.stop());
    // Another server's host key, as a known_hosts for the wrong host would hold.
    stranger = (await sshKeygen(path.join(keys, 'stranger'), 'stranger')).split(' ').slice(0, 2).join(' ');
    identity = await fs.readFile(path.join(keys, 'client'), 'utf8');
    url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}${fixture.remote}`;
  });
  after(() => cleanup.run());

  test(
    'the poll logs in with the mounted key and checks the host against the mounted known_hosts',
    TIMEOUT,
    async () => {
      const dir = await mountFolder(fixture.root, 'mount-good', {
        identity,
        known_hosts: await fs.readFile(sshd.knownHosts, 'utf8'),
      });
      const commands: string[][] = [];
      const source = new GitSource({
        url,
        branch: 'main',
        cacheDir: path.join(fixture.root, 'cache-good'),
        env: bareEnv(fixture),
        credentialsDir: dir,
        trace: (args) => commands.push([...args]),
      });
      assert.equal((await source.poll()).head, fixture.remoteHead());
      assert.match(sshd.log(), /Accepted publickey for \S+ from 127\.0\.0\.1 port \d+ ssh2: ED25519/);
      assert.ok(!JSON.stringify(commands).includes('PRIVATE KEY'));
    },
  );

  test('a known_hosts naming another key: the host is refused, nothing is fetched', TIMEOUT, async () => {
    const dir = await mountFolder(fixture.root, 'mount-wrong-host', {
      identity,
      known_hosts: `[127.0.0.1]:${sshd.port} ${stranger}\n`,
    });
    const source = new GitSource({
      url,
      branch: 'main',
      cacheDir: path.join(fixture.root, 'cache-wrong'),
      env: bareEnv(fixture),
      credentialsDir: dir,
    });
    await assert.rejects(source.poll(), /Host key verification failed|host key/i);
  });
});

describe('mounted https credentials: username, password and ca.crt', () => {
  const cleanup = new Cleanup();
  let fixture: GitFixture;
  let server: GitHttpsServer;
  const password = 'mounted-pa55-word';

  before(async () => {
    await requireTools({ openssl: true });
    fixture = await createGitFixture('driftdeck-mounted-https-');
    cleanup.add(() => fixture.cleanup());
    fixture.commit(fixture.seed, { 'apps/web/cm.yaml': 'a: 1\n' }, 'web');
    fixture.push(fixture.seed);
    server = await startGitHttpsServer({
      dir: path.join(fixture.root, 'https'),
      projectRoot: path.dirname(fixture.remote),
      user: 'deploy-bot',
      password,
    });
    cleanup.add(() => server.stop());
  });
  after(() => cleanup.run());

  const source = async (name: string, files: Record<string, string>, trace?: string[][]) =>
    new GitSource({
      url: server.url(path.basename(fixture.remote)),
      branch: 'main',
      cacheDir: path.join(fixture.root, `cache-${name}`),
      env: bareEnv(fixture),
      credentialsDir: await mountFolder(fixture.root, `mount-${name}`, files),
      ...(trace ? { trace: (args: readonly string[]) => trace.push([...args]) } : {}),
    });

  test(
    'the poll authenticates with the mounted Basic credentials and trusts the mounted CA',
    TIMEOUT,
    async () => {
      const commands: string[][] = [];
      const ca = await fs.readFile(server.caFile, 'utf8');
      const git = await source('good', { username: 'deploy-bot\n', password, 'ca.crt': ca }, commands);
      assert.equal((await git.poll()).head, fixture.remoteHead());
      assert.ok(server.requests.some((r) => r.user === 'deploy-bot' && r.status === 200));
      assert.ok(!JSON.stringify(commands).includes(password), 'the password is on no command line');
    },
  );

  test(
    'a wrong password fails the poll without showing it; no CA: the certificate is refused',
    TIMEOUT,
    async () => {
      const ca = await fs.readFile(server.caFile, 'utf8');
      const wrong = await source('wrong', {
        username: 'deploy-bot',
        password: 'not-it-at-all',
        'ca.crt': ca,
      });
      await assert.rejects(wrong.poll(), (error: Error) => {
        assert.ok(!error.message.includes('not-it-at-all'), error.message);
        return true;
      });
      const noCa = await source('no-ca', { username: 'deploy-bot', password });
      await assert.rejects(noCa.poll(), /certificate/i);
    },
  );
});
