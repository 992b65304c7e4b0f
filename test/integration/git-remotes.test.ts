// GitSource against real remotes through the system git: ssh (a private sshd, keys from an ssh-agent) and https
// (git http-backend behind Basic auth, a self-signed certificate, credentials from a git credential helper).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { GitError } from '../../source/git/git-error.js';
import { GitSource } from '../../source/git/git-source.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';
import {
  Cleanup,
  type GitHttpsServer,
  requireTools,
  type SshAgent,
  type SshServer,
  shellQuote,
  sshKeygen,
  startGitHttpsServer,
  startSshAgent,
  startSshServer,
} from './git-servers.js';

const TIMEOUT = { timeout: 120_000 };
const OPERATOR = 'alice@console-1';

/** Two web versions and an api, pushed to the bare remote; the tests run in order on this history. */
async function seededRemote(cleanup: Cleanup, prefix: string) {
  const fixture = await createGitFixture(prefix);
  cleanup.add(() => fixture.cleanup());
  const v1 = fixture.commit(fixture.seed, { 'apps/web/deploy.yaml': 'image: web:1\n' }, 'web: v1');
  const v2 = fixture.commit(fixture.seed, { 'apps/web/deploy.yaml': 'image: web:2\n' }, 'web: v2');
  fixture.commit(fixture.seed, { 'apps/api/deploy.yaml': 'image: api:1\n' }, 'api: v1');
  fixture.push(fixture.seed);
  return { fixture, v1, v2 };
}

function tracedSource(url: string, cacheDir: string, env: NodeJS.ProcessEnv) {
  const commands: string[][] = [];
  const source = new GitSource({
    url,
    branch: 'main',
    cacheDir,
    env,
    operator: OPERATOR,
    trace: (args) => commands.push([...args]),
  });
  /** Whether a `name` command ran against `url` (git was given the remote itself, not a local path). */
  const ranAgainst = (name: string) => commands.some((args) => args.includes(name) && args.includes(url));
  return { source, commands, ranAgainst };
}

/** A commit pushed to the bare remote by another clone, as a colleague would. */
function pushFromElsewhere(fixture: GitFixture, files: Record<string, string>, message: string) {
  const other = fixture.clone('colleague');
  const sha = fixture.commit(other, files, message);
  fixture.push(other);
  return sha;
}

/** Head of the bare remote as `git --git-dir <bare> log` shows it: sha, subject and the file's content. */
function bareHead(fixture: GitFixture, file: string) {
  const [sha, subject] = fixture
    .git(fixture.root, '--git-dir', fixture.remote, 'log', '-1', '--format=%H%n%s', 'refs/heads/main')
    .trim()
    .split('\n');
  return { sha, subject, content: fixture.git(fixture.remote, 'show', `refs/heads/main:${file}`) };
}

/** A one-line GitError with a hint, whose message starts with `prefix` and matches `reason`. */
function clearGitError(prefix: string, reason: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof GitError, `a GitError, not ${inspect(error)}`);
    assert.ok(error.message.startsWith(prefix), error.message);
    assert.match(error.message, reason);
    assert.doesNotMatch(error.message, /\n|at .*\.[jt]s:\d+/, 'one line, no stack');
    assert.match(error.hint ?? '', /credentials/);
    return true;
  };
}

