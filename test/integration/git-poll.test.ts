import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { GitError } from '../../source/git/git-error.js';
import { GitSource } from '../../source/git/git-source.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';

async function seeded(t: { after: (fn: () => Promise<void>) => void }): Promise<GitFixture> {
  const fixture = await createGitFixture();
  t.after(() => fixture.cleanup());
  fixture.commit(fixture.seed, { 'apps/web/deploy.yaml': 'replicas: 1\n' }, 'web: first');
  fixture.push(fixture.seed);
  return fixture;
}

function traced(fixture: GitFixture, remote = fixture.remote) {
  const commands: string[][] = [];
  const source = new GitSource({
    url: remote,
    branch: 'main',
    cacheDir: fixture.cacheDir,
    env: fixture.env,
    trace: (args) => commands.push([...args]),
  });
  const count = (name: string) => commands.filter((args) => args.includes(name)).length;
  return { source, commands, count };
}

test('poll sees a commit pushed by another clone, and fetches only then', async (t) => {
  const fixture = await seeded(t);
  const { source, count } = traced(fixture);

  const first = await source.poll();
  assert.equal(first.head, fixture.remoteHead());
  assert.equal(first.moved, false, 'a fresh clone already holds the head');
  const fetchesAfterClone = count('fetch');

  const still = await source.poll();
  assert.deepEqual(still, { head: first.head, moved: false });
  assert.equal(count('fetch'), fetchesAfterClone, 'no fetch when the remote did not move');
  assert.equal(count('ls-remote'), 2);

  const other = fixture.clone('other');
  const pushed = fixture.commit(other, { 'apps/web/deploy.yaml': 'replicas: 2\n' }, 'web: two replicas');
  fixture.push(other);

  const moved = await source.poll();
  assert.deepEqual(moved, { head: pushed, moved: true });
  assert.equal(count('fetch'), fetchesAfterClone + 1, 'exactly one fetch for the move');
  const cached = fixture.git(source.paths.mirror, 'rev-parse', 'refs/remotes/origin/main').trim();
  assert.equal(cached, pushed, 'the cache holds the new head');

  assert.deepEqual(await source.poll(), { head: pushed, moved: false });
  assert.equal(count('fetch'), fetchesAfterClone + 1);
});

test('concurrent callers share one clone, and a later run reuses it', async (t) => {
  const fixture = await seeded(t);
  const { source, count } = traced(fixture);
  await Promise.all([source.ensureClone(), source.ensureClone(), source.poll(), source.poll()]);
  assert.equal(count('init'), 1, 'one clone for every caller');
  assert.equal(count('ls-remote'), 1, 'concurrent polls share one');

  const entries = await fs.readdir(fixture.cacheDir);
  assert.equal(entries.length, 1, `one cache folder per url: ${entries.join(', ')}`);

  const later = traced(fixture);
  assert.equal(later.source.paths.mirror, source.paths.mirror);
  const polled = await later.source.poll();
  assert.equal(polled.head, fixture.remoteHead());
  assert.equal(later.count('init'), 0, 'the next run clones nothing');
  assert.equal(later.count('fetch'), 0);
});

test('remoteHead names the url when the branch does not exist', async (t) => {
  const fixture = await seeded(t);
  const source = new GitSource({
    url: fixture.remote,
    branch: 'nope',
    cacheDir: fixture.cacheDir,
    env: fixture.env,
  });
  await assert.rejects(source.remoteHead(), (error: unknown) => {
    assert.ok(error instanceof GitError);
    assert.match(error.message, /branch "nope" does not exist on /);
    assert.ok(error.message.includes(fixture.remote));
    return true;
  });
  await assert.rejects(source.poll(), /branch "nope" does not exist/);
});

test('an unreachable remote is a clear error, and polling recovers when it comes back', async (t) => {
  const fixture = await seeded(t);
  const { source } = traced(fixture);
  const head = (await source.poll()).head;
  const away = path.join(fixture.root, 'remote-away.git');

  await fs.rename(fixture.remote, away);
  for (const attempt of [() => source.poll(), () => source.remoteHead()]) {
    await assert.rejects(attempt(), (error: unknown) => {
      assert.ok(error instanceof GitError);
      assert.ok(error.message.startsWith(`cannot reach ${fixture.remote}: `), error.message);
      assert.match(error.message, /does not appear to be a git repository/);
      assert.doesNotMatch(error.message, /\n|\s{2,}|at .*\.js:\d+/, 'one trimmed line, no stack');
      assert.ok(error.hint);
      return true;
    });
  }
  // A fresh cache cannot be made while the remote is away either, and says so.
  const fresh = new GitSource({
    url: fixture.remote,
    branch: 'main',
    cacheDir: path.join(fixture.root, 'cache-2'),
    env: fixture.env,
  });
  await assert.rejects(
    fresh.ensureClone(),
    /cannot fetch .*remote\.git: .*does not appear to be a git repository/,
  );

  await fs.rename(away, fixture.remote);
  assert.deepEqual(await source.poll(), { head, moved: false });
  await fresh.ensureClone();
  assert.equal((await fresh.poll()).head, head);
});

test('the constructor refuses what git would read as an option', () => {
  assert.throws(
    () => new GitSource({ url: '--upload-pack=touch x', branch: 'main', cacheDir: '/tmp/x' }),
    GitError,
  );
  assert.throws(
    () => new GitSource({ url: '/tmp/repo', branch: 'a..b', cacheDir: '/tmp/x' }),
    /valid branch/,
  );
});
