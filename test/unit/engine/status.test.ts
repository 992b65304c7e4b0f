import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resourceSyncStatus, rollupHealth, rollupSync } from '../../../source/engine/status.js';
import type {
  AppSyncStatus,
  Health,
  ResourceState,
  ResourceSyncStatus,
} from '../../../source/engine/types.js';

const state = (status: ResourceSyncStatus, health: Health = { status: 'Healthy' }): ResourceState => ({
  key: { group: '', kind: 'ConfigMap', namespace: 'shop', name: `${status}-${health.status}` },
  apiVersion: 'v1',
  status,
  health,
  diff: '',
  diffMode: 'server-side',
  wave: 0,
});

const ofKind = (r: ResourceState, group: string, kind: string): ResourceState => ({
  ...r,
  key: { ...r.key, group, kind },
});
const unknownWidget = ofKind(
  state('Synced', {
    status: 'Unknown',
    message: 'no health check for Widget and no Ready or Available condition',
  }),
  'example.com',
  'Widget',
);

const exempt = (r: ResourceState): ResourceState => ({
  ...r,
  outOfStatus: 'an option',
  key: { ...r.key, name: `exempt-${r.key.name}` },
});

describe('rollupSync', () => {
  const cases: Array<{ name: string; resources: ResourceState[]; error?: boolean; want: AppSyncStatus }> = [
    { name: 'no resources is Synced', resources: [], want: 'Synced' },
    { name: 'all Synced', resources: [state('Synced'), state('Synced')], want: 'Synced' },
    { name: 'one OutOfSync', resources: [state('Synced'), state('OutOfSync')], want: 'OutOfSync' },
    { name: 'one Missing', resources: [state('Missing')], want: 'OutOfSync' },
    { name: 'one Extraneous', resources: [state('Synced'), state('Extraneous')], want: 'OutOfSync' },
    { name: 'one Error', resources: [state('Error')], want: 'OutOfSync' },
    {
      name: 'a prune candidate a per-resource option exempts (IgnoreExtraneous) does not count',
      resources: [state('Synced'), exempt(state('Extraneous'))],
      want: 'Synced',
    },
    {
      name: 'an exempt candidate beside a counted one: OutOfSync',
      resources: [exempt(state('Extraneous')), state('Extraneous')],
      want: 'OutOfSync',
    },
    { name: 'an app error wins', resources: [state('Synced')], error: true, want: 'Error' },
    { name: 'an app error with no resources', resources: [], error: true, want: 'Error' },
  ];
  for (const { name, resources, error, want } of cases) {
    test(name, () =>
      assert.equal(
        rollupSync(resources, error ? { message: 'bad yaml', file: 'a.yaml', line: 3 } : undefined),
        want,
      ),
    );
  }
});

describe('rollupHealth', () => {
  const cases: Array<{ name: string; resources: ResourceState[]; want: Health }> = [
    { name: 'no resources is Healthy', resources: [], want: { status: 'Healthy' } },
    {
      name: 'the worst resource decides',
      resources: [
        state('Synced'),
        state('OutOfSync', { status: 'Progressing', message: '1 of 3' }),
        state('Missing', { status: 'Missing' }),
      ],
      want: { status: 'Missing' },
    },
    {
      name: 'prune candidates do not count',
      resources: [state('Synced'), state('Extraneous', { status: 'Degraded', message: 'old and broken' })],
      want: { status: 'Healthy' },
    },
    {
      name: 'an object the sync never writes (ssa: Ignore) is not Missing for the app',
      resources: [state('Synced'), exempt(state('Synced', { status: 'Missing' }))],
      want: { status: 'Healthy' },
    },
    {
      name: 'an exempt object that exists still counts with its health',
      resources: [state('Synced'), exempt(state('Synced', { status: 'Degraded', message: 'crash' }))],
      want: { status: 'Degraded', message: 'crash' },
    },
    {
      name: 'a custom resource no health check knows (Unknown) is left out, as Argo CD leaves it out',
      resources: [state('Synced'), unknownWidget],
      want: { status: 'Healthy' },
    },
    {
      name: 'beside such a custom resource, a Progressing object still decides',
      resources: [unknownWidget, state('Synced', { status: 'Progressing', message: '1 of 3' })],
      want: { status: 'Progressing', message: '1 of 3' },
    },
    {
      name: 'a Pod Unknown by its own check (a lost node) still counts',
      resources: [
        state('Synced'),
        ofKind(state('Synced', { status: 'Unknown', message: 'node lost' }), '', 'Pod'),
      ],
      want: { status: 'Unknown', message: 'node lost' },
    },
  ];
  for (const { name, resources, want } of cases)
    test(name, () => assert.deepEqual(rollupHealth(resources), want));
});

describe('resourceSyncStatus', () => {
  const cases: Array<{
    name: string;
    desired?: object;
    live?: object;
    changed: boolean;
    want: ResourceSyncStatus;
  }> = [
    { name: 'desired only', desired: {}, changed: true, want: 'Missing' },
    { name: 'live only', live: {}, changed: true, want: 'Extraneous' },
    { name: 'both, different', desired: {}, live: {}, changed: true, want: 'OutOfSync' },
    { name: 'both, same', desired: {}, live: {}, changed: false, want: 'Synced' },
  ];
  for (const { name, desired, live, changed, want } of cases) {
    test(name, () => assert.equal(resourceSyncStatus({ desired, live, changed }), want));
  }
});
