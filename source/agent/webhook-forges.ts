// What each forge sends with a push, as its documentation describes it: which headers name the forge, the event,
// the delivery and the signature, and where the payload keeps the repository's URLs, the pushed refs and commits.
//
//   GitHub            X-GitHub-Event: push       X-GitHub-Delivery   X-Hub-Signature-256: sha256=<hex HMAC-SHA256>
//   Gitea             X-Gitea-Event: push        X-Gitea-Delivery    X-Gitea-Signature: <hex> (or X-Hub-Signature-256)
//   GitLab            X-Gitlab-Event: Push Hook  X-Gitlab-Event-UUID X-Gitlab-Token: the secret itself
//   Bitbucket Cloud   X-Event-Key: repo:push     X-Request-UUID      X-Hub-Signature: sha256=<hex>
//   Bitbucket Server  X-Event-Key: repo:refs_changed  X-Request-Id   X-Hub-Signature: sha256=<hex>
//
// Gitea also sends GitHub's headers, so it is recognised first. Every value read here came from whoever could reach
// the port: headers must be single strings, URLs and refs are bounded, shas must be hex.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type Forge = 'github' | 'gitea' | 'gitlab' | 'bitbucket' | 'bitbucket-server';

export interface PushChange {
  /** The full ref, `refs/heads/main`. */
  ref: string;
  /** The commit the ref points at after the push, when the payload says (hex only). */
  sha?: string;
}

export interface Push {
  /** Every URL the payload gives for the repository, to match against the remote. */
  urls: string[];
  changes: PushChange[];
}

/** One header as a single string; repeated or missing is undefined. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The forge that sent the request, by its event header. */
export function detectForge(headers: IncomingHttpHeaders): Forge | undefined {
  if (header(headers, 'x-gitea-event') !== undefined) return 'gitea';
  if (header(headers, 'x-gitlab-event') !== undefined) return 'gitlab';
  const bitbucketKey = header(headers, 'x-event-key');
  if (bitbucketKey !== undefined)
    return header(headers, 'x-request-uuid') !== undefined || bitbucketKey === 'repo:push'
      ? 'bitbucket'
      : 'bitbucket-server';
  if (header(headers, 'x-github-event') !== undefined) return 'github';
  return undefined;
}

const EVENT_HEADER: Record<Forge, string> = {
  github: 'x-github-event',
  gitea: 'x-gitea-event',
  gitlab: 'x-gitlab-event',
  bitbucket: 'x-event-key',
  'bitbucket-server': 'x-event-key',
};
const PUSH_EVENT: Record<Forge, string> = {
  github: 'push',
  gitea: 'push',
  gitlab: 'Push Hook',
  bitbucket: 'repo:push',
  'bitbucket-server': 'repo:refs_changed',
};
const DELIVERY_HEADER: Record<Forge, string> = {
  github: 'x-github-delivery',
  gitea: 'x-gitea-delivery',
  gitlab: 'x-gitlab-event-uuid',
  bitbucket: 'x-request-uuid',
  'bitbucket-server': 'x-request-id',
};

export function isPush(forge: Forge, headers: IncomingHttpHeaders): boolean {
  return header(headers, EVENT_HEADER[forge]) === PUSH_EVENT[forge];
}

/** The event's name when it is plain enough to say back (letters, digits, `:`, `_`, `-`, space); else undefined. */
export function eventName(forge: Forge, headers: IncomingHttpHeaders): string | undefined {
  const name = header(headers, EVENT_HEADER[forge]);
  return name !== undefined && /^[A-Za-z0-9:_ -]{1,40}$/.test(name) ? name : undefined;
}

/** The forge's delivery id, when it sends one of a sane shape. */
export function deliveryId(forge: Forge, headers: IncomingHttpHeaders): string | undefined {
  const id = header(headers, DELIVERY_HEADER[forge]);
  return id !== undefined && /^[A-Za-z0-9{}._-]{1,128}$/.test(id) ? id : undefined;
}

const hmac = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest();

/** `<hex>` or `sha256=<hex>` (when `prefixed`) against the HMAC-SHA256 of the body, in constant time. */
function signatureHolds(given: string | undefined, expected: Buffer, prefixed: boolean): boolean {
  if (given === undefined) return false;
  const hex = prefixed
    ? /^sha256=([0-9a-f]{64})$/i.exec(given.trim())?.[1]
    : /^[0-9a-f]{64}$/i.exec(given.trim())?.[0];
  if (!hex) return false;
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}

