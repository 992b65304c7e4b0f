import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLsRemote } from '../../../source/git/ls-remote.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

test('parseLsRemote returns the sha of exactly the asked ref', () => {
  assert.equal(parseLsRemote(`${A}\trefs/heads/main\n`, 'refs/heads/main'), A);
  const tailMatches = `${B}\trefs/heads/team/refs/heads/main\n${A}\trefs/heads/main\n`;
  assert.equal(parseLsRemote(tailMatches, 'refs/heads/main'), A);
  assert.equal(parseLsRemote(`${B}\trefs/heads/team/refs/heads/main\n`, 'refs/heads/main'), undefined);
});

test('parseLsRemote: nothing listed, noise and SHA-256 names', () => {
  assert.equal(parseLsRemote('', 'refs/heads/main'), undefined);
  assert.equal(parseLsRemote('warning: redirecting to https://x\n', 'refs/heads/main'), undefined);
  assert.equal(parseLsRemote(`${A}\trefs/heads/main\r\n`, 'refs/heads/main'), A);
  const sha256 = 'c'.repeat(64);
  assert.equal(parseLsRemote(`${sha256}\trefs/heads/main`, 'refs/heads/main'), sha256);
  assert.equal(parseLsRemote(`xyz\trefs/heads/main`, 'refs/heads/main'), undefined);
});
