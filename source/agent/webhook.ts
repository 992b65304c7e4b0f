// `POST /api/webhook`: a forge says a branch moved, and the agent polls at once instead of at its next interval.
// The request is only a nudge: nothing in it is trusted beyond "poll now" (the poll asks the remote itself), so a
// forged or mistaken webhook can at worst cost one poll. Still, it is refused unless signed with the shared secret,
// and a request is checked cheapest first: endpoint on, method, content type, rate, size, then the signature over
// the body, the delivery not seen before, and last whether it is our repository and branch.
//
// Nothing from the payload is echoed back or printed: answers name only what the agent knows itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  deliveryId,
  detectForge,
  eventName,
  type Forge,
  header,
  isPush,
  type PushChange,
  parsePush,
  verify,
} from './webhook-forges.js';
import { SeenDeliveries, TokenBucket } from './webhook-guards.js';
import { sameRepository } from './webhook-repo.js';

export const WEBHOOK_PATH = '/api/webhook';

export type WebhookResult =
  | 'accepted'
  | 'ignored'
  | 'disabled'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'too_large'
  | 'timeout'
  | 'bad_request'
  | 'unauthorized'
  | 'replayed'
  | 'error';

export interface WebhookOptions {
  /** The shared secret, asked per request (a mounted Secret may appear or rotate); undefined turns the endpoint off. */
  secret(): Promise<string | undefined>;
  /** The remote and branch the agent pulls. */
  target(): { url: string; branch: string };
  /** Polls now; called once per accepted push. */
  trigger(push: { forge: Forge; sha?: string }): void;
  /** Every request's outcome, for the metrics. */
  count?(forge: Forge | 'unknown', result: WebhookResult): void;
  /** Largest body read, in bytes (1 MiB). */
  maxBytes?: number;
  /** How long the body may take to arrive (5 s). */
  bodyTimeoutMs?: number;
  /** Requests per second after a burst (1 per second, bursts of 20). */
  rate?: { perSecond: number; burst: number };
  /** How long a delivery id is remembered (1 hour) and how many are (10 000). */
  replay?: { windowMs: number; max: number };
  now?: () => number;
}

const MIB = 1024 * 1024;

export function webhookReceiver(o: WebhookOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const maxBytes = o.maxBytes ?? MIB;
  const bodyTimeoutMs = o.bodyTimeoutMs ?? 5_000;
  const now = o.now ?? Date.now;
  const bucket = new TokenBucket(o.rate?.perSecond ?? 1, o.rate?.burst ?? 20, now);
  const seen = new SeenDeliveries(o.replay?.windowMs ?? 3_600_000, o.replay?.max ?? 10_000, now);

  return (req, res) => {
    const forge = detectForge(req.headers);
    const answer = (
      status: number,
      result: WebhookResult,
      text: string,
      headers: Record<string, string> = {},
    ) => {
      o.count?.(forge ?? 'unknown', result);
      if (res.headersSent) return;
      // A request refused before its body was read closes the connection: what the client still sends is not
      // read (a client that sent `Expect: 100-continue` was never asked for it).
      const close = bodyUnread ? { connection: 'close' } : {};
      res.writeHead(status, { 'content-type': 'text/plain', ...close, ...headers }).end(`${text}\n`);
    };
    let bodyUnread = true;
    void (async () => {
      const secret = await o.secret().catch(() => undefined);
      if (!secret) return answer(404, 'disabled', 'not found: the webhook is off (no secret configured)');
      if (req.method !== 'POST')
        return answer(405, 'method_not_allowed', 'method not allowed: POST a push event', { allow: 'POST' });
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json')
        return answer(
          415,
          'unsupported_media_type',
          'unsupported media type: send application/json (GitHub: content type application/json)',
        );
      const wait = bucket.take();
      if (wait > 0) return answer(429, 'rate_limited', 'too many requests', { 'retry-after': String(wait) });
      const body = await readBody(req, res, maxBytes, bodyTimeoutMs);
      bodyUnread = !Buffer.isBuffer(body);
      if (body === 'too-large')
        return answer(413, 'too_large', `payload too large: at most ${maxBytes} bytes`);
      if (body === 'timeout') return answer(408, 'timeout', 'request timeout');
      if (body === 'aborted') return answer(400, 'bad_request', 'bad request: the body was cut short');
      if (!forge)
        return answer(
          400,
          'bad_request',
          'bad request: no event header of GitHub, Gitea, GitLab or Bitbucket (X-GitHub-Event, X-Gitea-Event, X-Gitlab-Event, X-Event-Key)',
        );
      if (!verify(forge, req.headers, body, secret))
        return answer(401, 'unauthorized', 'unauthorized: missing or wrong signature', {
          'www-authenticate': 'HMAC-SHA256',
        });
      if (!isPush(forge, req.headers)) {
        const event = eventName(forge, req.headers);
        return answer(202, 'ignored', `ignored: ${event ? `"${event}"` : 'this event'} is not a push`);
      }
      let payload: unknown;
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        return answer(400, 'bad_request', 'bad request: the body is not JSON');
      }
      const push = parsePush(forge, payload);
      if (!push)
        return answer(
          400,
          'bad_request',
          `bad request: not a ${forge} push (no repository URL or pushed ref)`,
        );
      // A forge that sends no delivery id (GitLab before 17.4) is deduplicated by what it pushed.
      const id = deliveryId(forge, req.headers) ?? pushId(push.changes);
      if (seen.check(`${forge}|${id}`))
        return answer(409, 'replayed', 'conflict: this delivery was already received');
      const target = o.target();
      if (!sameRepository(target.url, push.urls))
        return answer(202, 'ignored', 'ignored: a push to another repository');
      const change = push.changes.find((c) => c.ref === `refs/heads/${target.branch}`);
      if (!change) return answer(202, 'ignored', `ignored: no push to branch ${target.branch}`);
      o.trigger({ forge, ...(change.sha ? { sha: change.sha } : {}) });
      return answer(202, 'accepted', `accepted: polling ${target.branch} now`);
    })().catch(() => answer(500, 'error', 'internal error'));
  };
}

const pushId = (changes: PushChange[]) => changes.map((c) => `${c.ref}@${c.sha ?? ''}`).join(',');

/**
 * The body, read only up to `maxBytes` (a Content-Length above it is refused before reading, and before a client
 * waiting on `Expect: 100-continue` is told to send it) and within `timeoutMs`. Past either, reading stops: the
 * request is paused and its connection closed with the answer.
 */
function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
  timeoutMs: number,
): Promise<Buffer | 'too-large' | 'timeout' | 'aborted'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.pause();
    return Promise.resolve('too-large');
  }
  if (/^100-continue$/i.test(header(req.headers, 'expect') ?? '')) res.writeContinue();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: Buffer | 'too-large' | 'timeout' | 'aborted') => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('aborted', onAbort);
      if (!Buffer.isBuffer(outcome)) req.pause();
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish('too-large');
      else chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    const onAbort = () => finish('aborted');
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('aborted', onAbort);
  });
}
