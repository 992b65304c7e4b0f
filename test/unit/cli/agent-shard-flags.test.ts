// `driftdeck agent --id --lease-duration`: checked before anything starts, with messages that say what is expected.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentShardOptions } from '../../../source/cli/agent-command.js';
import { UsageError } from '../../../source/cli/wire.js';

describe('agent replica flags', () => {
  it('takes a DNS-label id and a lease duration in whole seconds', () => {
    assert.deepEqual(agentShardOptions({ id: 'web-1', leaseSeconds: 4 }), { id: 'web-1', leaseSeconds: 4 });
  });

  it('defaults to host-pid and 15 s', () => {
    const o = agentShardOptions({});
    assert.match(o.id, new RegExp(`-${process.pid}$`));
    assert.equal(o.leaseSeconds, 15);
  });

  it('refuses an id that cannot name a Lease, and a duration out of range', () => {
    assert.throws(
      () => agentShardOptions({ id: 'Web_1' }),
      (e: Error) => {
        assert.ok(e instanceof UsageError);
        assert.match(e.message, /^--id: agent id "Web_1" is not a DNS-1123 label/);
        return true;
      },
    );
    for (const bad of [0, 2, 301, 4.5, Number.NaN])
      assert.throws(
        () => agentShardOptions({ leaseSeconds: bad }),
        /--lease-duration must be a whole number of seconds from 3 to 300/,
      );
  });
});
