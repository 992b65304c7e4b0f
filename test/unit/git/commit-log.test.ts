import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPathspec, COMMIT_FORMAT, parseCommitLog } from '../../../source/git/commit-log.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

test('COMMIT_FORMAT separates fields and records with control characters', () => {
  assert.equal(COMMIT_FORMAT, '%H%x1f%h%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e');
});

test('parseCommitLog reads records in order, tolerating the newlines git adds', () => {
  const record = (sha: string, subject: string) =>
    [sha, sha.slice(0, 7), 'Ann Example', 'ann@example.com', '2024-05-01T10:00:00+02:00', subject].join(
      '\x1f',
    );
  const output = `${record(SHA, 'web: v2')}\x1e\n${record('f'.repeat(40), 'subject with "quotes" | pipes ')}\x1e\n`;
  assert.deepEqual(parseCommitLog(output), [
    {
      sha: SHA,
      shortSha: '0123456',
      author: 'Ann Example',
      email: 'ann@example.com',
      date: '2024-05-01T10:00:00+02:00',
      subject: 'web: v2',
    },
    {
      sha: 'f'.repeat(40),
      shortSha: 'fffffff',
      author: 'Ann Example',
      email: 'ann@example.com',
      date: '2024-05-01T10:00:00+02:00',
      subject: 'subject with "quotes" | pipes',
    },
  ]);
  assert.deepEqual(parseCommitLog(''), []);
  assert.deepEqual(parseCommitLog('\n'), []);
  assert.throws(() => parseCommitLog('garbage\x1e'), /unexpected git log output/);
});

test('appPathspec cleans app paths; the root means no pathspec', () => {
  assert.deepEqual(appPathspec('apps/web'), ['apps/web']);
  assert.deepEqual(appPathspec('./apps/web/'), ['apps/web']);
  assert.deepEqual(appPathspec('apps\\web'), ['apps/web']);
  assert.deepEqual(appPathspec(''), []);
  assert.deepEqual(appPathspec('.'), []);
  assert.deepEqual(appPathspec('./'), []);
  assert.deepEqual(
    appPathspec(':(glob)*'),
    [':(glob)*'],
    'kept literal; the caller reads pathspecs literally',
  );
});
