// A forge, for tests: each fixture payload (test/fixtures/webhooks/) sent with the headers its forge documents,
// signed with a secret or not, over plain node:http so that headers, length and pacing are the test's to choose.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

export type TestForge = 'github' | 'gitea' | 'gitlab' | 'bitbucket' | 'bitbucket-server';

export const FIXTURE: Record<TestForge, string> = {
  github: 'github-push.json',
  gitea: 'gitea-push.json',
  gitlab: 'gitlab-push.json',
  bitbucket: 'bitbucket-cloud-push.json',
  'bitbucket-server': 'bitbucket-server-push.json',
};

export function fixture(name: string): Buffer {
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', 'webhooks', name));
}

const hex = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('hex');

/**
 * The headers `forge` sends with a push: its event and delivery headers, and its signature (or GitLab's token)
 * when `secret` is given. `delivery` fixes the delivery id (a redelivery); null leaves it out.
 */
export function forgeHeaders(
  forge: TestForge,
  body: Buffer,
  secret: string | undefined,
  delivery: string | null = randomUUID(),
): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': `${forge}-hookshot/test`,
  };
  const id = (name: string) => {
    if (delivery !== null) h[name] = delivery;
  };
  switch (forge) {
    case 'github':
      h['x-github-event'] = 'push';
      h['x-github-hook-id'] = '500100200';
      id('x-github-delivery');
      if (secret) h['x-hub-signature-256'] = `sha256=${hex(secret, body)}`;
      break;
    case 'gitea':
      // Gitea sends GitHub's and Gogs' headers beside its own.
      h['x-gitea-event'] = 'push';
      h['x-github-event'] = 'push';
      h['x-gogs-event'] = 'push';
      id('x-gitea-delivery');
      id('x-github-delivery');
      if (secret) {
        h['x-gitea-signature'] = hex(secret, body);
        h['x-hub-signature-256'] = `sha256=${hex(secret, body)}`;
      }
      break;
    case 'gitlab':
      h['x-gitlab-event'] = 'Push Hook';
      h['x-gitlab-instance'] = 'https://gitlab.acme.example';
      id('x-gitlab-event-uuid');
      if (secret) h['x-gitlab-token'] = secret;
      break;
    case 'bitbucket':
      h['x-event-key'] = 'repo:push';
      h['x-hook-uuid'] = '6b1f2f43-0d4f-4c2e-9d7e-5f5d2c0e8a11';
      h['x-attempt-number'] = '1';
      id('x-request-uuid');
      if (secret) h['x-hub-signature'] = `sha256=${hex(secret, body)}`;
      break;
    case 'bitbucket-server':
      h['x-event-key'] = 'repo:refs_changed';
      id('x-request-id');
      if (secret) h['x-hub-signature'] = `sha256=${hex(secret, body)}`;
      break;
  }
  return h;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * POSTs (or `method`s) `body` to `url`; resolves with the answer as soon as it arrives, even while the body is still
 * being written (a refused upload is cut off by the server: that write error is not the test's answer). A request
 * with `expect: 100-continue` sends its body only once the server asks for it.
 */
export function send(
  url: string,
  headers: Record<string, string>,
  body: Buffer | Buffer[] = Buffer.alloc(0),
  opts: { method?: string; end?: boolean } = {},
): Promise<Answer> {
  const size = (Array.isArray(body) ? body : [body]).reduce((n, b) => n + b.length, 0);
  // A whole body goes with its length, as forges and curl send it: a server can then refuse a body too large from
  // the headers alone, before a client waiting on `Expect: 100-continue` sends any of it. Chunked without it, the
  // body is sent once the server asks, and a refusal part-way cuts the upload off (EPIPE) before the answer is read.
  const named = Object.keys(headers).map((h) => h.toLowerCase());
  if (opts.end !== false && !named.includes('content-length') && !named.includes('transfer-encoding'))
    headers = { ...headers, 'content-length': String(size) };
  return new Promise((resolve, reject) => {
    // A connection of its own, as a forge delivers each event: a kept-alive socket the server has since closed
    // would fail the write (EPIPE) before the request is even sent.
    const req = request(url, { method: opts.method ?? 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    let answered = false;
    req.on('response', () => {
      answered = true;
    });
    req.on('error', (err) => {
      if (!answered)
        reject(
          new Error(`${err.message}: ${opts.method ?? 'POST'} of ${size} bytes (${JSON.stringify(headers)})`),
        );
    });
    // A body sent in parts is written as the socket takes it; `end: false` leaves it unfinished (a slow client).
    const parts = Array.isArray(body) ? [...body] : [body];
    const next = () => {
      while (parts.length > 0 && !answered && !req.destroyed)
        if (!req.write(parts.shift() as Buffer)) return void req.once('drain', next);
      if (parts.length === 0 && opts.end !== false && !req.destroyed) req.end();
    };
    // With `Expect: 100-continue` (as curl sends for large bodies), the body waits until the server asks for it.
    if (/^100-continue$/i.test(headers.expect ?? '')) {
      req.flushHeaders();
      req.once('continue', next);
    } else next();
  });
}
