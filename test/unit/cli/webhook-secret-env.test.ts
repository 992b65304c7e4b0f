// The webhook secret given in the environment is the agent's alone: taken out of the environment that git, ssh,
// helm and kustomize inherit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { takeWebhookSecret } from '../../../source/cli/agent-command.js';

describe('the webhook secret from the environment', () => {
  it('is returned once and gone from the environment children inherit', () => {
    const env: NodeJS.ProcessEnv = { DRIFTDECK_WEBHOOK_SECRET: 's3cret-value', PATH: '/usr/bin' };
    assert.equal(takeWebhookSecret(env), 's3cret-value');
    assert.deepEqual(env, { PATH: '/usr/bin' });
    assert.equal(takeWebhookSecret(env), undefined);
  });
});
