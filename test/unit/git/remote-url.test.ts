import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cacheFolderName,
  normalizeRemoteUrl,
  redactUrl,
  redactUrlsIn,
  validateSource,
} from '../../../source/git/remote-url.js';

test('normalizeRemoteUrl makes local paths absolute and leaves remote URLs alone', () => {
  const cases: Array<[string, string]> = [
    ['repos/app.git', '/work/repos/app.git'],
    ['./app', '/work/app'],
    ['/srv/git/app.git/', '/srv/git/app.git'],
    ['file:///srv/git/app.git', 'file:///srv/git/app.git'],
    ['https://github.com/acme/deploy.git', 'https://github.com/acme/deploy.git'],
    ['ssh://git@github.com:22/acme/deploy.git', 'ssh://git@github.com:22/acme/deploy.git'],
    ['git@github.com:acme/deploy.git', 'git@github.com:acme/deploy.git'],
    ['  host:deploy  ', 'host:deploy'],
  ];
  for (const [url, expected] of cases) assert.equal(normalizeRemoteUrl(url, '/work'), expected, url);
});

test('cacheFolderName is stable, readable, distinct per URL and safe as a folder name', () => {
  const a = cacheFolderName('https://github.com/acme/deploy.git');
  assert.equal(a, cacheFolderName('https://github.com/acme/deploy.git'));
  assert.match(a, /^deploy-[0-9a-f]{16}$/);
  assert.notEqual(a, cacheFolderName('https://github.com/other/deploy.git'));
  assert.notEqual(a, cacheFolderName('git@github.com:acme/deploy.git'));
  assert.match(cacheFolderName('git@github.com:acme/deploy.git'), /^deploy-[0-9a-f]{16}$/);
  assert.match(cacheFolderName('/srv/git/My Repo!.git/'), /^My-Repo-[0-9a-f]{16}$/);
  assert.match(cacheFolderName('https://user:s3cret@host.example'), /^host\.example-[0-9a-f]{16}$/);
  assert.match(cacheFolderName('/'), /^[0-9a-f]{16}$/);
  for (const url of ['https://h/a/../../etc', '..', 'C:\\repos\\x', 'https://tok@h/r.git']) {
    const name = cacheFolderName(url);
    assert.doesNotMatch(name, /[/\\]|^\.\.?$|s3cret|tok@/, `${url} -> ${name}`);
  }
});

test('redactUrl masks a password or token (the whole user part over https), nothing else', () => {
  assert.equal(redactUrl('https://bob:ghp_abc@github.com/a/b.git'), 'https://***@github.com/a/b.git');
  // A token given as the user name over https is hidden too; an ssh user name is not a secret.
  assert.equal(redactUrl('https://ghp_abc@github.com/a/b.git'), 'https://***@github.com/a/b.git');
  assert.equal(redactUrl('ssh://git@github.com/a/b.git'), 'ssh://git@github.com/a/b.git');
  assert.equal(redactUrl('ssh://bob:pw@host/a/b.git'), 'ssh://bob:***@host/a/b.git');
  assert.equal(redactUrl('https://github.com/a/b.git'), 'https://github.com/a/b.git');
  assert.equal(redactUrl('git@github.com:a/b.git'), 'git@github.com:a/b.git');
  assert.equal(redactUrl('/srv/a:b@c'), '/srv/a:b@c');
});

test('validateSource refuses option-like URLs and invalid branch names', () => {
  assert.equal(validateSource('https://h/r.git', 'main'), undefined);
  assert.equal(validateSource('/srv/r', 'release/v1.2'), undefined);
  assert.match(validateSource('', 'main') ?? '', /URL is empty/);
  assert.match(validateSource('--upload-pack=evil', 'main') ?? '', /starts with "-"/);
  for (const branch of ['', '-x', 'a..b', 'a b', 'a~1', 'x.lock', 'a:b', '/a', 'a/', 'a@{1}', 'a\\b']) {
    assert.match(validateSource('/srv/r', branch) ?? '', /not a valid branch name/, JSON.stringify(branch));
  }
});

test('redactUrl masks every query value (access_token, private_token, signatures) and keeps the names', () => {
  assert.equal(
    redactUrl('https://git.example/a/b.git?access_token=glpat-123&ref=x'),
    'https://git.example/a/b.git?access_token=***&ref=***',
  );
  assert.equal(
    redactUrl('https://bob:pw@git.example/r.git?private_token=abc#frag'),
    'https://***@git.example/r.git?private_token=***#***',
  );
  assert.equal(redactUrl('https://git.example/r.git?bare-secret'), 'https://git.example/r.git?=***');
  assert.equal(redactUrl('/srv/odd?name=kept'), '/srv/odd?name=kept', 'a local path is a path, not a URL');
});

test('redactUrlsIn masks the URLs git quotes in its messages', () => {
  const stderr =
    "fatal: unable to access 'https://bob:hunter2@git.example/r.git/?access_token=tok-1/': Operation too slow";
  const shown = redactUrlsIn(stderr);
  assert.doesNotMatch(shown, /hunter2|tok-1/);
  assert.match(shown, /unable to access 'https:\/\/\*\*\*@git\.example\/r\.git\/\?access_token=\*\*\*'/);
});

test('cacheFolderName of a redacted URL names the repository, never a query parameter', () => {
  const url = redactUrl('https://git.example/acme/deploy.git?access_token=tok-123');
  assert.match(cacheFolderName(url), /^deploy-[0-9a-f]{16}$/);
  assert.equal(
    cacheFolderName(url),
    cacheFolderName(redactUrl('https://git.example/acme/deploy.git?access_token=another')),
    'one cache per repository, whatever token reaches it',
  );
});
