// A stand-in API server on a local port: it records every request line and answers from a table, so tests see what
// the real adapter (KubeCluster, with its URL building and its error reading) sends and does with the answers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Answer {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeApiServer {
  /** `METHOD /raw/path?query` of every request, in order. */
  requests: string[];
  /** The body of every request (empty when none), in the same order. */
  bodies: string[];
  /** Answers by `METHOD path` (no query); anything else is a 404 Status. */
  answers: Map<string, Answer>;
  kubeconfig: string;
  close(): Promise<void>;
}

const CORE = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { name: 'secrets', kind: 'Secret', namespaced: true },
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
  ],
};

export async function startFakeApiServer(): Promise<FakeApiServer> {
  const requests: string[] = [];
  const bodies: string[] = [];
  const answers = new Map<string, Answer>([['GET /api/v1', { body: CORE }]]);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(`${req.method} ${url}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      const a = answers.get(`${req.method} ${url.split('?')[0]}`) ?? {
        status: 404,
        body: { kind: 'Status', code: 404, reason: 'NotFound', message: 'the server could not find it' },
      };
      res.writeHead(a.status ?? 200, { 'Content-Type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const dir = mkdtempSync(join(tmpdir(), 'fake-api-'));
  const kubeconfig = join(dir, 'config');
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
  return {
    requests,
    bodies,
    answers,
    kubeconfig,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