/** Whether the request carries a valid signature (or GitLab's token) for this secret. */
export function verify(forge: Forge, headers: IncomingHttpHeaders, body: Buffer, secret: string): boolean {
  switch (forge) {
    case 'github':
      return signatureHolds(header(headers, 'x-hub-signature-256'), hmac(secret, body), true);
    case 'gitea': {
      const expected = hmac(secret, body);
      const gitea = header(headers, 'x-gitea-signature');
      return gitea !== undefined
        ? signatureHolds(gitea, expected, false)
        : signatureHolds(header(headers, 'x-hub-signature-256'), expected, true);
    }
    case 'bitbucket':
    case 'bitbucket-server':
      return signatureHolds(header(headers, 'x-hub-signature'), hmac(secret, body), true);
    case 'gitlab': {
      // GitLab sends the secret itself: compared as digests, so neither its length nor its bytes leak by timing.
      const token = header(headers, 'x-gitlab-token');
      if (token === undefined) return false;
      const digest = (text: string) => createHash('sha256').update(text).digest();
      return timingSafeEqual(digest(token), digest(secret));
    }
  }
}

// -- Payloads ---------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown, max = 2048): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined;
const list = (v: unknown, max = 100): unknown[] => (Array.isArray(v) ? v.slice(0, max) : []);
const sha = (v: unknown): string | undefined =>
  typeof v === 'string' && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(v) ? v.toLowerCase() : undefined;
const ref = (v: unknown): string | undefined => {
  const r = str(v, 512);
  return r?.startsWith('refs/') ? r : undefined;
};
const defined = <T>(values: Array<T | undefined>): T[] => values.filter((v): v is T => v !== undefined);

/** The repository URLs and pushed refs of a push payload; undefined when it has neither shape the forge uses. */
export function parsePush(forge: Forge, payload: unknown): Push | undefined {
  const p = obj(payload);
  if (!p) return undefined;
  const repo = obj(p.repository);
  let push: Push;
  switch (forge) {
    case 'github':
    case 'gitea': {
      const r = ref(p.ref);
      push = {
        urls: defined(['clone_url', 'ssh_url', 'git_url', 'html_url', 'url'].map((k) => str(repo?.[k]))),
        changes: r ? [{ ref: r, ...optionalSha(sha(p.after)) }] : [],
      };
      break;
    }
    case 'gitlab': {
      const project = obj(p.project);
      const keys = ['git_http_url', 'git_ssh_url', 'http_url', 'ssh_url', 'web_url', 'url', 'homepage'];
      const r = ref(p.ref);
      push = {
        urls: defined([...keys.map((k) => str(project?.[k])), ...keys.map((k) => str(repo?.[k]))]),
        changes: r ? [{ ref: r, ...optionalSha(sha(p.checkout_sha) ?? sha(p.after)) }] : [],
      };
      break;
    }
    case 'bitbucket': {
      const links = obj(repo?.links);
      const changes = list(obj(p.push)?.changes).map((c) => {
        // A deleted branch has no `new`: its `old` names it.
        const side = obj(obj(c)?.new) ?? obj(obj(c)?.old);
        const name = str(side?.name, 255);
        const kind = side?.type === 'branch' ? 'heads' : side?.type === 'tag' ? 'tags' : undefined;
        if (!name || !kind) return undefined;
        return { ref: `refs/${kind}/${name}`, ...optionalSha(sha(obj(obj(obj(c)?.new)?.target)?.hash)) };
      });
      push = {
        urls: defined([str(obj(links?.html)?.href), ...list(links?.clone).map((l) => str(obj(l)?.href))]),
        changes: defined(changes),
      };
      break;
    }
    case 'bitbucket-server': {
      const links = obj(repo?.links);
      const changes = list(p.changes).map((c) => {
        const r = ref(obj(obj(c)?.ref)?.id) ?? ref(obj(c)?.refId);
        return r ? { ref: r, ...optionalSha(sha(obj(c)?.toHash)) } : undefined;
      });
      push = { urls: defined(list(links?.clone).map((l) => str(obj(l)?.href))), changes: defined(changes) };
      break;
    }
  }
  return push.urls.length > 0 && push.changes.length > 0 ? push : undefined;
}

const optionalSha = (s: string | undefined): { sha?: string } => (s ? { sha: s } : {});
