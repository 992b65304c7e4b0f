import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyPushFailure } from '../../../source/git/push-rejection.js';

const cases: Array<{ name: string; stderr: string; expected: 'remote-moved' | 'other' }> = [
  {
    name: 'someone pushed first (fetch first)',
    stderr: [
      'To /tmp/remote.git',
      ' ! [rejected]        HEAD -> main (fetch first)',
      "error: failed to push some refs to '/tmp/remote.git'",
      'hint: Updates were rejected because the remote contains work that you do',
      'hint: not have locally.',
    ].join('\n'),
    expected: 'remote-moved',
  },
  {
    name: 'non-fast-forward',
    stderr: [
      'To github.com:acme/deploy.git',
      ' ! [rejected]        HEAD -> main (non-fast-forward)',
      "error: failed to push some refs to 'github.com:acme/deploy.git'",
      'hint: Updates were rejected because the tip of your current branch is behind',
    ].join('\n'),
    expected: 'remote-moved',
  },
  {
    name: 'a race between advertisement and update',
    stderr:
      " ! [remote rejected] HEAD -> main (cannot lock ref 'refs/heads/main': is at 1111111 but expected 2222222)",
    expected: 'remote-moved',
  },
  {
    name: 'pre-receive hook declined',
    stderr: [
      'remote: main is frozen',
      'To /tmp/remote.git',
      ' ! [remote rejected] HEAD -> main (pre-receive hook declined)',
      "error: failed to push some refs to '/tmp/remote.git'",
    ].join('\n'),
    expected: 'other',
  },
  {
    name: 'protected branch',
    stderr: [
      'remote: error: GH006: Protected branch update failed for refs/heads/main.',
      ' ! [remote rejected] HEAD -> main (protected branch hook declined)',
    ].join('\n'),
    expected: 'other',
  },
  {
    name: 'no permission',
    stderr:
      'ERROR: Permission to acme/deploy.git denied to bob.\nfatal: Could not read from remote repository.',
    expected: 'other',
  },
  {
    name: 'network',
    stderr: "fatal: unable to access 'https://h/r.git/': Could not resolve host: h",
    expected: 'other',
  },
  { name: 'nothing said', stderr: '', expected: 'other' },
];

test('classifyPushFailure tells a moved remote from every other refusal', () => {
  for (const { name, stderr, expected } of cases) assert.equal(classifyPushFailure(stderr), expected, name);
});
