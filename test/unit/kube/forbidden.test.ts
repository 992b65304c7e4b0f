import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplyError } from '../../../source/kube/apply-error.js';
import { describeFailure, forbiddenText } from '../../../source/kube/errors.js';

const SA = 'system:serviceaccount:team-a:dev';

describe('a denial of rights, in words', () => {
  it('names the verb, the resource and the namespace', () => {
    assert.equal(
      forbiddenText(
        `configmaps is forbidden: User "${SA}" cannot list resource "configmaps" in API group "" in the namespace "driftdeck-system"`,
      ),
      `forbidden: cannot list configmaps in namespace driftdeck-system (as ${SA})`,
    );
    assert.equal(
      forbiddenText(
        `deployments.apps "web" is forbidden: User "${SA}" cannot patch resource "deployments" in API group "apps" in the namespace "shop"`,
      ),
      `forbidden: cannot patch deployments.apps in namespace shop (as ${SA})`,
    );
  });

  it('says cluster-wide for a cluster-scoped kind', () => {
    assert.equal(
      forbiddenText(
        `namespaces "shop" is forbidden: User "${SA}" cannot get resource "namespaces" in API group "" at the cluster scope`,
      ),
      `forbidden: cannot get namespaces cluster-wide (as ${SA})`,
    );
  });

  it('keeps any other refusal as the server said it', () => {
    const admission = 'pods "x" is forbidden: violates PodSecurity "restricted:latest"';
    assert.equal(forbiddenText(admission), undefined);
    assert.equal(
      new ApplyError({ code: 403, reason: 'Forbidden', message: admission }).message,
      `Forbidden: ${admission}`,
    );
  });

  it('is how a refused request reads, never as an unreachable API server', () => {
    const body = {
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message: `leases.coordination.k8s.io "driftdeck-sync-shop" is forbidden: User "${SA}" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "driftdeck-system"`,
    };
    const text = `forbidden: cannot get leases.coordination.k8s.io in namespace driftdeck-system (as ${SA})`;
    assert.equal(describeFailure({ code: 403, body }), text);
    assert.equal(new ApplyError({ code: 403, reason: 'Forbidden', message: body.message }).message, text);
  });
});
