import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HealthStatus } from '../../../source/engine/types.js';
import { followUp } from '../../../source/ui/message-follow.js';
import type { StatusMessage } from '../../../source/ui/state.js';

const synced: StatusMessage = { level: 'success', text: 'synced backend to f00dbab', app: 'backend' };
const apps = (status: HealthStatus, message?: string) => [
  { name: 'frontend', health: { status: 'Healthy' as const } },
  { name: 'backend', health: { status, ...(message ? { message } : {}) } },
];

/** Feeds the health states one after another, as the console's snapshots bring them; the lines said in between. */
function run(message: StatusMessage, states: HealthStatus[]): StatusMessage[] {
  let armed: StatusMessage | undefined;
  const said: StatusMessage[] = [];
  for (const status of states) {
    const out = followUp(message, apps(status, 'Deployment backend: ProgressDeadlineExceeded'), armed);
    armed = out.armed;
    if (out.next) said.push(out.next);
  }
  return said;
}

describe('the status line after a sync', () => {
  it('says the app turned Degraded once it goes from Progressing to Degraded, with the reason', () => {
    const said = run(synced, ['Progressing', 'Progressing', 'Degraded', 'Degraded']);
    assert.deepEqual(said, [
      {
        level: 'warning',
        text: 'backend turned Degraded after the sync (Enter on it: resources): Deployment backend: ProgressDeadlineExceeded',
      },
    ]);
  });

  it('does not call a fix failed while the app is still Degraded from before the sync', () => {
    assert.deepEqual(run(synced, ['Degraded', 'Degraded', 'Healthy']), []);
    assert.equal(run(synced, ['Degraded', 'Progressing', 'Degraded']).length, 1);
  });

  it('leaves alone lines that are no sync success, or name no app', () => {
    assert.deepEqual(
      run({ level: 'error', text: 'sync of backend failed', app: 'backend' }, ['Healthy', 'Degraded']),
      [],
    );
    assert.deepEqual(run({ level: 'success', text: 'reverted abc' }, ['Healthy', 'Degraded']), []);
  });

  it('says nothing for another app turning Degraded', () => {
    const out = followUp(synced, [{ name: 'frontend', health: { status: 'Degraded' } }], synced);
    assert.equal(out.next, undefined);
  });
});
