import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nonInteractiveEnv } from '../../../source/git/git-env.js';

test('git never prompts, and ssh runs in batch mode unless the user chose an ssh command', () => {
  const base = { PATH: '/usr/bin', SSH_AUTH_SOCK: '/run/agent.sock' };
  const env = nonInteractiveEnv(base, { sshCommandConfigured: false });
  assert.equal(env.GIT_TERMINAL_PROMPT, '0');
  assert.equal(
    env.GIT_SSH_COMMAND,
    'ssh -o BatchMode=yes -o ConnectTimeout=30 -o ServerAliveInterval=10 -o ServerAliveCountMax=3',
    'a silent server is given up after the default 30 s',
  );
  assert.match(
    nonInteractiveEnv(base, { sshCommandConfigured: false, stallSeconds: 4 }).GIT_SSH_COMMAND ?? '',
    /ConnectTimeout=4 -o ServerAliveInterval=2 -o ServerAliveCountMax=3$/,
  );
  assert.equal(env.SSH_AUTH_SOCK, '/run/agent.sock', 'the SSH agent stays reachable');
  assert.equal(env.PATH, '/usr/bin');
  assert.equal(env.GIT_EDITOR, 'true');
  assert.deepEqual(base, { PATH: '/usr/bin', SSH_AUTH_SOCK: '/run/agent.sock' }, 'the input is not changed');

  const own = nonInteractiveEnv({ GIT_SSH_COMMAND: 'ssh -i ~/.ssh/deploy' }, { sshCommandConfigured: false });
  assert.equal(own.GIT_SSH_COMMAND, 'ssh -i ~/.ssh/deploy');
  assert.equal(
    nonInteractiveEnv({ GIT_SSH: '/usr/bin/plink' }, { sshCommandConfigured: false }).GIT_SSH_COMMAND,
    undefined,
  );
  assert.equal(
    nonInteractiveEnv({}, { sshCommandConfigured: true }).GIT_SSH_COMMAND,
    undefined,
    'core.sshCommand wins',
  );
});
