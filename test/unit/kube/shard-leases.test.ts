// The agents' heartbeat and owner Leases against a stand-in API server: what is sent, what a conflict means, and
// what of the cluster's answer is believed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ownerLeaseName } from '../../../source/engine/shard.js';
import { KubeCluster } from '../../../source/kube/index.js';
import { startFakeApiServerPerFile } from './fake-api-setup.js';

const { api, adapter } = startFakeApiServerPerFile();
const G = 'a1b2c3d4e5f60718';
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/driftdeck-system/leases';
const soon = () => new Date(Date.now() + 1000).toISOString();
const OTHER = 'ffffffffffffffff';
const owner = (app: string, holder: string | undefined, group = G, name = ownerLeaseName(app, group)) =>
  lease(name, holder, {
    annotations: { 'driftdeck.io/app': app },
    labels: { 'driftdeck.io/lease': 'owner', 'driftdeck.io/group': group },
  });
const beat = (id: string, holder: string, group = G) =>
  lease(`driftdeck-agent-${id}`, holder, {
    labels: { 'driftdeck.io/lease': 'agent', 'driftdeck.io/group': group },
  });
const lease = (name: string, holder: string | undefined, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: 'driftdeck-system', resourceVersion: '7', ...extra },
  spec: { ...(holder ? { holderIdentity: holder } : {}), leaseDurationSeconds: 15, renewTime: soon() },
});
const conflict = {
  status: 409,
  body: { kind: 'Status', code: 409, reason: 'Conflict', message: 'the object has been modified' },
};

