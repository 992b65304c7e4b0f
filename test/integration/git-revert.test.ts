import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { GitError } from '../../source/git/git-error.js';
import { GitSource } from '../../source/git/git-source.js';
import { createGitFixture, type GitFixture, IDENTITY } from './git-fixture.js';

const OPERATOR = 'alice@console-1';

async function appHistory(t: { after: (fn: () => Promise<void>) => void }) {
  const fixture = await createGitFixture();
  t.after(() => fixture.cleanup());
  const { seed } = fixture;
  const v1 = fixture.commit(seed, { 'apps/web/deploy.yaml': 'image: web:1\n' }, 'web: v1');
  const v2 = fixture.commit(seed, { 'apps/web/deploy.yaml': 'image: web:2\n' }, 'web: v2');
  fixture.push(seed);
  return { fixture, v1, v2 };
}

function sourceFor(fixture: GitFixture, env: NodeJS.ProcessEnv = fixture.env): GitSource {
  return new GitSource({
    url: fixture.remote,
    branch: 'main',
    cacheDir: fixture.cacheDir,
    env,
    operator: OPERATOR,
  });
}

function remoteFile(fixture: GitFixture, file: string): string {
  return fixture.git(fixture.remote, 'show', `main:${file}`);
}

/**
 * Makes another clone push `files` to the remote right after the work clone commits the revert, that is between
 * driftdeck's fetch and its push: a real race, staged with a post-commit hook in the work clone.
 */
async function raceWithAnotherPush(
  fixture: GitFixture,
  files: Record<string, string>,
): Promise<NodeJS.ProcessEnv> {
  const other = fixture.clone('other');
  const pushed = fixture.commit(other, files, 'someone else was faster');
  const hooks = path.join(fixture.root, 'hooks');
  await fs.mkdir(hooks);
  const script = [
    '#!/bin/sh',
    'unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0',
    '[ -e "$RACE_MARK" ] && exit 0',
    ': > "$RACE_MARK"',
    'exec git -C "$RACE_CLONE" push -q origin HEAD:refs/heads/main',
    '',
  ].join('\n');
  await fs.writeFile(path.join(hooks, 'post-commit'), script, { mode: 0o755 });
  return {
    ...fixture.env,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'core.hooksPath',
    GIT_CONFIG_VALUE_0: hooks,
    RACE_MARK: path.join(fixture.root, 'raced'),
    RACE_CLONE: other,
    RACE_SHA: pushed,
  };
}

async function assertWorkCloneClean(fixture: GitFixture, source: GitSource): Promise<void> {
  const work = source.paths.work;
  assert.notEqual(work, source.paths.mirror);
  assert.equal(fixture.git(work, 'status', '--porcelain', '--untracked-files=all'), '', 'no changes left');
  assert.equal(fixture.git(work, 'rev-parse', 'HEAD').trim(), fixture.remoteHead(), 'at the remote state');
  for (const stray of [
    'REVERT_HEAD',
    'CHERRY_PICK_HEAD',
    'sequencer',
    'rebase-merge',
    'rebase-apply',
    'MERGE_HEAD',
  ]) {
    await assert.rejects(fs.lstat(path.join(work, '.git', stray)), `no ${stray} left`);
  }
}

test('revert pushes a real revert commit that puts the file back', async (t) => {
  const { fixture, v1, v2 } = await appHistory(t);
  const source = sourceFor(fixture);
  const message = `Revert "web: v2"\n\nThis reverts commit ${v2}.\n\nReverted-with: driftdeck by ${OPERATOR}`;

  const plan = await source.describeRevert(v2.slice(0, 9));
  assert.equal(plan.commit.sha, v2);
  assert.equal(plan.branch, 'main');
  assert.equal(plan.message, message);

  const outcome = await source.revert(v2);
  assert.deepEqual(outcome, {
    revertedSha: v2,
    newSha: fixture.remoteHead(),
    branch: 'main',
    message,
    retries: 0,
  });
  assert.equal(remoteFile(fixture, 'apps/web/deploy.yaml'), 'image: web:1\n');
  const tree = (rev: string) => fixture.git(fixture.remote, 'rev-parse', `${rev}^{tree}`).trim();
  assert.equal(tree(outcome.newSha), tree(v1), "the revert's tree is the reverted commit's parent's");
  assert.equal(
    fixture.git(fixture.remote, 'rev-parse', `${outcome.newSha}^`).trim(),
    v2,
    'on top of the old head',
  );
  assert.equal(fixture.git(fixture.remote, 'log', '-1', '--format=%B', outcome.newSha).trim(), message);
  assert.equal(
    fixture.git(fixture.remote, 'log', '-1', '--format=%an <%ae>|%cn <%ce>', outcome.newSha).trim(),
    `${IDENTITY.name} <${IDENTITY.email}>|${IDENTITY.name} <${IDENTITY.email}>`,
  );
  // The readers see the revert at once.
  assert.deepEqual(await source.poll(), { head: outcome.newSha, moved: false });
  assert.equal((await source.log('apps/web'))[0]?.subject, 'Revert "web: v2"');
  await assertWorkCloneClean(fixture, source);

  // The work clone is reused: reverting the revert puts v2 back.
  const again = await source.revert(outcome.newSha);
  assert.equal(remoteFile(fixture, 'apps/web/deploy.yaml'), 'image: web:2\n');
  assert.equal(again.retries, 0);
});

