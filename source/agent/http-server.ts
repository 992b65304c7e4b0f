// The agent's HTTP endpoints for its orchestrator and its scraper: /healthz (the process answers), /readyz (it has
// compared the apps once and the API server is reachable) and /metrics (Prometheus text). Bound to 127.0.0.1 unless
// told otherwise: the metrics name every app, and nothing here needs to be reachable from elsewhere by default.
// With a webhook receiver, also POST /api/webhook (agent/webhook.ts), which answers 404 while it has no secret.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Readiness {
  ready: boolean;
  /** Why not, in words, when not ready. */
  reason?: string;
}

export interface AgentHttpOptions {
  /** `host:port`; port 0 picks a free one. */
  address: string;
  readiness(): Readiness;
  metrics(): Promise<{ contentType: string; text: string }>;
  /** Handles `/api/webhook` (every method: it says which it takes). */
  webhook?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface AgentHttp {
  /** The address it listens on, `host:port`. */
  address: string;
  close(): Promise<void>;
}

/** `host:port` (IPv6 hosts in brackets) or a refusal that says what is expected. */
export function parseAddress(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65535)
    throw new Error(
      `--metrics-address "${text.replace(/[^\x20-\x7e]/g, '?')}" is not host:port (for example 127.0.0.1:9464, or 0.0.0.0:9464 to listen everywhere)`,
    );
  return { host: match[1] ?? match[2] ?? '', port };
}

export async function startAgentHttp(options: AgentHttpOptions): Promise<AgentHttp> {
  const { host, port } = parseAddress(options.address);
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // Only GET (and HEAD) of three paths; any body is ignored, query strings too.
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/api/webhook' && options.webhook) {
      options.webhook(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path === '/readyz') {
      const r = options.readiness();
      res
        .writeHead(r.ready ? 200 : 503, { 'content-type': 'text/plain' })
        .end(r.ready ? 'ready\n' : `not ready: ${r.reason ?? 'starting'}\n`);
      return;
    }
    if (path === '/metrics') {
      options.metrics().then(
        ({ contentType, text }) => res.writeHead(200, { 'content-type': contentType }).end(text),
        (err: Error) =>
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
      );
      return;
    }
    res
      .writeHead(404, { 'content-type': 'text/plain' })
      .end('not found: /healthz, /readyz and /metrics are served\n');
  };
  const server: Server = createServer(handle);
  // `Expect: 100-continue`: the webhook says itself whether it wants the body (not when too large or refused);
  // everything else is told to go on, as Node does when nobody listens for this event.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? '/').split('?')[0] !== '/api/webhook' || !options.webhook) res.writeContinue();
    handle(req, res);
  });
  // Slow or idle clients do not hold the agent's sockets open.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const shown =
    bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`;
  return {
    address: shown,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
