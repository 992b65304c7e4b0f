// An app whose state did not move is the same object from one snapshot to the next, even where the loop places it
// (its cluster, owner, running operation): the console redraws, and is sent across threads, only what moved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterPort, GitPort } from '../../../source/engine/ports.js';
import type { AppSpec, AppState } from '../../../source/engine/types.js';
import { buildSnapshot, type PlacedStates, type SnapshotInput } from '../../../source/loop/snapshot.js';

const spec = (name: string) => ({ name, path: name, namespace: 'shop' }) as unknown as AppSpec;
const state = (name: string, sync: AppState['sync'] = 'Synced'): AppState => ({
  name,
  spec: spec(name),
  sync,
  health: { status: 'Healthy' },
  resources: [],
});

function input(
  states: Map<string, AppState>,
  busy: SnapshotInput['busy'],
  placed?: PlacedStates,
): SnapshotInput {
  return {
    version: 1,
    git: { url: 'file:///repo.git', branch: 'main' } as unknown as GitPort,
    cluster: {
      context: 'c1',
      connection: () => ({ state: 'connected' }),
      cached: () => [],
    } as unknown as ClusterPort,
    apps: [spec('cart'), spec('shop')],
    states,
    busy,
    by: 'me@host',
    readonly: false,
    events: [],
    eventCount: 0,
    history: {},
    clusterName: 'c1',
    ...(placed ? { placed } : {}),
  };
}

test('an unchanged app stays one object across snapshots; what moved is placed anew', () => {
  const placed: PlacedStates = new WeakMap();
  const states = new Map([
    ['cart', state('cart')],
    ['shop', state('shop')],
  ]);
  const busy: SnapshotInput['busy'] = new Map();
  const [cart1, shop1] = buildSnapshot(input(states, busy, placed)).apps;
  assert.equal(cart1?.cluster, 'c1');
  const [cart2, shop2] = buildSnapshot(input(states, busy, placed)).apps;
  assert.equal(cart2, cart1);
  assert.equal(shop2, shop1);

  states.set('cart', state('cart', 'OutOfSync'));
  busy.set('shop', { kind: 'sync', startedAt: '2026-12-03T00:00:00Z' });
  const [cart3, shop3] = buildSnapshot(input(states, busy, placed)).apps;
  assert.notEqual(cart3, cart2);
  assert.equal(cart3?.sync, 'OutOfSync');
  assert.notEqual(shop3, shop2);
  assert.deepEqual(shop3?.operation, {
    kind: 'sync',
    startedAt: '2026-12-03T00:00:00Z',
    by: 'me@host',
    phase: 'running',
  });
  const [cart4, shop4] = buildSnapshot(input(states, busy, placed)).apps;
  assert.equal(cart4, cart3);
  assert.equal(shop4, shop3);

  busy.delete('shop');
  const [, shop5] = buildSnapshot(input(states, busy, placed)).apps;
  assert.equal(shop5?.operation, undefined);
  assert.equal(shop5?.cluster, 'c1');
});

test('the loop keeps them without saying so: the memo of the process', () => {
  const states = new Map([['cart', state('cart')]]);
  const a = buildSnapshot(input(states, new Map())).apps[0];
  assert.equal(buildSnapshot(input(states, new Map())).apps[0], a);
});

test('with nothing kept between snapshots, each places every app anew (what keeping them saves)', () => {
  const states = new Map([['cart', state('cart')]]);
  const a = buildSnapshot(input(states, new Map(), new WeakMap())).apps[0];
  const b = buildSnapshot(input(states, new Map(), new WeakMap())).apps[0];
  assert.notEqual(a, b);
  assert.deepEqual(a, b);
});
