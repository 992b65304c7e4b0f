import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_IDENTITY_MESSAGE, parseIdent } from '../../../source/git/identity.js';

test('parseIdent reads `git var` output', () => {
  assert.deepEqual(parseIdent('Ann Example <ann@example.com> 1700000000 +0100\n'), {
    name: 'Ann Example',
    email: 'ann@example.com',
  });
  assert.equal(parseIdent('<ann@example.com> 1700000000 +0100'), undefined, 'no name');
  assert.equal(parseIdent('Ann <> 1700000000 +0100'), undefined, 'no email');
  assert.equal(parseIdent(''), undefined);
});

test('the refusal tells how to set an identity', () => {
  assert.match(
    NO_IDENTITY_MESSAGE,
    /^git has no user\.name\/user\.email; set them with git config --global /,
  );
});