describe('shard Leases in the cluster', () => {
  it('lists both kinds by label, sorts them by group, and believes only what driftdeck could have written', async () => {
    const cluster = adapter();
    api.answers.set(`GET ${LEASES}`, {
      body: {
        items: [
          beat('web-1', 'me@pod/agent-1-a'),
          beat('web-9', 'other@pod/agent-1-a', OTHER),
          lease('driftdeck-agent-Bad_Id', 'x'),
          owner('shop', 'web-1'),
          // An annotation naming another app than the Lease's name says: ignored.
          owner('payments', 'web-1', G, ownerLeaseName('shop', G)),
          // Held by something that is no agent id: counted as held by no agent.
          owner('cart', 'Evil\u001b[2J'),
          // Another repository's app of the same name: not this group's, but known.
          owner('blog', 'web-9', OTHER),
          // A Lease of the old naming (no group): ignored.
          lease('driftdeck-owner-shop', 'web-1', { annotations: { 'driftdeck.io/app': 'shop' } }),
        ],
      },
    });
    const read = await cluster.shardLeases.read(G);
    assert.deepEqual([...read.heartbeats.keys()], ['web-1']);
    assert.deepEqual([...read.otherHeartbeats.keys()], ['web-9']);
    assert.equal(read.owners.get('shop')?.holder, 'web-1');
    assert.equal(read.owners.has('payments'), false);
    assert.equal(read.owners.get('cart')?.holder, undefined);
    assert.equal(read.owners.has('blog'), false);
    assert.equal(read.otherOwners.get('blog')?.holder, 'web-9');
    assert.ok(api.requests.some((r) => r.includes('labelSelector=driftdeck.io%2Flease%3Dagent')));
    assert.ok(api.requests.some((r) => r.includes('labelSelector=driftdeck.io%2Flease%3Downer')));
    cluster.close();
  });

  it('creates an owner Lease with the agent as holder and the app in an annotation', async () => {
    const cluster = adapter();
    api.answers.set(`GET ${LEASES}`, { body: { items: [] } });
    api.answers.set(`POST ${LEASES}`, { status: 201, body: owner('Shop_Front', 'web-1') });
    await cluster.shardLeases.read(G);
    assert.equal(await cluster.shardLeases.claimOwner('Shop_Front', 'web-1', 4, G), true);
    const sent = JSON.parse(api.bodies.at(-1) ?? '{}');
    assert.equal(sent.metadata.name, ownerLeaseName('Shop_Front', G));
    assert.equal(sent.metadata.labels['driftdeck.io/group'], G);
    assert.equal(sent.metadata.annotations['driftdeck.io/app'], 'Shop_Front');
    assert.equal(sent.metadata.labels['driftdeck.io/lease'], 'owner');
    assert.equal(sent.spec.holderIdentity, 'web-1');
    assert.equal(sent.spec.leaseDurationSeconds, 4);
    cluster.close();
  });

  it('takes an expired Lease over with its resourceVersion, and a 409 (someone was faster) is a lost claim', async () => {
    const cluster = adapter();
    const stale = owner('shop', 'web-2');
    stale.spec.renewTime = new Date(Date.now() - 60_000).toISOString();
    api.answers.set(`GET ${LEASES}`, { body: { items: [stale] } });
    api.answers.set(`PUT ${LEASES}/${ownerLeaseName('shop', G)}`, conflict);
    await cluster.shardLeases.read(G);
    assert.equal(await cluster.shardLeases.claimOwner('shop', 'web-1', 15, G), false);
    const sent = JSON.parse(api.bodies.at(-1) ?? '{}');
    assert.equal(sent.metadata.resourceVersion, '7', 'a compare-and-swap on what was read');
    cluster.close();
  });

  it('never takes a heartbeat another live process holds, and never writes an owner Lease it holds, even one past its own expiry', async () => {
    const cluster = adapter();
    const old = owner('shop', 'web-1');
    old.spec.leaseDurationSeconds = 300;
    old.spec.renewTime = new Date(Date.now() - 3_600_000).toISOString();
    api.answers.set(`GET ${LEASES}`, { body: { items: [beat('web-1', 'other/agent-2-b'), old] } });
    await cluster.shardLeases.read(G);
    const before = api.requests.length;
    assert.equal(await cluster.shardLeases.claimHeartbeat('web-1', 'me/agent-1-a', 15, G), false);
    assert.equal(await cluster.shardLeases.claimOwner('shop', 'web-1', 300, G), true);
    assert.equal(api.requests.length, before, 'no request for either');
    cluster.close();
  });

  it("takes over an expired heartbeat of its id left by another repository's agent, rather than creating it again", async () => {
    const cluster = adapter();
    const stale = beat('web-1', 'gone/agent-1-a', OTHER);
    stale.spec.renewTime = new Date(Date.now() - 60_000).toISOString();
    api.answers.set(`GET ${LEASES}`, { body: { items: [stale] } });
    api.answers.set(`PUT ${LEASES}/driftdeck-agent-web-1`, { body: beat('web-1', 'me/agent-1-a') });
    await cluster.shardLeases.read(G);
    assert.equal(await cluster.shardLeases.claimHeartbeat('web-1', 'me/agent-1-a', 15, G), true);
    assert.ok(api.requests.at(-1)?.startsWith('PUT'), api.requests.at(-1));
    const sent = JSON.parse(api.bodies.at(-1) ?? '{}');
    assert.equal(sent.metadata.labels['driftdeck.io/group'], G);
    assert.equal(sent.metadata.resourceVersion, '7');
    cluster.close();
  });

  it('a watching process lists the Leases once, then reads its rounds from the watch; a refusal is a 403', async () => {
    api.answers.set(`GET ${LEASES}`, {
      body: { items: [beat('web-1', 'me/agent-1-a'), owner('shop', 'web-1')] },
    });
    const cluster = new KubeCluster({ kubeconfig: api.kubeconfig, watch: true });
    try {
      await cluster.shardLeases.read(G);
      const second = await cluster.shardLeases.read(G);
      assert.equal(second.owners.get('shop')?.holder, 'web-1');
      assert.deepEqual([...second.heartbeats.keys()], ['web-1']);
      const lists = api.requests.filter((r) => r.startsWith(`GET ${LEASES}?`) && !r.includes('watch=true'));
      assert.equal(lists.length, 1, lists.join('\n'));
      assert.ok(lists[0]?.includes('labelSelector=driftdeck.io%2Flease'), lists[0]);
    } finally {
      cluster.close();
    }
    api.answers.set(`GET ${LEASES}`, {
      status: 403,
      body: { kind: 'Status', code: 403, reason: 'Forbidden', message: 'leases is forbidden' },
    });
    const refused = new KubeCluster({ kubeconfig: api.kubeconfig, watch: true });
    try {
      await assert.rejects(refused.shardLeases.read(G), (err: { code?: number }) => err.code === 403);
    } finally {
      refused.close();
    }
  });

  it('refuses an agent id that is not a DNS label before any request', async () => {
    const cluster = adapter();
    await assert.rejects(
      cluster.shardLeases.claimHeartbeat('../x', 'me/agent-1-a', 15, G),
      /not a DNS-1123 label/,
    );
    assert.equal(api.requests.length, 0);
    cluster.close();
  });
});
