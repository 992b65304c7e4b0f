import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GitError } from '../../../source/git/git-error.js';
import {
  PASSWORD_VARIABLE,
  remoteForGit,
  USERNAME_VARIABLE,
} from '../../../source/git/remote-credentials.js';

/** The GIT_CONFIG_KEY/VALUE pairs an environment sets, in order. */
function settings(env: NodeJS.ProcessEnv): Array<[string, string]> {
  const count = Number(env.GIT_CONFIG_COUNT ?? 0);
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < count; i += 1) {
    if (env[`GIT_CONFIG_KEY_${i}`] !== undefined)
      pairs.push([env[`GIT_CONFIG_KEY_${i}`] ?? '', env[`GIT_CONFIG_VALUE_${i}`] ?? '']);
  }
  return pairs;
}

test('https user:password leaves the URL and reaches git through a credential helper reading the environment', () => {
  const remote = remoteForGit('https://bob:s%40cr%3At@git.example:8443/acme/deploy.git', {});
  assert.equal(remote.url, 'https://git.example:8443/acme/deploy.git');
  assert.equal(remote.shown, 'https://***@git.example:8443/acme/deploy.git');
  assert.equal(remote.env[USERNAME_VARIABLE], 'bob');
  assert.equal(remote.env[PASSWORD_VARIABLE], 's@cr:t', 'percent-encoding decoded as git would');
  const pairs = settings(remote.env);
  assert.deepEqual(
    pairs.map(([key]) => key),
    ['credential.https://git.example:8443.helper', 'credential.https://git.example:8443.helper'],
  );
  assert.equal(pairs[0]?.[1], '', 'the user helpers are set aside for this remote');
  assert.match(pairs[1]?.[1] ?? '', /^!f\(\) \{ test "\$1" = get/);
  for (const [key, value] of pairs) assert.doesNotMatch(`${key}=${value}`, /s@cr|s%40cr|bob/);
});

test('settings are appended after the ones the user gives through GIT_CONFIG_COUNT', () => {
  const remote = remoteForGit('https://bob:pw@git.example/r.git', { GIT_CONFIG_COUNT: '2' });
  assert.equal(remote.env.GIT_CONFIG_COUNT, '4');
  assert.equal(remote.env.GIT_CONFIG_KEY_0, undefined, 'the user settings are left alone');
  assert.equal(remote.env.GIT_CONFIG_KEY_2, 'credential.https://git.example.helper');
});

test('a lone user part over https (often a token) becomes credential.username, off the URL', () => {
  const remote = remoteForGit('https://ghp_token123@github.com/acme/deploy.git', {});
  assert.equal(remote.url, 'https://github.com/acme/deploy.git');
  assert.deepEqual(settings(remote.env), [['credential.https://github.com.username', 'ghp_token123']]);
  assert.equal(remote.env[PASSWORD_VARIABLE], undefined, 'the user helpers still supply a password');
});

test('other schemes keep the login, drop a password, and URLs without credentials are untouched', () => {
  assert.equal(remoteForGit('ssh://git:pw@host/r.git', {}).url, 'ssh://git@host/r.git');
  assert.equal(remoteForGit('ssh://git@host/r.git', {}).url, 'ssh://git@host/r.git');
  assert.equal(remoteForGit('git@host:r.git', {}).url, 'git@host:r.git');
  const plain = remoteForGit('https://host/r.git?access_token=tok', {});
  assert.equal(
    plain.url,
    'https://host/r.git?access_token=tok',
    'the server reads a query token from the URL',
  );
  assert.equal(plain.shown, 'https://host/r.git?access_token=***');
  assert.deepEqual(plain.env, {});
});

test('credentials git could not take are refused with the URL masked', () => {
  for (const url of ['https://bob:%E0%A4%A@host/r.git', 'https://bob:a%0Ab@host/r.git']) {
    assert.throws(
      () => remoteForGit(url, {}),
      (error: unknown) =>
        error instanceof GitError &&
        /credentials in the repository URL https:\/\/\*\*\*@host\/r\.git/.test(error.message),
    );
  }
});
