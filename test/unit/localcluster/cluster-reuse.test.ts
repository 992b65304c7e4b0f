// A cluster reused by `cluster up` or the demo is reused only when it was made with this configuration (its kwok
// stages): one made with another, or by a driftdeck that wrote no configuration hash, is deleted and made again.
// kwokctl and kubectl are small scripts here that keep their clusters as folders and log what they were asked.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Tools } from '../../../source/localcluster/build.js';
import {
  clusterConfig,
  configHash,
  startCluster,
  stopCluster,
} from '../../../source/localcluster/cluster.js';
import { podLogsDir } from '../../../source/localcluster/kwok-logs.js';

let root: string;
let tools: Tools;
const saved = process.env.DRIFTDECK_CACHE_DIR;

const KWOKCTL = `#!/bin/sh
# --name N <command...>, or: get clusters
echo "$*" >> "$KWOK_WORKDIR/../kwokctl.log"
if [ "$1" = get ]; then ls "$KWOK_WORKDIR/clusters" 2>/dev/null; exit 0; fi
name="$2"; shift 2
[ "$1" = --config ] && shift 2
case "$1" in
  create)
    mkdir -p "$KWOK_WORKDIR/clusters/$name"
    while [ $# -gt 0 ]; do [ "$1" = --kubeconfig ] && : > "$2"; shift; done ;;
  delete) rm -rf "$KWOK_WORKDIR/clusters/$name" ;;
esac
exit 0
`;
const READY = JSON.stringify({
  items: [1, 2, 3].map((i) => ({
    metadata: { name: `kwok-node-${i}` },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  })),
});
const KUBECTL = `#!/bin/sh\necho '${READY}'\n`;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'driftdeck-reuse-'));
  process.env.DRIFTDECK_CACHE_DIR = root;
  await writeFile(join(root, 'kwokctl'), KWOKCTL);
  await writeFile(join(root, 'kubectl'), KUBECTL);
  await chmod(join(root, 'kwokctl'), 0o755);
  await chmod(join(root, 'kubectl'), 0o755);
  const bin = (name: string) => join(root, name);
  tools = {
    binDir: root,
    kubeApiserver: bin('kube-apiserver'),
    kubeControllerManager: bin('kube-controller-manager'),
    kubeScheduler: bin('kube-scheduler'),
    kubectl: bin('kubectl'),
    etcd: bin('etcd'),
    kwok: bin('kwok'),
    kwokctl: bin('kwokctl'),
    helm: bin('helm'),
    kustomize: bin('kustomize'),
    jsonnet: bin('driftdeck-jsonnet'),
  };
});
after(async () => {
  if (saved === undefined) delete process.env.DRIFTDECK_CACHE_DIR;
  else process.env.DRIFTDECK_CACHE_DIR = saved;
  await rm(root, { recursive: true, force: true });
});

/** Starts `name` with reuse, as `cluster up` does; answers the kwokctl commands it ran and what it said. */
async function up(name: string): Promise<{ commands: string[]; said: string[] }> {
  const log = join(root, 'kwokctl.log');
  await writeFile(log, '');
  const said: string[] = [];
  await startCluster({ name, tools, reuse: true, onProgress: (line) => said.push(line) });
  const commands = (await readFile(log, 'utf8'))
    .split('\n')
    .filter((l) => l.startsWith('--name'))
    .map((l) =>
      l
        .split(' ')
        .filter((w) => !w.startsWith('/') && !w.startsWith('--') && !/^\d+s?$/.test(w) && w !== name)
        .slice(0, 2)
        .join(' '),
    );
  return { commands, said };
}

const stamp = (name: string) => join(root, 'kwok', 'clusters', name, 'driftdeck-config.sha256');

describe('reusing a local cluster', () => {
  it('a new cluster is made with this configuration and its hash kept in its folder', async () => {
    const { commands } = await up('one');
    assert.deepEqual(commands, ['create cluster', 'scale node']);
    assert.equal((await readFile(stamp('one'), 'utf8')).trim(), configHash(clusterConfig('one')));
    const config = (await readFile(join(root, 'kwokctl.log'), 'utf8')).match(/--config (\S+)/)?.[1] ?? '';
    assert.match(await readFile(config, 'utf8'), /name: pod-fail/, 'kwokctl was given the stages');
    assert.match(await readFile(config, 'utf8'), /kind: ClusterLogs/, 'kwokctl was given the logs');
    const backend = await readFile(join(podLogsDir('one'), 'backend.log'), 'utf8');
    assert.match(
      backend,
      /^\S+Z stdout F level=info msg="starting backend"/,
      'the log files are written, CRI format',
    );
  });

  it('a log file lost from the cache is written again when the cluster is reused', async () => {
    await rm(podLogsDir('one'), { recursive: true });
    const { commands } = await up('one');
    assert.deepEqual(commands, []);
    assert.ok(existsSync(join(podLogsDir('one'), 'default-previous.log')));
  });

  it('made with this configuration and answering: reused as it is', async () => {
    const { commands, said } = await up('one');
    assert.deepEqual(commands, []);
    assert.ok(said.some((l) => l.includes('already running')));
  });

  it('made with another configuration: said, deleted and made again', async () => {
    await writeFile(stamp('one'), `${'0'.repeat(64)}\n`);
    const { commands, said } = await up('one');
    assert.ok(
      said.some((l) => l.includes('was made with another configuration')),
      said.join('\n'),
    );
    assert.deepEqual(commands, ['delete cluster', 'create cluster', 'scale node']);
    assert.equal((await readFile(stamp('one'), 'utf8')).trim(), configHash(clusterConfig('one')));
  });

  it('made before configurations had a hash: made again', async () => {
    await rm(stamp('one'));
    const { commands } = await up('one');
    assert.deepEqual(commands, ['delete cluster', 'create cluster', 'scale node']);
  });

  it('each cluster has its own configuration (its own log folder), and deleting it removes its logs', async () => {
    assert.notEqual(configHash(clusterConfig('one')), configHash(clusterConfig('two')));
    await up('two');
    assert.ok(existsSync(podLogsDir('two')));
    await stopCluster('two', tools);
    assert.ok(!existsSync(podLogsDir('two')), 'the log folder went with the cluster');
  });
});
