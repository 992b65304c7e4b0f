// The local cluster's kwok configuration as data: one document of options, then Stages for nodes and pods. kwok
// picks at random among stages that match an object, so the pod stages are checked to be exclusive on the pods
// that matter: each selector is evaluated here as kwok evaluates it (a jq query, then In/NotIn/Exists/DoesNotExist
// on the values it yields), for the few queries the stages use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { clusterConfig, configHash } from '../../../source/localcluster/cluster.js';
import { FAIL_ANNOTATION } from '../../../source/localcluster/kwok-stages.js';

interface Expression {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}
interface Stage {
  kind: string;
  metadata: { name: string };
  spec: { resourceRef: { kind: string }; selector: { matchExpressions: Expression[] } };
}

const CLUSTER_CONFIG = clusterConfig('unit');
const docs = parseAllDocuments(CLUSTER_CONFIG).map((d) => {
  assert.deepEqual(d.errors, [], 'every document is valid YAML');
  return d.toJS() as Record<string, unknown>;
});
const stages = docs.filter((d) => d.kind === 'Stage') as unknown as Stage[];
const podStages = stages.filter((s) => s.spec.resourceRef.kind === 'Pod');

// biome-ignore lint/suspicious/noExplicitAny: a pod as JSON, read by paths
type Pod = any;

/** The values a query yields for `pod`, for exactly the queries the stages use. */
function query(key: string, pod: Pod): unknown[] {
  const some = (v: unknown) => (v === undefined || v === null ? [] : [v]);
  const tagTest = /^\.spec\.containers\.\[\]\.image \| test\("(.*)"\)$/.exec(key);
  if (tagTest?.[1]) {
    const re = new RegExp(tagTest[1]);
    return (pod.spec?.containers ?? []).map((c: { image: string }) => re.test(c.image));
  }
  switch (key) {
    case '.metadata.deletionTimestamp':
      return some(pod.metadata?.deletionTimestamp);
    case '.status.phase':
      return some(pod.status?.phase);
    case '.spec.restartPolicy':
      return some(pod.spec?.restartPolicy);
    case '.status.conditions.[] | select( .type == "Ready" ) | .status':
      return (pod.status?.conditions ?? [])
        .filter((c: { type: string }) => c.type === 'Ready')
        .map((c: { status: string }) => c.status);
    case '.metadata.ownerReferences.[].kind':
      return (pod.metadata?.ownerReferences ?? []).map((o: { kind: string }) => o.kind);
    case `.metadata.annotations["${FAIL_ANNOTATION}"]`:
      return some(pod.metadata?.annotations?.[FAIL_ANNOTATION]);
    case '.status.containerStatuses.[].state.waiting.reason':
      return (pod.status?.containerStatuses ?? []).flatMap(
        (c: { state?: { waiting?: { reason?: string } } }) => some(c.state?.waiting?.reason),
      );
  }
  throw new Error(`the test does not know the selector query ${key}: add it here`);
}

function matches(stage: Stage, pod: Pod): boolean {
  return stage.spec.selector.matchExpressions.every((e) => {
    const found = query(e.key, pod).map(String);
    const hit = found.some((v) => e.values?.includes(v));
    switch (e.operator) {
      case 'In':
        return hit;
      case 'NotIn':
        return !hit;
      case 'Exists':
        return found.length > 0;
      case 'DoesNotExist':
        return found.length === 0;
    }
    return false;
  });
}

const matching = (pod: Pod) => podStages.filter((s) => matches(s, pod)).map((s) => s.metadata.name);

