// Snapshots crossing from the loop's thread to the console's: only what moved is sent, and the console's copy keeps
// what did not move as the same objects (so its rows are not rebuilt).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SnapshotDecoder, SnapshotEncoder, type SnapshotMessage } from '../../../source/cli/snapshot-wire.js';
import type { AppState, Snapshot } from '../../../source/engine/types.js';
import { BACKEND_HISTORY, fixtureSnapshot } from '../ui/fixture-snapshot.js';

/** Through a real structured clone, as postMessage copies it. */
const carried = (message: SnapshotMessage): SnapshotMessage => structuredClone(message);

function next(
  s: Snapshot,
  change: (apps: AppState[]) => AppState[],
  extra: Partial<Snapshot> = {},
): Snapshot {
  return { ...s, version: s.version + 1, apps: change(s.apps), ...extra };
}

test('a first snapshot arrives whole and equal', () => {
  const first = { ...fixtureSnapshot(), history: { backend: BACKEND_HISTORY } };
  const decoded = new SnapshotDecoder().decode(carried(new SnapshotEncoder().encode(first)));
  assert.deepEqual(decoded, first);
});

test('what did not move is sent as a reference and read back as the same object', () => {
  const encoder = new SnapshotEncoder();
  const decoder = new SnapshotDecoder();
  const first = { ...fixtureSnapshot(), history: { backend: BACKEND_HISTORY } };
  assert.ok(first.apps.length >= 3, 'the fixture has three apps or more');
  const a1 = decoder.decode(carried(encoder.encode(first)));

  // App 0 recompared (a new state, its resources new), app 1 only wrapped anew (its resources the same array), the
  // rest untouched; one event more.
  const [changed, rewrapped, ...rest] = first.apps as [AppState, AppState, ...AppState[]];
  const second = next(first, () => [
    {
      ...changed,
      sync: 'Synced',
      resources: changed.resources.map((r) => ({ ...r, status: 'Synced' as const })),
    },
    { ...rewrapped, operation: { kind: 'sync', startedAt: 'now', by: 'me', phase: 'running' } },
    ...rest,
  ]);
  second.events = [
    ...first.events,
    { time: 'now', app: 'backend', level: 'info', type: 'status', message: 'moved' },
  ];
  const message = carried(encoder.encode(second));
  const a2 = decoder.decode(message);

  assert.deepEqual(a2, second);
  // On the wire: the untouched apps by name, the rewrapped one without its resources, the old events by index.
  assert.deepEqual(
    message.apps.slice(2),
    rest.map((a) => a.name),
  );
  const wire = message.apps[1];
  assert.ok(typeof wire === 'object' && wire.keep.includes('resources') && !('resources' in wire.set));
  assert.deepEqual(
    message.events.slice(0, first.events.length),
    first.events.map((_, i) => i),
  );
  assert.deepEqual(message.history, { keep: ['backend'], set: {} });
  // Read back: the same objects as the console's last copy.
  for (let i = 2; i < first.apps.length; i++) assert.equal(a2.apps[i], a1.apps[i]);
  assert.equal(a2.apps[1]?.resources, a1.apps[1]?.resources);
  assert.notEqual(a2.apps[0]?.resources, a1.apps[0]?.resources);
  assert.equal(a2.events[0], a1.events[0]);
  assert.equal(a2.history.backend, a1.history.backend);
  // Far smaller than the whole snapshot.
  assert.ok(JSON.stringify(message).length < JSON.stringify(second).length / 2);
});

test('apps that come and go, fields dropped, and a history replaced', () => {
  const encoder = new SnapshotEncoder();
  const decoder = new SnapshotDecoder();
  const first = { ...fixtureSnapshot(), history: { backend: BACKEND_HISTORY } };
  decoder.decode(carried(encoder.encode(first)));
  const [gone, kept, ...rest] = first.apps as [AppState, AppState, ...AppState[]];
  const { lastSync: _dropped, ...withoutSync } = kept;
  const fresh: AppState = { ...gone, name: 'newcomer' };
  const second = next(first, () => [withoutSync, ...rest, fresh], { history: { backend: [] } });
  const decoded = decoder.decode(carried(encoder.encode(second)));
  assert.deepEqual(decoded, second);
  assert.equal('lastSync' in (decoded.apps[0] ?? {}), false);
  assert.deepEqual(
    decoded.apps.map((a) => a.name),
    second.apps.map((a) => a.name),
  );
});

test('a message that refers to a snapshot the decoder never read is refused, not guessed', () => {
  const encoder = new SnapshotEncoder();
  const first = fixtureSnapshot();
  encoder.encode(first);
  const second = encoder.encode(next(first, (apps) => apps));
  assert.throws(() => new SnapshotDecoder().decode(carried(second)), /refers to "backend", not sent before/);
});
