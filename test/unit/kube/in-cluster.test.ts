// Running as a pod: the API server and its CA from the service environment and the ServiceAccount folder, and a token
// the kubelet rotates, re-read on the way to requests over HTTP/2, HTTP/1.1 (watches) and streams (logs). A stand-in
// API server over TLS (h2 and http/1.1 by ALPN) accepts only the token it is told is current.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connect } from '../../../source/kube/client.js';
import { detectInCluster, TokenFile } from '../../../source/kube/in-cluster.js';

let dir: string;
let saDir: string;
let server: http2.Http2SecureServer;
let port: number;
/** Every connection to the stand-in server, ended after the tests (keep-alive sockets would hold the process). */
const sockets = new Set<import('node:net').Socket>();
/** The token the stand-in server accepts; anything else is a 401. */
let valid = 'token-one';
const seen: Array<{ protocol: string; path: string; auth: string; status: number }> = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'driftdeck-incluster-'));
  saDir = join(dir, 'serviceaccount');
  execFileSync('mkdir', ['-p', saDir]);
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  );
  writeFileSync(join(saDir, 'ca.crt'), readFileSync(cert));
  writeFileSync(join(saDir, 'namespace'), 'agents\n');
  writeFileSync(join(saDir, 'token'), 'token-one');
  server = http2.createSecureServer(
    { key: readFileSync(key), cert: readFileSync(cert), allowHTTP1: true },
    (req, res) => {
      const auth = String(req.headers.authorization ?? '');
      const ok = auth === `Bearer ${valid}`;
      seen.push({ protocol: req.httpVersion, path: req.url ?? '', auth, status: ok ? 200 : 401 });
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      if (!ok) return res.end(JSON.stringify({ kind: 'Status', code: 401, message: 'Unauthorized' }));
      if ((req.url ?? '').includes('watch=true'))
        return res.end(`${JSON.stringify({ type: 'ADDED', object: { kind: 'ConfigMap' } })}\n`);
      res.end(JSON.stringify({ kind: 'APIVersions', versions: ['v1'] }));
    },
  );
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  const closed = new Promise((r) => server.close(r));
  for (const socket of sockets) socket.destroy();
  await closed;
  rmSync(dir, { recursive: true, force: true });
});

const podEnv = (): NodeJS.ProcessEnv => ({
  HOME: join(dir, 'home'),
  KUBERNETES_SERVICE_HOST: '127.0.0.1',
  KUBERNETES_SERVICE_PORT: String(port),
  DRIFTDECK_SERVICEACCOUNT_DIR: saDir,
});

test('no KUBERNETES_SERVICE_HOST: not a pod; a pod without its token folder says which files are missing', () => {
  assert.equal(detectInCluster({}), undefined);
  assert.throws(
    () => detectInCluster({ ...podEnv(), DRIFTDECK_SERVICEACCOUNT_DIR: join(dir, 'nothing') }),
    /nothing\/token, .*nothing\/ca\.crt, .*nothing\/namespace do not exist: mount the ServiceAccount token/,
  );
  assert.throws(() => detectInCluster({ ...podEnv(), KUBERNETES_SERVICE_PORT: 'x' }), /"x", not a port/);
  assert.throws(
    () => detectInCluster({ ...podEnv(), KUBERNETES_SERVICE_HOST: 'a b' }),
    /is not a host name or an IP address/,
  );
  assert.deepEqual(
    detectInCluster({ ...podEnv(), KUBERNETES_SERVICE_HOST: 'fd00::1' })?.server,
    `https://[fd00::1]:${port}`,
  );
});

test('a token with a line break is refused, naming the file', () => {
  const file = join(dir, 'bad-token');
  writeFileSync(file, 'abc\ndef');
  assert.throws(() => new TokenFile(file), /bad-token has spaces, control or non-ASCII characters/);
});

