// The agent's git credentials Secret as mounted (Flux's key names): what git is given for each transport, that no
// secret value reaches an argument, and errors that name the file of a malformed key without quoting it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { nonInteractiveEnv } from '../../../source/git/git-env.js';
import {
  credentialsForGit,
  gitCredentialsDir,
  readGitCredentials,
} from '../../../source/git/mounted-credentials.js';

let root: string;
let plainKey: string;
let lockedKey: string;
const HOSTS =
  'git.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n';

before(() => {
  root = mkdtempSync(join(tmpdir(), 'driftdeck-gitcreds-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(root, 'plain')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret phrase', '-f', join(root, 'locked')]);
  plainKey = execFileSync('cat', [join(root, 'plain')], { encoding: 'utf8' });
  lockedKey = execFileSync('cat', [join(root, 'locked')], { encoding: 'utf8' });
});
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A folder laid out as the kubelet mounts a Secret's keys. */
function mount(files: Record<string, string>): string {
  const dir = join(root, `mount-${n++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o400 });
  return dir;
}

test('no folder, or a folder without any of the keys, is no credentials', () => {
  assert.equal(readGitCredentials(join(root, 'absent')), undefined);
  assert.equal(readGitCredentials(mount({ 'identity.pub': 'ssh-ed25519 AAAA' })), undefined);
  assert.equal(gitCredentialsDir({}), '/etc/driftdeck/git');
  assert.equal(gitCredentialsDir({ DRIFTDECK_GIT_CREDENTIALS: '/x/y' }), '/x/y');
});

test('ssh: the key and known_hosts by path, with strict host key checking, and nothing of the key in the command', () => {
  const dir = mount({ identity: plainKey, known_hosts: HOSTS });
  const creds = readGitCredentials(dir);
  assert.ok(creds);
  const forGit = credentialsForGit(creds, 'ssh://git@git.example.com/acme/deploy.git', 'shown', {});
  assert.deepEqual(forGit.env, {});
  const env = nonInteractiveEnv(
    { GIT_SSH_COMMAND: 'my-own-ssh' },
    { sshCommandConfigured: false, sshOptions: forGit.sshOptions },
  );
  const command = env.GIT_SSH_COMMAND ?? '';
  assert.match(command, /^ssh -o BatchMode=yes .* -o StrictHostKeyChecking=yes /);
  assert.ok(command.includes(`-o UserKnownHostsFile='${join(dir, 'known_hosts')}'`), command);
  assert.ok(command.includes(`-i '${join(dir, 'identity')}' -o IdentitiesOnly=yes`), command);
  assert.ok(!command.includes('PRIVATE KEY'));
  // scp-like addresses are ssh too
  assert.ok(credentialsForGit(creds, 'git@git.example.com:acme/deploy.git', 's', {}).sshOptions.length > 0);
});

test('https username and password: a credential helper scoped to the origin reads them from the environment', () => {
  const dir = mount({
    username: 'bot\n',
    password: 's3cr3t-pa55\n',
    'ca.crt': '-----BEGIN CERTIFICATE-----\nAA\n',
  });
  const creds = readGitCredentials(dir);
  assert.ok(creds);
  const { env } = credentialsForGit(creds, 'https://Git.Example.com:8443/acme/deploy.git', 's', {
    GIT_CONFIG_COUNT: '1',
  });
  assert.equal(env.GIT_CONFIG_COUNT, '4');
  assert.deepEqual(
    [env.GIT_CONFIG_KEY_1, env.GIT_CONFIG_VALUE_1],
    ['http.https://git.example.com:8443/.sslCAInfo', join(dir, 'ca.crt')],
  );
  assert.equal(env.GIT_CONFIG_KEY_2, 'credential.https://git.example.com:8443.helper');
  assert.equal(env.GIT_CONFIG_VALUE_2, '');
  assert.match(env.GIT_CONFIG_VALUE_3 ?? '', /^!f\(\) .*\$DRIFTDECK_GIT_PASSWORD/);
  assert.equal(env.DRIFTDECK_GIT_USERNAME, 'bot');
  assert.equal(env.DRIFTDECK_GIT_PASSWORD, 's3cr3t-pa55');
  for (const [name, value] of Object.entries(env))
    if (name.startsWith('GIT_CONFIG')) assert.ok(!value?.includes('s3cr3t'), `${name} holds the password`);
});

test('https bearerToken: an Authorization header for that origin only, given through the environment', () => {
  const creds = readGitCredentials(mount({ bearerToken: 'glpat-abc123\n' }));
  assert.ok(creds);
  const { env } = credentialsForGit(creds, 'https://git.example.com/acme/deploy.git', 's', {});
  assert.equal(env.GIT_CONFIG_KEY_0, 'http.https://git.example.com/.extraHeader');
  assert.equal(env.GIT_CONFIG_VALUE_0, 'Authorization: Bearer glpat-abc123');
});

test('a malformed mount is refused, naming the file and never quoting it', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ identity: plainKey }, /identity has no known_hosts beside it/],
    [{ identity: lockedKey, known_hosts: HOSTS }, /identity is protected by a passphrase/],
    [{ identity: 'hunter2', known_hosts: HOSTS }, /identity is not a private key in PEM form/],
    [{ known_hosts: 'git.example.com hunter2\n' }, /known_hosts line 1 is not "<hosts> <key type> <key>"/],
    [{ known_hosts: '# nothing\n' }, /known_hosts has no host key/],
    [{ username: 'bot' }, /username has no password beside it/],
    [{ password: 'hunter2' }, /password has no username beside it/],
    [{ username: 'bot', password: 'hun\nter2' }, /password has a line break or NUL/],
    [{ username: 'bot', password: 'x', bearerToken: 'y' }, /holds both username\/password and bearerToken/],
    [{ bearerToken: 'hunter 2' }, /bearerToken has spaces, control or non-ASCII characters/],
    [{ 'ca.crt': 'hunter2' }, /ca\.crt holds no PEM certificate/],
    [{ password: '', username: 'bot' }, /password is empty/],
  ];
  for (const [files, expected] of cases) {
    const dir = mount(files);
    assert.throws(
      () => readGitCredentials(dir),
      (error: Error) => {
        assert.match(error.message, expected);
        assert.ok(error.message.includes(dir), error.message);
        assert.ok(!error.message.includes('hunter'), error.message);
        return true;
      },
    );
  }
});

test('credentials for another transport than the repository are an error, not silently unused', () => {
  const ssh = readGitCredentials(mount({ identity: plainKey, known_hosts: HOSTS }));
  assert.ok(ssh);
  assert.throws(
    () => credentialsForGit(ssh, 'https://git.example.com/r.git', 'https://git.example.com/r.git', {}),
    /are for ssh \(identity\), but the repository https:\/\/git\.example\.com\/r\.git is https/,
  );
  const https = readGitCredentials(mount({ bearerToken: 'tok' }));
  assert.ok(https);
  assert.throws(() => credentialsForGit(https, '/srv/repo', '/srv/repo', {}), /is a local path/);
});