describe('GitSource over ssh: a private sshd, keys from an ssh-agent', () => {
  const cleanup = new Cleanup();
  let fixture: GitFixture;
  let v1: string;
  let v2: string;
  let sshd: SshServer;
  let agent: SshAgent;
  let keys: string;
  let url: string;
  let caches = 0;

  before(async () => {
    await requireTools({ sshd: true, ssh: true });
    ({ fixture, v1, v2 } = await seededRemote(cleanup, 'driftdeck-git-ssh-'));
    keys = path.join(fixture.root, 'ssh');
    await fs.mkdir(keys);
    const client = await sshKeygen(path.join(keys, 'client'), 'driftdeck-test-client');
    await sshKeygen(path.join(keys, 'stranger'), 'driftdeck-test-stranger');
    sshd = await startSshServer(path.join(keys, 'sshd'), [client]);
    cleanup.add(() => sshd.stop());
    agent = await startSshAgent(path.join(keys, 'agent.sock'), [path.join(keys, 'client')]);
    cleanup.add(() => agent.stop());
    url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}${fixture.remote}`;
  });
  after(() => cleanup.run());

  /** ssh that never asks anything: the host key is checked against our known_hosts, keys come from the agent. */
  const sshCommand = (knownHosts = sshd.knownHosts) =>
    [
      'ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes',
      `-o UserKnownHostsFile=${shellQuote(knownHosts)} -o GlobalKnownHostsFile=/dev/null`,
      '-o IdentitiesOnly=no -o IdentityFile=none -o ConnectTimeout=30',
    ].join(' ');
  const sshEnv = (agentSocket: string | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...fixture.env, GIT_SSH_COMMAND: sshCommand(), ...extra };
    delete env.SSH_AUTH_SOCK;
    delete env.SSH_ASKPASS;
    if (agentSocket !== undefined) env.SSH_AUTH_SOCK = agentSocket;
    return env;
  };
  const freshCache = () => path.join(fixture.root, `cache-${++caches}`);
  const logins = () => sshd.log().match(/Accepted publickey for \S+ from 127\.0\.0\.1/g)?.length ?? 0;

  test(
    'the first poll clones over ssh and returns the head; the next one sees a new commit',
    TIMEOUT,
    async () => {
      const { source, ranAgainst } = tracedSource(url, freshCache(), sshEnv(agent.socket));
      assert.equal(source.url, url, 'the ssh URL is kept as it is');

      const first = await source.poll();
      assert.equal(first.head, fixture.remoteHead());
      assert.equal(first.head, fixture.git(fixture.seed, 'rev-parse', 'HEAD').trim());
      assert.equal(
        fixture.git(source.paths.mirror, 'rev-parse', 'refs/remotes/origin/main').trim(),
        first.head,
      );
      assert.ok(ranAgainst('ls-remote') && ranAgainst('fetch'), 'ls-remote and fetch went to the ssh URL');
      assert.match(sshd.log(), /Accepted publickey for \S+ from 127\.0\.0\.1 port \d+ ssh2: ED25519/);

      const seen = logins();
      const pushed = pushFromElsewhere(fixture, { 'apps/api/deploy.yaml': 'image: api:2\n' }, 'api: v2');
      assert.deepEqual(await source.poll(), { head: pushed, moved: true });
      assert.equal(fixture.git(source.paths.mirror, 'rev-parse', 'refs/remotes/origin/main').trim(), pushed);
      assert.ok(logins() > seen, 'the new commit came over ssh');
      assert.deepEqual(await source.poll(), { head: pushed, moved: false });
    },
  );

  test('checkout of a revision and history of a path over ssh', TIMEOUT, async () => {
    const { source } = tracedSource(url, freshCache(), sshEnv(agent.socket));
    const tree = await source.checkout(v1);
    assert.equal(await fs.readFile(path.join(tree, 'apps/web/deploy.yaml'), 'utf8'), 'image: web:1\n');
    await assert.rejects(fs.access(path.join(tree, 'apps/api')), 'v1 had no api yet');
    const latest = await source.checkout(fixture.remoteHead());
    assert.equal(await fs.readFile(path.join(latest, 'apps/api/deploy.yaml'), 'utf8'), 'image: api:2\n');

    const history = await source.history('apps/web', v1);
    assert.deepEqual(
      history.map((entry) => [entry.sha, entry.subject, entry.deployed]),
      [
        [v2, 'web: v2', false],
        [v1, 'web: v1', true],
      ],
    );
    const api = await source.log('apps/api');
    assert.deepEqual(
      api.map((commit) => commit.subject),
      ['api: v2', 'api: v1'],
    );
  });

  test('a revert is pushed over ssh and lands in the bare remote', TIMEOUT, async () => {
    const { source, ranAgainst } = tracedSource(url, freshCache(), sshEnv(agent.socket));
    const before = fixture.remoteHead();
    const outcome = await source.revert(v2);

    assert.ok(ranAgainst('push'), 'the push went to the ssh URL');
    const head = bareHead(fixture, 'apps/web/deploy.yaml');
    assert.deepEqual(head, { sha: outcome.newSha, subject: 'Revert "web: v2"', content: 'image: web:1\n' });
    assert.equal(fixture.git(fixture.remote, 'rev-parse', `${outcome.newSha}^`).trim(), before);
    assert.match(
      fixture.git(fixture.remote, 'log', '-1', '--format=%B', outcome.newSha),
      /driftdeck by alice@/,
    );
    assert.deepEqual(await source.poll(), { head: outcome.newSha, moved: false });
  });

  test('an scp-like URL with core.sshCommand from GIT_CONFIG_* (driftdeck keeps it)', TIMEOUT, async () => {
    const scpLike = `${sshd.user}@127.0.0.1:${fixture.remote}`;
    const env = sshEnv(agent.socket, {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'core.sshCommand',
      GIT_CONFIG_VALUE_0: `${sshCommand()} -p ${sshd.port}`,
    });
    delete env.GIT_SSH_COMMAND;
    const { source, ranAgainst } = tracedSource(scpLike, freshCache(), env);
    assert.equal(source.url, scpLike, 'not taken for a local path');
    assert.equal((await source.poll()).head, fixture.remoteHead());
    assert.ok(ranAgainst('ls-remote'));
    assert.equal((await source.log('apps/web', { limit: 1 }))[0]?.subject, 'Revert "web: v2"');
  });

  test('a refused key or an unknown host is a clear GitError, never a hang', {
    timeout: 60_000,
  }, async () => {
    const stranger = await startSshAgent(path.join(keys, 'stranger.sock'), [path.join(keys, 'stranger')]);
    cleanup.add(() => stranger.stop());
    const empty = await startSshAgent(path.join(keys, 'empty.sock'), []);
    cleanup.add(() => empty.stop());
    const unknownHosts = path.join(keys, 'no_known_hosts');
    await fs.writeFile(unknownHosts, '');
    const head = fixture.remoteHead();
    const cases: [string, NodeJS.ProcessEnv, RegExp][] = [
      ['an agent holding another key', sshEnv(stranger.socket), /Permission denied \(publickey\)/],
      ['an empty agent', sshEnv(empty.socket), /Permission denied \(publickey\)/],
      ['no agent at all', sshEnv(undefined), /Permission denied \(publickey\)/],
      [
        'an unknown host key',
        sshEnv(agent.socket, { GIT_SSH_COMMAND: sshCommand(unknownHosts) }),
        /Host key verification failed/,
      ],
    ];
    for (const [name, env, reason] of cases) {
      const source = new GitSource({ url, branch: 'main', cacheDir: freshCache(), env });
      await assert.rejects(source.poll(), clearGitError(`cannot reach ${url}: `, reason), name);
      await assert.rejects(source.ensureClone(), clearGitError(`cannot fetch ${url}: `, reason), name);
      await assert.rejects(source.revert(v1), (error: unknown) => {
        assert.ok(
          error instanceof GitError && error.message.startsWith(`cannot fetch ${url}: `),
          inspect(error),
        );
        assert.match(error.message, new RegExp(`${reason.source}.*; nothing was pushed$`));
        return true;
      });
    }
    assert.equal(fixture.remoteHead(), head, 'nothing was pushed');
  });
});

describe('GitSource over https: git http-backend, Basic auth, a credential helper', () => {
  const cleanup = new Cleanup();
  const user = 'deployer';
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const wrongPassword = `wrong-${randomBytes(12).toString('hex')}`;
  let fixture: GitFixture;
  let v2: string;
  let server: GitHttpsServer;
  let url: string;
  let caches = 0;

  before(async () => {
    await requireTools({ openssl: true });
    ({ fixture, v2 } = await seededRemote(cleanup, 'driftdeck-git-https-'));
    fixture.git(fixture.remote, 'config', 'http.receivepack', 'true');
    server = await startGitHttpsServer({
      dir: path.join(fixture.root, 'https'),
      projectRoot: fixture.root,
      user,
      password,
    });
    cleanup.add(() => server.stop());
    url = server.url('remote.git');
  });
  after(() => cleanup.run());

  /** A credential store file holding `secret` for the server; git may rewrite or empty it. */
  const credentials = async (name: string, secret: string) => {
    const file = path.join(fixture.root, name);
    const entry = `https://${encodeURIComponent(user)}:${encodeURIComponent(secret)}@127.0.0.1:${server.port}`;
    await fs.writeFile(file, `${entry}\n`, { mode: 0o600 });
    return file;
  };
  /** Credentials only through a helper configured in the environment; the certificate trusted by GIT_SSL_CAINFO. */
  const httpsEnv = (store: string | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...fixture.env,
    GIT_SSL_CAINFO: server.caFile,
    GIT_TERMINAL_PROMPT: '0',
    ...(store === undefined
      ? {}
      : {
          GIT_CONFIG_COUNT: '1',
          GIT_CONFIG_KEY_0: 'credential.helper',
          GIT_CONFIG_VALUE_0: `store --file ${shellQuote(store)}`,
        }),
    ...extra,
  });
  const freshCache = () => path.join(fixture.root, `cache-${++caches}`);
  const served = (method: string, file: string) =>
    server.requests.filter((request) => request.method === method && request.path === `/remote.git/${file}`);

  test('poll clones over https with the helper`s credentials and sees a new commit', TIMEOUT, async () => {
    assert.doesNotMatch(url, /@/, 'no credentials in the URL');
    const { source, commands, ranAgainst } = tracedSource(
      url,
      freshCache(),
      httpsEnv(await credentials('creds', password)),
    );
    const first = await source.poll();
    assert.equal(first.head, fixture.remoteHead());
    assert.equal(
      fixture.git(source.paths.mirror, 'rev-parse', 'refs/remotes/origin/main').trim(),
      first.head,
    );
    assert.ok(ranAgainst('ls-remote') && ranAgainst('fetch'));
    assert.ok(
      server.requests.some((request) => request.status === 401),
      'git asked without credentials first',
    );
    const answered = server.requests.filter((request) => request.status !== 401);
    assert.ok(answered.length > 0);
    for (const request of answered) assert.equal(request.user, user, inspect(request));
    assert.ok(served('POST', 'git-upload-pack').some((request) => request.status === 200));

    const pushed = pushFromElsewhere(fixture, { 'apps/api/deploy.yaml': 'image: api:2\n' }, 'api: v2');
    assert.deepEqual(await source.poll(), { head: pushed, moved: true });
    const tree = await source.checkout(pushed);
    assert.equal(await fs.readFile(path.join(tree, 'apps/api/deploy.yaml'), 'utf8'), 'image: api:2\n');
    assert.ok(!commands.flat().some((arg) => arg.includes(password)), 'the password is never an argument');
  });

  test('a revert is pushed over https and lands in the bare remote', TIMEOUT, async () => {
    const { source, ranAgainst } = tracedSource(
      url,
      freshCache(),
      httpsEnv(await credentials('creds', password)),
    );
    const before = fixture.remoteHead();
    const outcome = await source.revert(v2);

    assert.ok(ranAgainst('push'));
    const head = bareHead(fixture, 'apps/web/deploy.yaml');
    assert.deepEqual(head, { sha: outcome.newSha, subject: 'Revert "web: v2"', content: 'image: web:1\n' });
    assert.equal(fixture.git(fixture.remote, 'rev-parse', `${outcome.newSha}^`).trim(), before);
    const receives = served('POST', 'git-receive-pack');
    assert.deepEqual(
      receives.map((request) => [request.status, request.user]),
      [[200, user]],
    );
    assert.deepEqual(await source.poll(), { head: outcome.newSha, moved: false });
  });

  test('a wrong password is a clear error that never shows a password', TIMEOUT, async () => {
    const head = fixture.remoteHead();
    const store = path.join(fixture.root, 'wrong-creds');
    const source = new GitSource({ url, branch: 'main', cacheDir: freshCache(), env: httpsEnv(store) });
    const refused = server.requests.length;
    // git drops refused credentials from the store, so every attempt gets them written again.
    const attempts: [string, () => Promise<unknown>, string][] = [
      ['remoteHead', () => source.remoteHead(), `cannot reach ${url}: `],
      ['poll', () => source.poll(), `cannot reach ${url}: `],
      ['ensureClone', () => source.ensureClone(), `cannot fetch ${url}: `],
      ['revert', () => source.revert(v2), `cannot fetch ${url}: `],
    ];
    for (const [name, attempt, prefix] of attempts) {
      await credentials('wrong-creds', wrongPassword);
      const error = await attempt().then(
        () => assert.fail(`${name} succeeded with a wrong password`),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof GitError, `${name}: ${inspect(error)}`);
      assert.ok(error.message.startsWith(prefix), error.message);
      assert.match(error.message, /Authentication failed/);
      const everything = `${inspect(error, { depth: 10 })}\n${error.hint ?? ''}\n${String(error)}`;
      for (const secret of [wrongPassword, password]) {
        assert.ok(!everything.includes(secret), `${name} shows a password: ${everything}`);
      }
    }
    assert.equal(fixture.remoteHead(), head, 'nothing was pushed');
    const tried = server.requests.slice(refused);
    assert.ok(tried.length > 0 && tried.every((request) => request.status === 401 && !request.user));
  });

  test(
    'no credentials, or a certificate nobody trusts, is a clear error and never a prompt',
    TIMEOUT,
    async () => {
      // driftdeck itself makes git non-interactive: no GIT_TERMINAL_PROMPT in this environment.
      const bare = httpsEnv(undefined);
      delete bare.GIT_TERMINAL_PROMPT;
      const anonymous = new GitSource({ url, branch: 'main', cacheDir: freshCache(), env: bare });
      await assert.rejects(
        anonymous.poll(),
        clearGitError(`cannot reach ${url}: `, /terminal prompts disabled/),
      );

      const untrusted = httpsEnv(await credentials('creds-untrusted', password));
      delete untrusted.GIT_SSL_CAINFO;
      const source = new GitSource({ url, branch: 'main', cacheDir: freshCache(), env: untrusted });
      await assert.rejects(source.poll(), clearGitError(`cannot reach ${url}: `, /certificate/i));
    },
  );
});
