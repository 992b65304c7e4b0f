// The local cluster answers only on loopback: every TCP socket its processes listen on (etcd without
// authentication, the API server, controller manager, scheduler, kwok controller) is bound to 127.0.0.1 or ::1,
// never to 0.0.0.0 or a public address. Read from /proc: the cluster's pids from kwokctl's pid files, their socket
// inodes from /proc/<pid>/fd, and each socket's local address from /proc/net/tcp and tcp6.
import assert from 'node:assert/strict';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { cachePaths } from '../../source/localcluster/paths.js';
import { testKubeconfig } from '../support/cluster.js';

const LISTEN = '0A';

/** `0100007F:1F90` (little-endian words, as the kernel prints them) as `127.0.0.1:8080` or `[::1]:8080`. */
function socketAddress(hex: string): string {
  const [ip = '', port = ''] = hex.split(':');
  const words = ip.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => Number.parseInt(b, 16)));
  const portNumber = Number.parseInt(port, 16);
  if (bytes.length === 4) return `${bytes.join('.')}:${portNumber}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  const v6 = groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  return `[${v6}]:${portNumber}`;
}

function isLoopback(address: string): boolean {
  return /^127\.\d+\.\d+\.\d+:/.test(address) || address.startsWith('[::1]:') || /^\[::ffff:7f/.test(address);
}

/** Listening TCP sockets of this network namespace, by inode. */
async function listeningSockets(): Promise<Map<string, string>> {
  const byInode = new Map<string, string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [, local, , state] = fields;
      const inode = fields[9];
      if (local && state === LISTEN && inode) byInode.set(inode, socketAddress(local));
    }
  }
  return byInode;
}

/** The pids kwokctl recorded for each component of the cluster, by component name. */
async function clusterPids(name: string): Promise<Map<string, number>> {
  const dir = join(cachePaths().kwok, 'clusters', name, 'pids');
  const pids = new Map<string, number>();
  for (const file of await readdir(dir)) {
    const pid = Number.parseInt(await readFile(join(dir, file), 'utf8'), 10);
    if (Number.isInteger(pid)) pids.set(file.replace(/\.pid$/, ''), pid);
  }
  return pids;
}

async function socketInodes(pid: number): Promise<string[]> {
  const dir = `/proc/${pid}/fd`;
  const inodes: string[] = [];
  for (const fd of await readdir(dir)) {
    const target = await readlink(join(dir, fd)).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.push(inode);
  }
  return inodes;
}

test('socket addresses from /proc/net read as the kernel means them', () => {
  assert.equal(socketAddress('0100007F:1F90'), '127.0.0.1:8080');
  assert.equal(socketAddress('00000000:0951'), '0.0.0.0:2385');
  assert.equal(socketAddress('00000000000000000000000001000000:2710'), '[::1]:10000');
  assert.equal(socketAddress('00000000000000000000000000000000:2710'), '[::]:10000');
});

test('every component of the local cluster listens on loopback only', async () => {
  const name = testKubeconfig().context.replace(/^kwok-/, '');
  const pids = await clusterPids(name);
  for (const component of [
    'etcd',
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kwok-controller',
  ])
    assert.ok(pids.has(component), `kwokctl started ${component}: ${[...pids.keys()].join(', ')}`);
  const listening = await listeningSockets();
  const found: string[] = [];
  const exposed: string[] = [];
  for (const [component, pid] of pids) {
    const addresses = (await socketInodes(pid)).flatMap((inode) => listening.get(inode) ?? []);
    // Each component serves something: a component with no listening socket found means this test reads nothing.
    assert.ok(addresses.length > 0, `${component} (pid ${pid}) listens on some TCP port`);
    for (const address of addresses) {
      found.push(`${component} ${address}`);
      if (!isLoopback(address)) exposed.push(`${component} ${address}`);
    }
  }
  assert.deepEqual(exposed, [], `listening beyond loopback (all: ${found.join(', ')})`);
});
