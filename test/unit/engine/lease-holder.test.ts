import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeHolder, holderIdentity, parseHolder } from '../../../source/engine/lease-holder.js';
import { LeaseHeldError } from '../../../source/engine/ports.js';

describe('lease holder identity', () => {
  it('differs between two processes of one person on one host', () => {
    const a = holderIdentity({ operator: 'alice@bastion', role: 'console', pid: 123, nonce: 'a1b2c3' });
    const b = holderIdentity({ operator: 'alice@bastion', role: 'console', pid: 124, nonce: 'a1b2c3' });
    const c = holderIdentity({ operator: 'alice@bastion', role: 'console', pid: 123, nonce: 'ffffff' });
    assert.equal(new Set([a, b, c]).size, 3);
    assert.equal(a, 'alice@bastion/console-123-a1b2c3');
  });

  it('reads back as the person, the role and the pid', () => {
    const id = holderIdentity({ operator: 'alice@bastion', role: 'agent', pid: 77, nonce: '0f0f0f' });
    assert.deepEqual(parseHolder(id), { operator: 'alice@bastion', role: 'agent', pid: 77, nonce: '0f0f0f' });
    assert.equal(describeHolder(id), 'alice@bastion (agent, pid 77)');
  });

  it('shows a holder it did not write as it is, without terminal controls and cut to a readable length', () => {
    assert.equal(describeHolder('alice@bastion-2'), 'alice@bastion-2');
    assert.equal(describeHolder('kube-controller\u001b[2J\u0007'), 'kube-controller[2J');
    assert.ok(describeHolder('x'.repeat(1000)).length <= 121);
  });

  it('names the holder readably, and since when, in the refusal', () => {
    const err = new LeaseHeldError('shop', 'alice@bastion/console-123-a1b2c3', '2026-12-02T01:02:03.000000Z');
    assert.equal(
      err.message,
      'app shop is being synced by alice@bastion (console, pid 123) since 01:02:03 UTC; try again when it finishes',
    );
  });
});
