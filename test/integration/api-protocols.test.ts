// The API client's choice of protocol, against local TLS servers: one multiplexed HTTP/2 connection when the server
// offers it (as kube-apiserver does: every cluster test runs over it), HTTP/1.1 when the server does not, and a
// new connection after the server drops one. The request and answer must be the same either way.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { HttpError, RawClient } from '../../source/kube/http.js';
import { requireTools } from './git-servers.js';

interface Seen {
  version: string;
  method: string;
  url: string;
  body: string;
  auth: string | undefined;
  contentType: string | undefined;
}

let dir: string;
let tlsFiles: { key: Buffer; cert: Buffer };

before(async () => {
  await requireTools({ openssl: true });
  dir = await mkdtemp(path.join(tmpdir(), 'driftdeck-api-protocols-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2'],
    ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    ...['-keyout', key, '-out', cert],
  ]);
  tlsFiles = { key: await readFile(key), cert: await readFile(cert) };
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Answers like the API server: the object for GET, a Status 409 for PATCH of "taken", 201 for the rest. */
function handler(seen: Seen[]) {
  return (
    req: http.IncomingMessage | http2.Http2ServerRequest,
    res: http.ServerResponse | http2.Http2ServerResponse,
  ) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        version: req.httpVersion,
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
        auth: req.headers.authorization,
        contentType: req.headers['content-type'],
      });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url?.includes('/taken'))
        send(409, { kind: 'Status', reason: 'Conflict', message: 'Apply failed with 1 conflict' });
      else if (req.method === 'GET')
        send(200, { kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } });
      else send(201, { kind: 'ConfigMap', metadata: { name: 'y' } });
    });
  };
}

function client(port: number): RawClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'local', server: `https://127.0.0.1:${port}`, caData: tlsFiles.cert.toString('base64') },
    ],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'local', cluster: 'local', user: 'u' }],
    currentContext: 'local',
  });
  return new RawClient(kc);
}

async function listen(server: https.Server | http2.Http2SecureServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function exercise(raw: RawClient): Promise<void> {
  const got = await Promise.all(
    Array.from({ length: 8 }, () => raw.request<{ data: { a: string } }>('GET', '/api/v1/x')),
  );
  assert.deepEqual(
    got.map((g) => g.data.a),
    Array(8).fill('1'),
  );
  const created = await raw.request<{ metadata: { name: string } }>('PATCH', '/api/v1/y', {
    body: { kind: 'ConfigMap', metadata: { name: 'y' } },
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: 'driftdeck', force: undefined },
  });
  assert.equal(created.metadata.name, 'y');
  await assert.rejects(
    raw.request('PATCH', '/api/v1/taken', { body: {}, contentType: 'application/apply-patch+yaml' }),
    (err: unknown) => err instanceof HttpError && err.statusCode === 409 && /1 conflict/.test(err.message),
  );
}

function checkRequests(seen: Seen[], version: string): void {
  assert.equal(seen.length, 10);
  assert.ok(
    seen.every((s) => s.version === version),
    `all over HTTP ${version}: ${seen.map((s) => s.version)}`,
  );
  assert.ok(seen.every((s) => s.auth === 'Bearer secret-token'));
  const apply = seen.find((s) => s.url.startsWith('/api/v1/y'));
  assert.equal(apply?.url, '/api/v1/y?fieldManager=driftdeck');
  assert.equal(apply?.contentType, 'application/apply-patch+yaml');
  assert.deepEqual(JSON.parse(apply?.body ?? ''), { kind: 'ConfigMap', metadata: { name: 'y' } });
}

describe('the API client over TLS', () => {
  it('sends every request over one HTTP/2 connection when the server offers HTTP/2', async () => {
    const seen: Seen[] = [];
    const server = http2.createSecureServer({ ...tlsFiles, allowHTTP1: true }, handler(seen));
    const sessions: http2.ServerHttp2Session[] = [];
    server.on('session', (s) => sessions.push(s));
    const raw = client(await listen(server));
    try {
      await exercise(raw);
      checkRequests(seen, '2.0');
      assert.equal(sessions.length, 1, 'one connection for all ten requests');
    } finally {
      for (const s of sessions) s.destroy();
      server.close();
    }
  });

  it('keeps to HTTP/1.1 with a server that does not offer HTTP/2', async () => {
    const seen: Seen[] = [];
    const server = https.createServer(tlsFiles, handler(seen));
    const raw = client(await listen(server));
    try {
      await exercise(raw);
      checkRequests(seen, '1.1');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('opens a new HTTP/2 connection after the server drops the last one', async () => {
    const seen: Seen[] = [];
    const server = http2.createSecureServer(tlsFiles, handler(seen));
    const sessions: http2.ServerHttp2Session[] = [];
    server.on('session', (s) => sessions.push(s));
    const raw = client(await listen(server));
    try {
      await raw.request('GET', '/api/v1/x');
      sessions[0]?.destroy();
      await new Promise((r) => setTimeout(r, 50));
      const again = await raw.request<{ data: { a: string } }>('GET', '/api/v1/x');
      assert.equal(again.data.a, '1');
      assert.equal(sessions.length, 2);
      assert.deepEqual(
        seen.map((s) => s.version),
        ['2.0', '2.0'],
      );
    } finally {
      for (const s of sessions) s.destroy();
      server.close();
    }
  });

  it('keeps to the streams the server allows on one connection, and sends a refused request again', async () => {
    // A server that allows 4 streams at once, answers each after 30 ms, and refuses (RST_STREAM REFUSED_STREAM,
    // before processing) the first try of every third request: the fleet's sync once failed on such refusals.
    const server = http2.createSecureServer({ ...tlsFiles, settings: { maxConcurrentStreams: 4 } });
    const sessions: http2.ServerHttp2Session[] = [];
    server.on('session', (s) => sessions.push(s));
    let open = 0;
    let most = 0;
    const tried = new Set<string>();
    let refused = 0;
    server.on('stream', (stream, headers) => {
      const path = String(headers[':path']);
      const first = !tried.has(path);
      tried.add(path);
      if (first && Number(path.split('i=')[1]) % 3 === 0) {
        refused++;
        // The server's own end of a stream it resets reports that reset as an error: expected here.
        stream.on('error', () => undefined);
        stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
        return;
      }
      open++;
      most = Math.max(most, open);
      setTimeout(() => {
        open--;
        stream.respond({ ':status': 200, 'content-type': 'application/json' });
        stream.end(JSON.stringify({ data: { a: '1' } }));
      }, 30);
    });
    const raw = client(await listen(server));
    try {
      const got = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          raw.request<{ data: { a: string } }>('GET', '/api/v1/x', { query: { i: String(i) } }),
        ),
      );
      assert.deepEqual(
        got.map((g) => g.data.a),
        Array(40).fill('1'),
      );
      assert.equal(refused, 14, 'the server refused 14 first tries, each sent again');
      // nghttp2 holds requests over the server's limit back once it has the server's settings, which the client
      // waits for before its first request.
      assert.ok(most <= 4, `at most 4 streams at once, saw ${most}`);
      assert.equal(sessions.length, 1, 'one connection');
    } finally {
      for (const s of sessions) s.destroy();
      server.close();
    }
  });

  it('gives up on a server that takes the connection and never finishes the TLS handshake', {
    timeout: 45_000,
  }, async () => {
    const sockets: import('node:net').Socket[] = [];
    const server = (await import('node:net')).createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const raw = client((server.address() as AddressInfo).port);
    try {
      await assert.rejects(
        raw.request('GET', '/api/v1/x'),
        /TLS handshake|timed out|socket hang up|ECONNRESET/,
      );
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});
