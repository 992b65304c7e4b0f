import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { GitSource } from '../../source/git/git-source.js';
import { createGitFixture, IDENTITY } from './git-fixture.js';

async function fixtureWithHistory(t: { after: (fn: () => Promise<void>) => void }) {
  const fixture = await createGitFixture();
  t.after(() => fixture.cleanup());
  const { seed } = fixture;
  const web1 = fixture.commit(
    seed,
    { 'apps/web/deploy.yaml': 'image: web:1\n', 'README.md': 'hi\n' },
    'web: v1',
  );
  const api1 = fixture.commit(seed, { 'apps/api/deploy.yaml': 'image: api:1\n' }, 'api: v1');
  const web2 = fixture.commit(
    seed,
    { 'apps/web/deploy.yaml': 'image: web:2\n', 'apps/web/svc.yaml': 'port: 80\n' },
    'web: v2 and a service',
  );
  const docs = fixture.commit(seed, { 'README.md': 'hello\n' }, 'docs');
  const web3 = fixture.commit(seed, { 'apps/web/svc.yaml': null }, 'web: drop the service');
  fixture.push(seed);
  const source = new GitSource({
    url: fixture.remote,
    branch: 'main',
    cacheDir: fixture.cacheDir,
    env: fixture.env,
  });
  return { fixture, source, shas: { web1, api1, web2, docs, web3 } };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

test('checkout of two revisions gives each its own tree, reused and read-only', async (t) => {
  const { source, shas } = await fixtureWithHistory(t);
  const [older, newer] = await Promise.all([source.checkout(shas.web1), source.checkout(shas.web2)]);
  assert.notEqual(older, newer);
  assert.deepEqual(await listFiles(older), ['README.md', 'apps/web/deploy.yaml']);
  assert.deepEqual(await listFiles(newer), [
    'README.md',
    'apps/api/deploy.yaml',
    'apps/web/deploy.yaml',
    'apps/web/svc.yaml',
  ]);
  assert.equal(await fs.readFile(path.join(older, 'apps/web/deploy.yaml'), 'utf8'), 'image: web:1\n');
  assert.equal(await fs.readFile(path.join(newer, 'apps/web/deploy.yaml'), 'utf8'), 'image: web:2\n');
  assert.equal(
    (await fs.stat(path.join(newer, 'apps/web/deploy.yaml'))).mode & 0o222,
    0,
    'files are read-only',
  );
  assert.equal(await fs.readdir(newer).then((names) => names.includes('.git')), false, 'a tree, not a repo');

  const again = await Promise.all([source.checkout(shas.web2), source.checkout(shas.web2.slice(0, 10))]);
  assert.deepEqual(again, [newer, newer], 'the same revision, even abbreviated, reuses its folder');
  await assert.rejects(source.checkout('0123456789abcdef'), /unknown revision "0123456789abcdef"/);
});

test('checkout keeps only the most recently used trees', async (t) => {
  const { fixture, shas } = await fixtureWithHistory(t);
  const source = new GitSource({
    url: fixture.remote,
    branch: 'main',
    cacheDir: fixture.cacheDir,
    env: fixture.env,
    keepTrees: 2,
  });
  const dirs: string[] = [];
  for (const sha of [shas.web1, shas.api1, shas.web2, shas.docs]) dirs.push(await source.checkout(sha));
  await source.prunedTrees();
  const kept = (await fs.readdir(source.paths.trees)).sort();
  assert.deepEqual(kept, [shas.web2, shas.docs].sort());
  assert.equal(await fs.readFile(path.join(dirs[3]!, 'README.md'), 'utf8'), 'hello\n');
  // A pruned revision comes back on demand.
  assert.equal(await fs.readFile(path.join(await source.checkout(shas.web1), 'README.md'), 'utf8'), 'hi\n');
});

test('log of an app path lists only the commits touching it, newest first', async (t) => {
  const { source, shas } = await fixtureWithHistory(t);
  const web = await source.log('apps/web');
  assert.deepEqual(
    web.map((commit) => commit.subject),
    ['web: drop the service', 'web: v2 and a service', 'web: v1'],
  );
  assert.deepEqual(
    web.map((commit) => commit.sha),
    [shas.web3, shas.web2, shas.web1],
  );
  const [newest] = web;
  assert.equal(newest?.author, IDENTITY.name);
  assert.equal(newest?.email, IDENTITY.email);
  assert.ok(newest && shas.web3.startsWith(newest.shortSha) && newest.shortSha.length >= 7);
  assert.ok(newest && !Number.isNaN(Date.parse(newest.date)), 'ISO 8601 date');

  assert.deepEqual(
    (await source.log('./apps/api/')).map((commit) => commit.sha),
    [shas.api1],
  );
  assert.equal((await source.log('apps/web', { limit: 1 })).length, 1);
  assert.deepEqual(
    (await source.log('apps/web', { rev: shas.web2 })).map((commit) => commit.sha),
    [shas.web2, shas.web1],
  );
  assert.equal((await source.log('')).length, 5, 'the root is the whole history');
  assert.deepEqual(await source.log('apps/none'), []);
});

test('history marks the newest commit of the path at or before the deployed revision', async (t) => {
  const { source, shas } = await fixtureWithHistory(t);
  const deployedAt = async (revision?: string) =>
    (await source.history('apps/web', revision)).filter((entry) => entry.deployed).map((entry) => entry.sha);

  assert.deepEqual(await deployedAt(shas.web2), [shas.web2]);
  // `docs` did not touch the app: what is deployed of it is still web2.
  assert.deepEqual(await deployedAt(shas.docs), [shas.web2]);
  assert.deepEqual(await deployedAt(shas.api1), [shas.web1]);
  assert.deepEqual(await deployedAt(shas.web3), [shas.web3]);
  assert.deepEqual(await deployedAt(undefined), []);
  assert.deepEqual(await deployedAt('f'.repeat(40)), [], 'an unknown deployed revision marks nothing');
  const entries = await source.history('apps/web', shas.web1);
  assert.equal(entries.length, 3);
  assert.deepEqual(
    entries.map((entry) => entry.deployed),
    [false, false, true],
  );
});
