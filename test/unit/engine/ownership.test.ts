import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  APP_LABEL,
  isOwnedBy,
  markOwned,
  TRACKING_ANNOTATION,
  trackingId,
} from '../../../source/engine/ownership.js';
import type { KubeObject, ResourceKey } from '../../../source/engine/types.js';

const key: ResourceKey = { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'backend' };
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'backend', namespace: 'shop', labels: { app: 'backend' } },
  spec: { replicas: 1 },
};

test('trackingId names app, group/kind and namespace/name', () => {
  assert.equal(trackingId('backend', key), 'backend:apps/Deployment:shop/backend');
  assert.equal(
    trackingId('shop', { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'settings' }),
    'shop:/ConfigMap:shop/settings',
  );
});

test('markOwned adds the label and annotation to a copy', () => {
  const marked = markOwned(deployment, 'backend', key);
  assert.deepEqual(marked.metadata.labels, { app: 'backend', [APP_LABEL]: 'backend' });
  assert.deepEqual(marked.metadata.annotations, {
    [TRACKING_ANNOTATION]: 'backend:apps/Deployment:shop/backend',
  });
  assert.deepEqual(deployment.metadata.labels, { app: 'backend' }, 'the input is left alone');
  assert.equal(deployment.metadata.annotations, undefined);
});

describe('isOwnedBy', () => {
  const marked = markOwned(deployment, 'backend', key);
  const renamed: KubeObject = { ...marked, metadata: { ...marked.metadata, name: 'backend-copy' } };
  const moved: KubeObject = { ...marked, metadata: { ...marked.metadata, namespace: 'staging' } };
  const labelOnly: KubeObject = {
    ...deployment,
    metadata: { ...deployment.metadata, labels: { [APP_LABEL]: 'backend' } },
  };
  const cases: Array<{ name: string; obj: KubeObject; app: string; want: boolean }> = [
    { name: 'marked for this app and this object', obj: marked, app: 'backend', want: true },
    { name: 'marked for another app', obj: marked, app: 'frontend', want: false },
    { name: 'copied under another name', obj: renamed, app: 'backend', want: false },
    { name: 'copied into another namespace', obj: moved, app: 'backend', want: false },
    { name: 'label without annotation', obj: labelOnly, app: 'backend', want: false },
    { name: 'no mark at all', obj: deployment, app: 'backend', want: false },
  ];
  for (const { name, obj, app, want } of cases) test(name, () => assert.equal(isOwnedBy(obj, app), want));
});

test('markOwned takes the key from the object when none is given', () => {
  assert.deepEqual(markOwned(deployment, 'backend'), markOwned(deployment, 'backend', key));
  assert.equal(isOwnedBy(markOwned(deployment, 'backend'), 'backend'), true);
});
