import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  podFailure,
  podFailureEvent,
  progressEvent,
  workloadProgress,
} from '../../../source/engine/progress.js';
import { loadObject } from './fixtures.js';

describe('workloadProgress', () => {
  const cases: Array<{ file: string; want: string | undefined }> = [
    { file: 'deployment-progressing.yaml', want: 'Deployment/backend: 1/3 updated, 3 available' },
    { file: 'deployment-updated-not-available.yaml', want: 'Deployment/backend: 3/3 updated, 1 available' },
    { file: 'statefulset-partitioned-rollout.yaml', want: 'StatefulSet/db: 1/5 updated, 5 ready' },
    { file: 'daemonset-progressing.yaml', want: 'DaemonSet/log-agent: 1/3 updated, 2 available' },
    { file: 'deployment-no-status.yaml', want: 'Deployment/backend: 0/2 updated, 0 available' },
    { file: 'replicaset-healthy.yaml', want: undefined },
    { file: 'pod-running-ready.yaml', want: undefined },
    { file: 'configmap-plain.yaml', want: undefined },
  ];
  for (const { file, want } of cases) {
    test(file, () => assert.equal(workloadProgress(loadObject(`health/${file}`)), want));
  }
});

describe('podFailure', () => {
  const cases: Array<{ file: string; want: string | undefined }> = [
    {
      file: 'pod-imagepullbackoff.yaml',
      want: 'backend-7d9f8c6b5-abc12: ImagePullBackOff (image ghcr.io/shop/backend:v9.9.9)',
    },
    {
      file: 'pod-crashloopbackoff.yaml',
      want: 'backend-7d9f8c6b5-def34: CrashLoopBackOff (container app, 5 restarts)',
    },
    {
      file: 'pod-createcontainerconfigerror.yaml',
      want: 'backend-7d9f8c6b5-ghi56: CreateContainerConfigError (secret "backend-db" not found)',
    },
    {
      file: 'pod-unschedulable.yaml',
      want: 'backend-7d9f8c6b5-pqr12: Unschedulable (0/1 nodes are available: 1 Insufficient memory.)',
    },
    { file: 'pod-running-ready.yaml', want: undefined },
    { file: 'pod-pending.yaml', want: undefined },
    { file: 'deployment-healthy.yaml', want: undefined },
  ];
  for (const { file, want } of cases)
    test(file, () => assert.equal(podFailure(loadObject(`health/${file}`)), want));
});

test('events carry app, time, type, level and resource', () => {
  const time = '2026-01-10T10:00:00.000Z';
  assert.deepEqual(progressEvent('backend', loadObject('health/deployment-progressing.yaml'), time), {
    time,
    app: 'backend',
    level: 'info',
    type: 'progress',
    message: 'Deployment/backend: 1/3 updated, 3 available',
    resource: 'Deployment/backend',
  });
  const failure = podFailureEvent('backend', loadObject('health/pod-imagepullbackoff.yaml'), time);
  assert.equal(failure?.type, 'pod-failure');
  assert.equal(failure?.level, 'warning');
  assert.equal(failure?.resource, 'Pod/backend-7d9f8c6b5-abc12');
  assert.equal(progressEvent('backend', loadObject('health/configmap-plain.yaml'), time), undefined);
  assert.equal(podFailureEvent('backend', loadObject('health/pod-running-ready.yaml'), time), undefined);
});
