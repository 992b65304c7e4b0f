import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { GitError } from '../../source/git/git-error.js';
import { GitSource } from '../../source/git/git-source.js';
import { createGitFixture, type GitFixture, isolatedEnv } from './git-fixture.js';

async function setup(t: { after: (fn: () => Promise<void>) => void }) {
  const fixture = await createGitFixture();
  t.after(() => fixture.cleanup());
  fixture.commit(fixture.seed, { 'apps/web/deploy.yaml': 'image: web:1\n' }, 'web: v1');
  const v2 = fixture.commit(fixture.seed, { 'apps/web/deploy.yaml': 'image: web:2\n' }, 'web: v2');
  fixture.push(fixture.seed);
  return { fixture, v2 };
}

function sourceFor(fixture: GitFixture, env: NodeJS.ProcessEnv = fixture.env): GitSource {
  return new GitSource({ url: fixture.remote, branch: 'main', cacheDir: fixture.cacheDir, env });
}

/** Both the confirmation and the revert itself refuse, with the same reason, and the remote does not move. */
async function assertRefused(
  fixture: GitFixture,
  source: GitSource,
  rev: string,
  reason: RegExp,
): Promise<void> {
  const head = fixture.remoteHead();
  for (const attempt of [() => source.describeRevert(rev), () => source.revert(rev)]) {
    await assert.rejects(attempt(), (error: unknown) => {
      assert.ok(error instanceof GitError, `a GitError, got ${String(error)}`);
      assert.match(error.message, reason);
      assert.doesNotMatch(error.message, /\n\s+at /, 'no stack in the message');
      return true;
    });
  }
  assert.equal(fixture.remoteHead(), head, 'nothing pushed');
}

test('a merge commit is refused, saying why', async (t) => {
  const { fixture } = await setup(t);
  const { seed } = fixture;
  fixture.git(seed, 'checkout', '-q', '-b', 'feature');
  fixture.commit(seed, { 'apps/api/deploy.yaml': 'image: api:1\n' }, 'api: v1');
  fixture.git(seed, 'checkout', '-q', 'main');
  fixture.git(seed, 'merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature');
  const merge = fixture.git(seed, 'rev-parse', 'HEAD').trim();
  fixture.push(seed);
  await assertRefused(
    fixture,
    sourceFor(fixture),
    merge,
    /is a merge commit \(2 parents\): reverting it means choosing which parent/,
  );
});

test('a commit that is not on the branch is refused', async (t) => {
  const { fixture } = await setup(t);
  const { seed } = fixture;
  fixture.git(seed, 'checkout', '-q', '-b', 'elsewhere');
  const side = fixture.commit(seed, { 'apps/web/deploy.yaml': 'image: web:side\n' }, 'web: side');
  fixture.git(seed, 'push', '-q', 'origin', 'elsewhere');
  const source = sourceFor(fixture);
  // The cache follows only the tracked branch; the work clone sees every branch and can say which is which.
  await assert.rejects(source.describeRevert(side), {
    name: 'GitError',
    message: /^unknown commit "\w+": no such commit on main of /,
  });
  await assert.rejects(source.revert(side), {
    name: 'GitError',
    message: new RegExp(
      `^commit ${side.slice(0, 12)} is not on branch main; driftdeck only reverts its history$`,
    ),
  });
  assert.equal(remoteRead(fixture), 'image: web:2\n');
});

test('an unknown commit is refused', async (t) => {
  const { fixture } = await setup(t);
  await assertRefused(fixture, sourceFor(fixture), 'deadbeefdeadbeef', /^unknown commit "deadbeefdeadbeef"/);
  await assertRefused(fixture, sourceFor(fixture), '--all', /^unknown commit "--all"/);
});

test('without a git identity, revert refuses before touching anything', async (t) => {
  const { fixture, v2 } = await setup(t);
  const emptyHome = path.join(fixture.root, 'empty-home');
  await fs.mkdir(emptyHome);
  const source = sourceFor(fixture, isolatedEnv(emptyHome));
  // Reading needs no identity.
  assert.equal((await source.log('apps/web')).length, 2);
  await assertRefused(
    fixture,
    source,
    v2,
    /^git has no user\.name\/user\.email; set them with git config --global user\.name/,
  );
  await assert.rejects(fs.lstat(source.paths.work), 'no work clone was made');
});

function remoteRead(fixture: GitFixture): string {
  return fixture.git(fixture.remote, 'show', 'main:apps/web/deploy.yaml');
}
