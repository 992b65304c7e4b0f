import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, ResourceState, RolloutEvent } from '../../../source/engine/types.js';
import { RolloutTracker } from '../../../source/loop/rollout.js';

const deployment = (updated: number, available: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'backend', namespace: 'shop' },
  spec: { replicas: 3 },
  status: { updatedReplicas: updated, availableReplicas: available },
});

const state = (health: ResourceState['health']['status']): ResourceState => ({
  key: { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'backend' },
  apiVersion: 'apps/v1',
  status: 'Synced',
  health: { status: health },
  diff: '',
  diffMode: 'server-side',
  wave: 0,
});

describe('rollout progress lines', () => {
  it('logs each change once, and the turn to Healthy even when the counts stay the same', () => {
    const lines: string[] = [];
    const t = new RolloutTracker((_app, e: Omit<RolloutEvent, 'time' | 'app'>) => lines.push(e.message));
    const step = (obj: KubeObject, health: ResourceState['health']['status']) =>
      t.progress('backend', [state(health)], () => obj);
    step(deployment(3, 3), 'Healthy');
    assert.deepEqual(lines, [], 'a settled workload seen for the first time is not news');
    step(deployment(1, 3), 'Progressing');
    step(deployment(1, 3), 'Progressing');
    step(deployment(3, 3), 'Progressing');
    step(deployment(3, 3), 'Healthy');
    step(deployment(3, 3), 'Healthy');
    assert.deepEqual(lines, [
      '1/3 updated, 3 available',
      '3/3 updated, 3 available',
      '3/3 updated, 3 available (rollout complete)',
    ]);
  });

  it('reports a rollout finished between two looks once a sync says the workload changed', () => {
    const lines: string[] = [];
    const t = new RolloutTracker((_app, e) => lines.push(e.message));
    t.progress('backend', [state('Progressing')], () => deployment(3, 3));
    t.progress('backend', [state('Healthy')], () => deployment(3, 3));
    lines.length = 0;
    t.forget('backend', { namespace: 'shop', kind: 'Deployment', name: 'backend' });
    t.progress('backend', [state('Healthy')], () => deployment(3, 3));
    assert.deepEqual(lines, ['3/3 updated, 3 available (rollout complete)']);
  });
});

describe('failing pods in the rollout log', () => {
  const pod = (
    name: string,
    waiting: string,
    restarts = 0,
    image = 'shop/backend:v2-broken',
  ): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec: { containers: [{ name: 'backend', image }] },
    status: {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'backend',
          image,
          restartCount: restarts,
          state: { waiting: { reason: waiting, message: `try ${restarts}` } },
        },
      ],
    },
  });

  it('names each failing pod of the app and its reason once (the image for a pull), not another app’s', () => {
    const lines: string[] = [];
    const t = new RolloutTracker((_app, e) => lines.push(`${e.resource} ${e.message}`));
    const look = (pods: KubeObject[]) => t.problems('backend', [state('Progressing')], [], pods);
    look([pod('backend-7d9f-abcde', 'ImagePullBackOff'), pod('frontend-1-x', 'ImagePullBackOff')]);
    look([pod('backend-7d9f-abcde', 'ImagePullBackOff'), pod('backend-7d9f-fghij', 'ErrImagePull')]);
    // The same reason with a new message and restart count is not news; a new reason is.
    look([
      pod('backend-7d9f-fghij', 'CrashLoopBackOff', 3),
      pod('backend-7d9f-abcde', 'ImagePullBackOff', 1),
    ]);
    look([pod('backend-7d9f-fghij', 'CrashLoopBackOff', 4)]);
    assert.deepEqual(lines, [
      'Pod/backend-7d9f-abcde backend-7d9f-abcde: ImagePullBackOff (image shop/backend:v2-broken)',
      'Pod/backend-7d9f-fghij backend-7d9f-fghij: ErrImagePull (image shop/backend:v2-broken)',
      'Pod/backend-7d9f-fghij backend-7d9f-fghij: CrashLoopBackOff (container backend, 3 restarts)',
    ]);
  });
});
