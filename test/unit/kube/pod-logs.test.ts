// Reading a pod's log: the request built from checked names and bounded options, lines cut as they come, the
// server's refusals in words, and a read against a stand-in API server that streams, holds a follow open, refuses
// or never answers: `end` exactly once, `stop` closing the connection, hostile names never sent.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import type { LogOptions } from '../../../source/engine/inspect.js';
import { HttpError, RawClient } from '../../../source/kube/http.js';
import {
  DEFAULT_TAIL_LINES,
  LIMIT_BYTES,
  LineSplitter,
  logFailureText,
  logRequest,
  MAX_TAIL_LINES,
  readPodLogs,
} from '../../../source/kube/pod-logs.js';

const pod = { namespace: 'shop', name: 'backend-7d9f-x2x' };

describe('the log request', () => {
  it('names the pod in the path; a bounded tail and byte cap when nothing is asked', () => {
    const r = logRequest(pod, {});
    assert.equal(r.path, '/api/v1/namespaces/shop/pods/backend-7d9f-x2x/log');
    assert.deepEqual(r.query, { tailLines: DEFAULT_TAIL_LINES, limitBytes: LIMIT_BYTES });
  });

  it('container, previous, follow and tail as asked; a follow has no byte cap; the tail is capped', () => {
    const r = logRequest(pod, { container: 'web', previous: true, follow: true, tailLines: 20 });
    assert.deepEqual(r.query, { tailLines: 20, container: 'web', previous: true, follow: true });
    assert.equal(logRequest(pod, { tailLines: 10 ** 9 }).query.tailLines, MAX_TAIL_LINES);
    assert.equal(logRequest(pod, { tailLines: 0 }).query.tailLines, 0);
  });

  const hostile: Array<[string, { namespace: string; name: string }, LogOptions, RegExp]> = [
    ['a namespace that ends the path', { namespace: 'kube-system/secrets#', name: 'p' }, {}, /namespace/],
    ['a pod name that climbs', { namespace: 'shop', name: '..' }, {}, /Pod "\.\."/],
    ['a pod name with a slash', { namespace: 'shop', name: 'a/../../secrets' }, {}, /may not contain "\/"/],
    ['a pod name with an escape', { namespace: 'shop', name: 'p\u001b[2J' }, {}, /control characters/],
    ['a container with a slash', pod, { container: '../x' }, /container "\.\.\/x"/],
    ['a container with a query', pod, { container: 'web?previous=true' }, /container "web\?previous=true"/],
    ['a negative tail', pod, { tailLines: -1 }, /tailLines/],
    ['a fractional tail', pod, { tailLines: 1.5 }, /tailLines/],
  ];
  for (const [what, p, opts, says] of hostile)
    it(`refuses ${what}`, () => {
      assert.throws(
        () => logRequest(p, opts),
        (err: Error) => {
          assert.match(err.message, /not sent to the API server/);
          assert.match(err.message, says);
          return true;
        },
      );
    });
});

describe('cutting a log into lines', () => {
  it('lines across chunks, CRLF as one break, what is left at the end', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('one\ntw'), ['one']);
    assert.deepEqual(s.push('o\r\nthree\n\nfo'), ['two', 'three', '']);
    assert.deepEqual(s.end(), ['fo']);
    assert.deepEqual(s.end(), []);
  });

  it('a character split between chunks is kept whole', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('prix: 19,90 €\n');
    assert.deepEqual(s.push(bytes.subarray(0, bytes.length - 2)), []);
    assert.deepEqual(s.push(bytes.subarray(bytes.length - 2)), ['prix: 19,90 €']);
  });

  it('an endless line is cut at the cap, marked, and the rest of it dropped', () => {
    const s = new LineSplitter(10);
    assert.deepEqual(s.push('x'.repeat(25)), ['xxxxxxxxxx [… line cut]']);
    assert.deepEqual(s.push('y'.repeat(100)), []);
    assert.deepEqual(s.push('yy\nnext\n'), ['next']);
    assert.deepEqual(s.push('0123456789abc\n'), ['0123456789 [… line cut]']);
    assert.deepEqual(s.end(), []);
  });
});

describe("the server's refusals in words", () => {
  const status = (code: number, message: string, reason = 'BadRequest') =>
    new HttpError(code, { kind: 'Status', code, reason, message });
  const cases: Array<[string, unknown, LogOptions, RegExp]> = [
    [
      'no such pod',
      status(404, 'pods "gone" not found', 'NotFound'),
      {},
      /^pod backend-7d9f-x2x in namespace shop not found$/,
    ],
    [
      'several containers',
      status(400, 'a container name must be specified for pod p, choose one of: [init web sidecar]'),
      {},
      /has several containers: choose one of init, web, sidecar$/,
    ],
    [
      'no such container',
      status(400, 'container db is not valid for pod p'),
      { container: 'db' },
      /has no container "db"$/,
    ],
    [
      'no previous instance',
      status(400, 'previous terminated container "web" in pod "p" not found'),
      { container: 'web', previous: true },
      /^no previous terminated container "web" in pod .* \(it has not restarted\)$/,
    ],
    [
      'a kwok node with no log configured for the container',
      status(400, 'no logs found for container "web" in pod "shop/p"'),
      { container: 'web' },
      /^the node has no log for container "web" of pod .*driftdeck cluster up/,
    ],
    [
      'the kubelet unreachable',
      status(
        500,
        'Get "https://10.0.0.4:10250/containerLogs/shop/p/web": dial tcp 10.0.0.4:10250: connect: connection refused',
        'InternalError',
      ),
      {},
      /^the kubelet of pod .* did not answer: .*connection refused/,
    ],
    [
      'the API server unreachable',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }),
      {},
      /^cannot reach the API server/,
    ],
    [
      'forbidden',
      status(403, 'pods "p" is forbidden: User "u" cannot get resource "pods/log"', 'Forbidden'),
      {},
      /^forbidden: cannot read the logs/,
    ],
  ];
  for (const [what, err, opts, says] of cases)
    it(what, () => assert.match(logFailureText(err, pod, opts), says));
});