test('with no kubeconfig, a pod connects to the service host with the CA and the token, over HTTP/2', async () => {
  valid = 'token-one';
  writeFileSync(join(saDir, 'token'), 'token-one');
  const conn = connect({ env: podEnv() });
  assert.equal(conn.context, 'in-cluster');
  assert.equal(conn.server, `https://127.0.0.1:${port}`);
  assert.equal(conn.podNamespace, 'agents');
  seen.length = 0;
  await conn.raw.request('GET', '/api');
  assert.deepEqual(seen, [{ protocol: '2.0', path: '/api', auth: 'Bearer token-one', status: 200 }]);
});

test('a rotated token: after a 401 the file is read again and the request sent once more, on every transport', async () => {
  writeFileSync(join(saDir, 'token'), 'token-one');
  valid = 'token-one';
  const conn = connect({ env: podEnv() });
  await conn.raw.request('GET', '/api');
  // The kubelet writes the new token and the API server stops accepting the old one within the same second.
  writeFileSync(join(saDir, 'token'), 'token-two');
  valid = 'token-two';
  seen.length = 0;
  await conn.raw.request('GET', '/api');
  assert.deepEqual(
    seen.map((s) => [s.protocol, s.auth, s.status]),
    [
      ['2.0', 'Bearer token-one', 401],
      ['2.0', 'Bearer token-two', 200],
    ],
  );
  writeFileSync(join(saDir, 'token'), 'token-three');
  valid = 'token-three';
  seen.length = 0;
  const events: unknown[] = [];
  await conn.raw.watch('/api/v1/configmaps', {}, (e) => events.push(e), new AbortController().signal);
  assert.deepEqual(
    seen.map((s) => [s.protocol, s.auth, s.status]),
    [
      ['1.1', 'Bearer token-two', 401],
      ['1.1', 'Bearer token-three', 200],
    ],
  );
  assert.equal(events.length, 1);
  writeFileSync(join(saDir, 'token'), 'token-four');
  valid = 'token-four';
  seen.length = 0;
  const res = await conn.raw.stream('/api/v1/namespaces/a/pods/p/log', {}, new AbortController().signal);
  res.resume();
  assert.deepEqual(
    seen.map((s) => [s.protocol, s.auth, s.status]),
    [
      ['1.1', 'Bearer token-three', 401],
      ['1.1', 'Bearer token-four', 200],
    ],
  );
});

test('a 401 with the token file unchanged is the answer: no retry with the same token', async () => {
  writeFileSync(join(saDir, 'token'), 'token-five');
  valid = 'revoked';
  const conn = connect({ env: podEnv() });
  seen.length = 0;
  await assert.rejects(conn.raw.request('GET', '/api'), /Unauthorized/);
  assert.equal(seen.length, 1);
});

test('the token file is read again at most once a second on the way to requests', () => {
  const file = join(dir, 'clocked-token');
  writeFileSync(file, 'first');
  let now = 10_000;
  const token = new TokenFile(file, () => now);
  writeFileSync(file, 'second');
  now += 999;
  assert.equal(token.current(), 'first');
  now += 1;
  assert.equal(token.current(), 'second');
  // A file that cannot be read for a moment (the kubelet swapping its link) keeps the last token.
  rmSync(file);
  now += 5_000;
  assert.equal(token.current(), 'second');
});

test('a kubeconfig wins over the pod: KUBECONFIG, then ~/.kube/config, then in-cluster (as kubectl)', async () => {
  const fake = (name: string) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server: `https://${name}.example.test` } }],
      users: [{ name, user: { token: 'x' } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
    });
  const home = join(dir, 'home-with-config');
  execFileSync('mkdir', ['-p', join(home, '.kube')]);
  writeFileSync(join(home, '.kube', 'config'), fake('from-home'));
  writeFileSync(join(dir, 'listed.yaml'), fake('listed'));
  assert.equal(connect({ env: { ...podEnv(), HOME: home } }).context, 'from-home');
  assert.equal(
    connect({ env: { ...podEnv(), HOME: home, KUBECONFIG: join(dir, 'listed.yaml') } }).context,
    'listed',
  );
  assert.equal(connect({ env: podEnv() }).context, 'in-cluster');
  assert.throws(
    () => connect({ env: { HOME: join(dir, 'home') } }),
    /no kubeconfig: KUBECONFIG is not set and .*does not exist \(nor is this a pod/,
  );
});