function pod(opts: {
  image?: string;
  phase?: string;
  ready?: boolean;
  job?: boolean;
  fail?: boolean;
  restartPolicy?: string;
  deleting?: boolean;
  waiting?: string;
}): Pod {
  return {
    metadata: {
      ...(opts.job
        ? { ownerReferences: [{ kind: 'Job', name: 'j' }] }
        : { ownerReferences: [{ kind: 'ReplicaSet' }] }),
      ...(opts.fail ? { annotations: { [FAIL_ANNOTATION]: 'true' } } : {}),
      ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      restartPolicy: opts.restartPolicy ?? (opts.job ? 'Never' : 'Always'),
      containers: [
        { name: 'app', image: 'busybox:1.36' },
        { name: 'main', image: opts.image ?? 'nginx:1.25' },
      ],
    },
    status: {
      phase: opts.phase ?? 'Pending',
      ...(opts.ready === undefined
        ? {}
        : { conditions: [{ type: 'Ready', status: opts.ready ? 'True' : 'False' }] }),
      ...(opts.waiting ? { containerStatuses: [{ state: { waiting: { reason: opts.waiting } } }] } : {}),
    },
  };
}

describe('the local cluster kwok configuration', () => {
  it('binds to loopback and, replacing all of kwokctl defaults, brings node stages and pod deletion itself', () => {
    const [options] = docs;
    assert.equal(options?.kind, 'KwokctlConfiguration');
    assert.deepEqual(options?.options, { bindAddress: '127.0.0.1' });
    const names = stages.map((s) => s.metadata.name);
    assert.equal(new Set(names).size, names.length, 'stage names are unique');
    for (const name of ['node-initialize', 'node-heartbeat-with-lease', 'pod-ready', 'pod-delete'])
      assert.ok(names.includes(name), `${name} is configured`);
    const logs = docs.filter((d) => d.kind === 'ClusterLogs');
    assert.equal(logs.length, 1, 'one ClusterLogs names the pod log files');
    assert.equal(docs.length, 1 + stages.length + logs.length, 'nothing but options, stages and logs');
  });

  it('each pod state is taken by exactly the stage meant for it, never two', () => {
    const cases: Array<[string, Pod, string[]]> = [
      ['a new pod', pod({}), ['pod-ready']],
      ['a new pod of a Job', pod({ job: true }), ['pod-ready']],
      [
        'a pod whose image tag ends in -broken',
        pod({ image: 'shop:1.2-broken' }),
        ['pod-image-pull-backoff'],
      ],
      ['the broken pod once backing off', pod({ image: 'shop:1.2-broken', waiting: 'ImagePullBackOff' }), []],
      [
        'a registry port and a repository named -broken',
        pod({ image: 'reg.local:5000/shop-broken:1.0' }),
        ['pod-ready'],
      ],
      ['a repository named -broken, no tag', pod({ image: 'reg.local:5000/shop-broken' }), ['pod-ready']],
      ['a running pod of a Deployment', pod({ phase: 'Running', ready: true }), []],
      ['a running pod of a Job', pod({ phase: 'Running', ready: true, job: true }), ['pod-complete']],
      ['a running Job pod marked to fail', pod({ phase: 'Running', job: true, fail: true }), ['pod-fail']],
      [
        'a marked Job pod restarting OnFailure',
        pod({ phase: 'Running', job: true, fail: true, restartPolicy: 'OnFailure' }),
        ['pod-fail'],
      ],
      ['a marked pod that restarts Always', pod({ phase: 'Running', fail: true }), []],
      ['a finished Job pod', pod({ phase: 'Succeeded', job: true }), []],
      ['a failed Job pod', pod({ phase: 'Failed', job: true, fail: true }), []],
      ['a pod being deleted', pod({ phase: 'Running', job: true, deleting: true }), ['pod-delete']],
    ];
    for (const [what, p, expected] of cases) assert.deepEqual(matching(p), expected, what);
  });

  it('a changed configuration has another hash (a reused cluster made with the old one is made again)', () => {
    assert.equal(configHash(clusterConfig('unit')), configHash(CLUSTER_CONFIG));
    assert.notEqual(configHash(CLUSTER_CONFIG), configHash(CLUSTER_CONFIG.replace('pod-fail', 'pod-fails')));
  });
});
