import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { liveHealth, resourceHealth, worstHealth } from '../../../../source/engine/health/index.js';
import type { Health, HealthStatus } from '../../../../source/engine/types.js';
import { fixtureFiles, loadObject } from '../fixtures.js';

/** Every fixture in test/fixtures/engine/health, with the health it must get. */
const CASES: Array<{ file: string; status: HealthStatus; message?: RegExp }> = [
  { file: 'deployment-healthy.yaml', status: 'Healthy' },
  {
    file: 'deployment-progressing.yaml',
    status: 'Progressing',
    message: /1 out of 3 new replicas have been updated/,
  },
  {
    file: 'deployment-old-replicas-terminating.yaml',
    status: 'Progressing',
    message: /1 old replicas are pending termination/,
  },
  {
    file: 'deployment-updated-not-available.yaml',
    status: 'Progressing',
    message: /^Waiting for rollout to finish: 1 of 3 updated replicas are available\.\.\.$/,
  },
  { file: 'deployment-deadline-exceeded.yaml', status: 'Degraded', message: /progress deadline.*timed out/ },
  { file: 'deployment-paused.yaml', status: 'Suspended', message: /paused/ },
  { file: 'deployment-generation-not-observed.yaml', status: 'Progressing', message: /not observed/ },
  { file: 'deployment-no-status.yaml', status: 'Progressing' },
  { file: 'deployment-being-deleted.yaml', status: 'Progressing', message: /deletion/ },
  { file: 'statefulset-healthy.yaml', status: 'Healthy' },
  {
    file: 'statefulset-rolling-update.yaml',
    status: 'Progressing',
    message: /1 pods at revision db-84f5d9c7b/,
  },
  {
    file: 'statefulset-partitioned-rollout.yaml',
    status: 'Progressing',
    message: /partitioned roll out to finish: 1 out of 3 new pods/,
  },
  {
    file: 'statefulset-partitioned-complete.yaml',
    status: 'Healthy',
    message: /partitioned roll out complete: 3/,
  },
  {
    file: 'statefulset-pods-not-ready.yaml',
    status: 'Progressing',
    message: /Waiting for 2 pods to be ready/,
  },
  {
    file: 'statefulset-ondelete-pending.yaml',
    status: 'Healthy',
    message: /0 of 3 pods at revision db-84f5d9c7b/,
  },
  { file: 'daemonset-healthy.yaml', status: 'Healthy' },
  {
    file: 'daemonset-progressing.yaml',
    status: 'Progressing',
    message: /1 out of 3 new pods have been updated/,
  },
  {
    file: 'daemonset-updated-not-available.yaml',
    status: 'Progressing',
    message: /2 of 3 updated pods are available/,
  },
  { file: 'replicaset-healthy.yaml', status: 'Healthy' },
  { file: 'replicaset-replica-failure.yaml', status: 'Degraded', message: /exceeded quota/ },
  { file: 'pod-running-ready.yaml', status: 'Healthy' },
  {
    file: 'pod-imagepullbackoff.yaml',
    status: 'Degraded',
    message: /^ImagePullBackOff \(Back-off pulling image/,
  },
  { file: 'pod-errimagepull.yaml', status: 'Degraded', message: /^ErrImagePull/ },
  { file: 'pod-crashloopbackoff.yaml', status: 'Degraded', message: /^CrashLoopBackOff/ },
  {
    file: 'pod-createcontainerconfigerror.yaml',
    status: 'Degraded',
    message: /secret "backend-db" not found/,
  },
  {
    file: 'pod-init-container-failing.yaml',
    status: 'Degraded',
    message: /restarting failed container=migrate/,
  },
  { file: 'pod-pending.yaml', status: 'Progressing' },
  { file: 'pod-unschedulable.yaml', status: 'Progressing', message: /Insufficient memory/ },
  { file: 'pod-running-not-ready.yaml', status: 'Progressing' },
  { file: 'pod-succeeded.yaml', status: 'Healthy' },
  { file: 'pod-failed.yaml', status: 'Degraded', message: /exit code 3/ },
  { file: 'service-clusterip.yaml', status: 'Healthy' },
  { file: 'service-loadbalancer-pending.yaml', status: 'Progressing', message: /load balancer/ },
  { file: 'service-loadbalancer-ready.yaml', status: 'Healthy' },
  { file: 'ingress-no-address.yaml', status: 'Progressing' },
  { file: 'ingress-ready.yaml', status: 'Healthy' },
  { file: 'pvc-bound.yaml', status: 'Healthy' },
  { file: 'pvc-pending.yaml', status: 'Progressing' },
  { file: 'pvc-lost.yaml', status: 'Degraded', message: /Lost/ },
  { file: 'job-complete.yaml', status: 'Healthy' },
  { file: 'job-failed.yaml', status: 'Degraded', message: /backoff limit/ },
  { file: 'job-suspended.yaml', status: 'Suspended' },
  { file: 'job-running.yaml', status: 'Progressing', message: /1 active/ },
  { file: 'cronjob-scheduling.yaml', status: 'Healthy' },
  { file: 'cronjob-suspended.yaml', status: 'Suspended' },
  { file: 'configmap-plain.yaml', status: 'Healthy' },
  { file: 'clusterrolebinding-plain.yaml', status: 'Healthy' },
  { file: 'namespace-active.yaml', status: 'Healthy' },
  { file: 'namespace-terminating.yaml', status: 'Progressing' },
  { file: 'customresourcedefinition-established.yaml', status: 'Healthy' },
  {
    file: 'customresourcedefinition-pending.yaml',
    status: 'Progressing',
    message: /names have not been accepted/,
  },
  { file: 'customresourcedefinition-new.yaml', status: 'Progressing', message: /established/ },
  { file: 'customresourcedefinition-names-conflict.yaml', status: 'Degraded', message: /already in use/ },
  { file: 'certificate-ready.yaml', status: 'Healthy' },
  { file: 'certificate-failed.yaml', status: 'Degraded', message: /failed to complete/ },
  { file: 'certificate-issuing.yaml', status: 'Progressing', message: /Issuing/ },
  { file: 'widget-no-status.yaml', status: 'Unknown' },
  { file: 'widget-other-conditions.yaml', status: 'Unknown', message: /Synced/ },
];

describe('resourceHealth on fixtures', () => {
  for (const { file, status, message } of CASES) {
    test(`${file} is ${status}`, () => {
      const health = resourceHealth(loadObject(`health/${file}`));
      assert.equal(health.status, status, `message: ${health.message}`);
      if (message) assert.match(health.message ?? '', message);
    });
  }

  test('every health fixture has a case, and every case a fixture', () => {
    assert.deepEqual(fixtureFiles('health'), CASES.map((c) => c.file).sort());
  });
});

describe('worstHealth', () => {
  const cases: Array<{ name: string; list: Health[]; want: Health }> = [
    { name: 'empty list is Healthy', list: [], want: { status: 'Healthy' } },
    {
      name: 'Degraded beats Progressing and keeps its message',
      list: [{ status: 'Progressing' }, { status: 'Degraded', message: 'boom' }, { status: 'Healthy' }],
      want: { status: 'Degraded', message: 'boom' },
    },
    {
      name: 'Unknown is worst',
      list: [{ status: 'Degraded' }, { status: 'Unknown' }, { status: 'Missing' }],
      want: { status: 'Unknown' },
    },
    {
      name: 'Missing beats Progressing',
      list: [{ status: 'Missing' }, { status: 'Progressing' }],
      want: { status: 'Missing' },
    },
    {
      name: 'Suspended beats Healthy',
      list: [{ status: 'Healthy' }, { status: 'Suspended' }],
      want: { status: 'Suspended' },
    },
    {
      name: 'the first of equally bad ones wins',
      list: [
        { status: 'Degraded', message: 'first' },
        { status: 'Degraded', message: 'second' },
      ],
      want: { status: 'Degraded', message: 'first' },
    },
  ];
  for (const { name, list, want } of cases) {
    test(name, () => assert.deepEqual(worstHealth(list), want));
  }
});

test('a missing live object is Missing', () => {
  assert.deepEqual(liveHealth(undefined), { status: 'Missing' });
  assert.equal(liveHealth(loadObject('health/configmap-plain.yaml')).status, 'Healthy');
});
