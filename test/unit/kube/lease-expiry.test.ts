import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expired } from '../../../source/kube/lease.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const lease = (spec: Record<string, unknown>) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'driftdeck-sync-shop', namespace: 'driftdeck-system' },
  spec: { holderIdentity: 'alice@bastion/console-1-a', ...spec },
});
const at = (offsetS: number) => new Date(NOW + offsetS * 1000).toISOString();

describe('when a held lease stops counting', () => {
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ['renewed 10s ago, for 30s', { renewTime: at(-10), leaseDurationSeconds: 30 }, false],
    ['renewed 31s ago, for 30s (the holder died)', { renewTime: at(-31), leaseDurationSeconds: 30 }, true],
    ['renewed 5s ahead (clock skew)', { renewTime: at(5), leaseDurationSeconds: 30 }, false],
    ['renewed a year ahead (hand-made)', { renewTime: at(365 * 86400), leaseDurationSeconds: 30 }, true],
    [
      'held for a billion seconds, renewed an hour ago',
      { renewTime: at(-3600), leaseDurationSeconds: 1e9 },
      true,
    ],
    ['a negative duration', { renewTime: at(-40), leaseDurationSeconds: -5 }, true],
    ['no renewal time that parses', { renewTime: 'soon' }, true],
    ['no holder', { holderIdentity: undefined, renewTime: at(-1) }, true],
  ];
  for (const [name, spec, want] of cases)
    it(`${name}: ${want ? 'expired' : 'held'}`, () => {
      assert.equal(expired(lease(spec), NOW), want);
    });
});
