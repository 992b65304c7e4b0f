import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GitCommandError, GitError, summarizeGitOutput } from '../../../source/git/git-error.js';

test('summarizeGitOutput keeps what matters on one line', () => {
  const unreachable = [
    "fatal: '/tmp/x/remote.git' does not appear to be a git repository",
    'fatal: Could not read from remote repository.',
    '',
    'Please make sure you have the correct access rights',
    'and the repository exists.',
    '',
  ].join('\n');
  assert.equal(summarizeGitOutput(unreachable), "'/tmp/x/remote.git' does not appear to be a git repository");
  assert.equal(
    summarizeGitOutput('fatal: Could not read from remote repository.\n'),
    'Could not read from remote repository.',
    'boilerplate stays when it is all there is',
  );
  assert.equal(summarizeGitOutput('error: x\nhint: do y\nhint: or z\n'), 'x');
  assert.equal(summarizeGitOutput('\n\n'), 'exited without a message');
  const long = summarizeGitOutput(`fatal: ${'a'.repeat(1000)}`);
  assert.equal(long.length, 400);
  assert.ok(long.endsWith('…'));
});

test('GitError carries a hint; GitCommandError names the command and its stderr', () => {
  const error = new GitError('cannot reach x', { hint: 'check the network' });
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'GitError');
  assert.equal(error.hint, 'check the network');
  assert.equal(new GitError('plain').hint, undefined);

  const failed = new GitCommandError(
    ['--literal-pathspecs', 'log', 'x'],
    128,
    "fatal: bad revision 'x'\n",
    '',
  );
  assert.ok(failed instanceof GitError);
  assert.equal(failed.message, "git log failed: bad revision 'x'");
  assert.equal(failed.exitCode, 128);
});

test('summarizeGitOutput masks the credentials and query tokens of any URL git quotes', () => {
  const text = summarizeGitOutput(
    "fatal: unable to access 'http://127.0.0.1:9/x.git/?access_token=tok-42/': Failed to connect\n",
  );
  assert.equal(text, "unable to access 'http://127.0.0.1:9/x.git/?access_token=***': Failed to connect");
});