test('revert when the remote moved in between: fetch, rebase, push again, never force', async (t) => {
  const { fixture, v2 } = await appHistory(t);
  const env = await raceWithAnotherPush(fixture, { 'apps/api/deploy.yaml': 'image: api:7\n' });
  const source = sourceFor(fixture, env);
  const before = fixture.remoteHead();

  const outcome = await source.revert(v2);
  assert.equal(outcome.retries, 1);
  assert.equal(outcome.newSha, fixture.remoteHead());
  const subjects = fixture.git(fixture.remote, 'log', '--format=%s', 'main').trim().split('\n');
  assert.deepEqual(subjects, ['Revert "web: v2"', 'someone else was faster', 'web: v2', 'web: v1']);
  assert.equal(fixture.git(fixture.remote, 'rev-parse', `${outcome.newSha}^`).trim(), env.RACE_SHA);
  fixture.git(fixture.remote, 'merge-base', '--is-ancestor', before, outcome.newSha);
  assert.equal(remoteFile(fixture, 'apps/web/deploy.yaml'), 'image: web:1\n');
  assert.equal(remoteFile(fixture, 'apps/api/deploy.yaml'), 'image: api:7\n');
  await assertWorkCloneClean(fixture, source);
});

test('a revert conflict aborts, leaves the work clone clean and the remote unchanged', async (t) => {
  const { fixture, v2 } = await appHistory(t);
  const v3 = fixture.commit(fixture.seed, { 'apps/web/deploy.yaml': 'image: web:3\n' }, 'web: v3');
  fixture.push(fixture.seed);
  const source = sourceFor(fixture);

  await assert.rejects(source.revert(v2), (error: unknown) => {
    assert.ok(error instanceof GitError);
    assert.match(error.message, new RegExp(`^cannot revert ${v2.slice(0, 7)}\\w* \\("web: v2"\\)`));
    assert.match(error.message, /conflicts with later changes on main to apps\/web\/deploy\.yaml/);
    assert.match(
      error.message,
      new RegExp(`${v3.slice(0, 7)}\\w* "web: v3"`),
      'names the conflicting commit',
    );
    assert.match(error.message, /nothing was pushed$/);
    assert.ok(error.hint);
    return true;
  });
  assert.equal(fixture.remoteHead(), v3, 'remote unchanged');
  await assertWorkCloneClean(fixture, source);

  // The clean work clone serves the next revert.
  const outcome = await source.revert(v3);
  assert.equal(remoteFile(fixture, 'apps/web/deploy.yaml'), 'image: web:2\n');
  assert.equal(outcome.newSha, fixture.remoteHead());
});

test('a conflict while rebasing onto a moved remote aborts and pushes nothing', async (t) => {
  const { fixture, v2 } = await appHistory(t);
  const env = await raceWithAnotherPush(fixture, { 'apps/web/deploy.yaml': 'image: web:9\n' });
  const source = sourceFor(fixture, env);

  await assert.rejects(source.revert(v2), (error: unknown) => {
    assert.ok(error instanceof GitError);
    assert.match(error.message, /main moved and its new commits .*"someone else was faster".* conflict/);
    assert.match(error.message, /apps\/web\/deploy\.yaml; nothing was pushed$/);
    return true;
  });
  assert.equal(fixture.remoteHead(), env.RACE_SHA, 'only the other push landed');
  assert.equal(remoteFile(fixture, 'apps/web/deploy.yaml'), 'image: web:9\n');
  await assertWorkCloneClean(fixture, source);
});
