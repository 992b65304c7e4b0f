import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppState, ResourceState, Snapshot } from '../../../source/engine/types.js';
import { waitHealthy } from '../../../source/loop/wait.js';

const resource = (kind: string, group: string, health: ResourceState['health']): ResourceState => ({
  key: { group, kind, namespace: 'shop', name: kind.toLowerCase() },
  apiVersion: group ? `${group}/v1` : 'v1',
  status: 'Synced',
  health,
  diff: '',
  diffMode: 'server-side',
  wave: 0,
});

function loopOf(resources: ResourceState[]) {
  const app = { name: 'shop', resources } as unknown as AppState;
  return {
    compareNow: async () => undefined,
    getSnapshot: () => ({ apps: [app] }) as unknown as Snapshot,
  };
}

const widget = resource('Widget', 'example.com', {
  status: 'Unknown',
  message: 'no health check for Widget and no Ready or Available condition',
});

test('a sync --wait ends when every object with a health check is Healthy, not waiting on a custom resource no check knows', async () => {
  const loop = loopOf([resource('Deployment', 'apps', { status: 'Healthy' }), widget]);
  const state = await waitHealthy(loop, 'shop', 1_500);
  assert.equal(state.name, 'shop');
});

test('an app of only custom resources no check knows is not waited on either', async () => {
  const state = await waitHealthy(loopOf([widget]), 'shop', 1_500);
  assert.equal(state.name, 'shop');
});

test('a Progressing object still keeps the wait going beside an Unknown one, until the time is up', async () => {
  const loop = loopOf([
    resource('Deployment', 'apps', { status: 'Progressing', message: '0 of 2 ready' }),
    widget,
  ]);
  await assert.rejects(
    waitHealthy(loop, 'shop', 600),
    /did not become Healthy within .*Progressing: 0 of 2 ready/,
  );
});

test('a Degraded object fails the wait at once', async () => {
  const loop = loopOf([
    resource('Deployment', 'apps', { status: 'Degraded', message: 'ImagePullBackOff' }),
    widget,
  ]);
  await assert.rejects(waitHealthy(loop, 'shop', 60_000), /shop is Degraded: ImagePullBackOff/);
});
