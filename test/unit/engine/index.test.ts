import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as engine from '../../../source/engine/index.js';

const FUNCTIONS = [
  'groupOf',
  'keyOf',
  'keyString',
  'parseKeyString',
  'resourceLabel',
  'matchesSelector',
  'trackingId',
  'markOwned',
  'isOwnedBy',
  'withDefaultNamespace',
  'reconcile',
  'normalize',
  'ignorePointersFor',
  'maskSecrets',
  'maskObject',
  'toYaml',
  'resourceDiff',
  'resourceHealth',
  'worstHealth',
  'workloadProgress',
  'podFailure',
  'syncWave',
  'kindRank',
  'orderForApply',
  'orderForPrune',
  'planSummary',
  'rollupSync',
  'rollupHealth',
] as const;

const exported = new Map<string, unknown>(Object.entries(engine));

for (const name of FUNCTIONS) {
  test(`index exports ${name}`, () => assert.equal(typeof exported.get(name), 'function'));
}

test('index exports the ownership mark names', () => {
  assert.equal(engine.APP_LABEL, 'driftdeck.io/app');
  assert.equal(engine.TRACKING_ANNOTATION, 'driftdeck.io/tracking-id');
});
