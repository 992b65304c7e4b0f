import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { buildRevertMessage, defaultOperator } from '../../../source/git/revert-message.js';

test('buildRevertMessage uses git wording and a trailer naming who reverted', () => {
  const sha = '0123456789abcdef0123456789abcdef01234567';
  assert.equal(
    buildRevertMessage('web: bump image to 1.2', sha, 'alice@laptop'),
    'Revert "web: bump image to 1.2"\n\n' +
      `This reverts commit ${sha}.\n\n` +
      'Reverted-with: driftdeck by alice@laptop',
  );
});

test('buildRevertMessage keeps subjects with quotes as they are', () => {
  const message = buildRevertMessage('Revert "web: v2"', 'f'.repeat(40), 'bob@ci');
  assert.equal(message.split('\n')[0], 'Revert "Revert "web: v2""');
  assert.equal(message.split('\n').at(-1), 'Reverted-with: driftdeck by bob@ci');
});

test('defaultOperator is user@host', () => {
  assert.equal(defaultOperator({ USER: 'carol' }), `carol@${os.hostname()}`);
  assert.equal(defaultOperator({ USERNAME: 'dave' }), `dave@${os.hostname()}`);
  assert.match(defaultOperator({}), /^[^@\s]+@.+$/);
});