/** A stand-in API server: a pod with two containers (the second marked default), and its log endpoint. */
let server: http.Server;
let raw: RawClient;
const requests: string[] = [];
/** Log endpoint behaviour by container. */
const closed: string[] = [];
before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/api/v1/namespaces/shop/pods/backend-7d9f-x2x')
      return json(200, {
        metadata: { name: pod.name, annotations: { 'kubectl.kubernetes.io/default-container': 'web' } },
        spec: { containers: [{ name: 'istio-proxy' }, { name: 'web' }] },
      });
    if (url.pathname !== '/api/v1/namespaces/shop/pods/backend-7d9f-x2x/log')
      return json(404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'pods "other" not found' });
    const container = url.searchParams.get('container');
    if (container === 'db')
      return json(400, {
        kind: 'Status',
        code: 400,
        reason: 'BadRequest',
        message: `container db is not valid for pod ${pod.name}`,
      });
    if (container === 'silent') return; // never answers
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('first line\nsecond ');
    res.write('line\n');
    if (url.searchParams.get('follow') === 'true') {
      req.on('close', () => closed.push(container ?? ''));
      return; // held open until the client goes
    }
    res.end('last line without newline');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'pod-logs-')), 'config');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'fake', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } },
      ],
      users: [{ name: 'fake', user: { token: 'x' } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
      'current-context': 'fake',
    }),
  );
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  raw = new RawClient(kc);
});
after(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  requests.length = 0;
});

/** Reads a log; resolves when `end` is called, with the lines, the error and how often `end` was called. */
function read(p: typeof pod, opts: LogOptions, timeoutMs?: number) {
  const lines: string[] = [];
  let ends = 0;
  let follow: { stop(): void } | undefined;
  const done = new Promise<Error | undefined>((resolve) => {
    follow = readPodLogs(
      raw,
      p,
      opts,
      {
        line: (t) => lines.push(t),
        end: (e) => {
          ends++;
          resolve(e);
        },
      },
      undefined,
      timeoutMs,
    );
  });
  return { lines, done, ends: () => ends, stop: () => follow?.stop() };
}

describe('reading a log from the API server', () => {
  it('asks for the default container, then reads every line of the answer', async () => {
    const r = read(pod, {});
    assert.equal(await r.done, undefined);
    assert.deepEqual(r.lines, ['first line', 'second line', 'last line without newline']);
    assert.deepEqual(requests, [
      'GET /api/v1/namespaces/shop/pods/backend-7d9f-x2x',
      `GET /api/v1/namespaces/shop/pods/backend-7d9f-x2x/log?tailLines=500&limitBytes=${LIMIT_BYTES}&container=web`,
    ]);
  });

  it('a follow delivers lines and stays open; stop closes the connection and ends once, without error', async () => {
    const r = read(pod, { container: 'web', follow: true, tailLines: 5 });
    for (let i = 0; i < 100 && r.lines.length < 2; i++) await new Promise((res) => setTimeout(res, 20));
    assert.deepEqual(r.lines, ['first line', 'second line']);
    assert.equal(r.ends(), 0, 'still open');
    r.stop();
    r.stop();
    assert.equal(await r.done, undefined);
    for (let i = 0; i < 100 && !closed.includes('web'); i++) await new Promise((res) => setTimeout(res, 20));
    assert.ok(closed.includes('web'), 'the server saw the connection close');
    assert.equal(r.ends(), 1);
    assert.deepEqual(requests, [
      'GET /api/v1/namespaces/shop/pods/backend-7d9f-x2x/log?tailLines=5&container=web&follow=true',
    ]);
  });

  it("a refusal ends the read with the server's reason in words", async () => {
    const r = read(pod, { container: 'db' });
    assert.match(
      (await r.done)?.message ?? '',
      /pod backend-7d9f-x2x in namespace shop has no container "db"/,
    );
    const gone = read({ namespace: 'shop', name: 'gone' }, {});
    assert.match((await gone.done)?.message ?? '', /^pod gone in namespace shop not found$/);
    assert.equal(gone.ends(), 1);
  });

  it('an answer that never comes ends the read with a timeout', async () => {
    const r = read(pod, { container: 'silent' }, 300);
    assert.match((await r.done)?.message ?? '', /did not arrive within 0.3 s/);
    assert.equal(r.ends(), 1);
  });

  it('hostile names end the read before any request', async () => {
    for (const [p, opts] of [
      [{ namespace: 'shop', name: '../../secrets' }, {}],
      [{ namespace: 'kube-system/secrets#', name: 'x' }, {}],
      [pod, { container: 'web/../../x' }],
    ] as const) {
      const r = read(p, opts);
      assert.match((await r.done)?.message ?? '', /^Invalid: not sent to the API server/);
      assert.equal(r.ends(), 1);
    }
    assert.deepEqual(requests, []);
  });
});
