// Raw JSON requests to the API server. The client library loads the kubeconfig and does authentication (certificates,
// tokens, exec plugins); the requests themselves are sent here so objects travel exactly as JSON, never through
// typed models that would turn timestamps into Dates or drop fields the models do not know.
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import { H2Connection, REQUEST_TIMEOUT_MS } from './http2-session.js';
import type { TokenFile } from './in-cluster.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
  ) {
    const b = body as { message?: string; reason?: string } | undefined;
    super(b?.message ?? `HTTP ${statusCode}`);
    this.name = 'HttpError';
  }
  /** Mirrors the client library's ApiException so one error reader serves both. */
  get code(): number {
    return this.statusCode;
  }
}

type Query = Record<string, string | number | boolean | undefined>;

interface Prepared {
  agent: http.Agent;
  /** Requests go over HTTP/2 when the server speaks it (https only); watches always use `agent`. */
  h2?: H2Connection;
  headers: Record<string, string>;
  base: URL;
  at: number;
}

const REFRESH_MS = 5 * 60_000;

export interface RawClientOptions {
  /** A bearer token read from a file that is rotated (a pod's ServiceAccount), sent instead of the kubeconfig's. */
  token?: TokenFile;
}

export class RawClient {
  private prepared?: Promise<Prepared>;
  private readonly token: TokenFile | undefined;

  constructor(
    private readonly kc: KubeConfig,
    opts: RawClientOptions = {},
  ) {
    this.token = opts.token;
  }

  /**
   * The headers of one request: the kubeconfig's, the rotated token's when there is one, then content negotiation.
   * The token used comes back too, so that a 401 can tell whether the file now holds a newer one.
   */
  private headers(p: Prepared, contentType: string | undefined, accept?: string) {
    const token = this.token?.current();
    const base = headersFor(p, contentType, accept);
    return { headers: token ? { ...base, Authorization: `Bearer ${token}` } : base, token };
  }

  /** After a 401: true when the token file now holds another token than the refused request's (retry once). */
  private renewed(status: number, used: string | undefined): boolean {
    return status === 401 && used !== undefined && this.token?.reread(used) === true;
  }

  private prepare(): Promise<Prepared> {
    const cur = this.prepared;
    if (cur) {
      return cur.then((p) => {
        if (Date.now() - p.at < REFRESH_MS) return p;
        this.prepared = undefined;
        p.h2?.close();
        return this.prepare();
      });
    }
    const next = (async () => {
      const cluster = this.kc.getCurrentCluster();
      if (!cluster) throw new Error('the kubeconfig has no current cluster');
      const opts: https.RequestOptions = { headers: {} };
      await this.kc.applyToHTTPSOptions(opts);
      const base = new URL(cluster.server);
      const agentOpts = {
        keepAlive: true,
        // No cap: HTTP/1.1 here carries the watches, each holding its socket for minutes, one per watched
        // collection (a fleet of 52 apps watches about 150); a capped pool left the watches past the cap waiting
        // for minutes. Requests are bounded where they are made (at most 32 in flight).
        maxSockets: Number.POSITIVE_INFINITY,
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
      };
      const secure = base.protocol === 'https:';
      const agent = secure ? new https.Agent(agentOpts) : new http.Agent({ keepAlive: true });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
      if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
      const { ca, cert, key, rejectUnauthorized } = agentOpts;
      const h2 = secure ? new H2Connection(base, { ca, cert, key, rejectUnauthorized }) : undefined;
      return { agent, headers, base, at: Date.now(), ...(h2 ? { h2 } : {}) };
    })();
    this.prepared = next;
    next.catch(() => {
      this.prepared = undefined;
    });
    return next;
  }

  /** One HTTP/1.1 request on the agent: the answer's stream (a watch reads it line by line). */
  private open(
    p: Prepared,
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<http.IncomingMessage> {
    const mod = url.protocol === 'https:' ? https : http;
    // Node sends the body of a DELETE neither chunked nor with a length unless told: the server would then read a
    // DELETE without its options (the uid precondition lost) and the body as a next, malformed request.
    const sized =
      body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) };
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method, agent: p.agent, signal, headers: sized }, resolve);
      req.on('error', reject);
      req.setTimeout(timeoutMs, () => req.destroy(new Error('request timed out')));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  async request<T = unknown>(
    method: string,
    path: string,
    opts: {
      query?: Query;
      body?: unknown;
      contentType?: string;
      accept?: string;
      /** Told the server's warnings about this request (deprecated API, PodSecurity in warn mode), if it sent any. */
      onWarnings?: (warnings: string[]) => void;
    } = {},
  ): Promise<T> {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const p = await this.prepare();
    const url = urlFor(p, path, opts.query ?? {});
    const contentType = payload === undefined ? undefined : (opts.contentType ?? 'application/json');
    const warned = (header: string | string[] | undefined) => {
      const warnings = parseWarnings(header);
      if (warnings.length) opts.onWarnings?.(warnings);
    };
    const send = async (): Promise<{ status: number; text: string; token: string | undefined }> => {
      const { headers, token } = this.headers(p, contentType, opts.accept);
      const viaH2 = await p.h2?.request(method, url.pathname + url.search, headers, payload);
      if (viaH2) {
        warned(viaH2.warning);
        return { status: viaH2.status, text: viaH2.text, token };
      }
      const res = await this.open(p, method, url, headers, payload, REQUEST_TIMEOUT_MS);
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      warned(res.headers.warning);
      return { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), token };
    };
    let sent = await send();
    // The kubelet replaced the token since it was read: once more with the new one.
    if (this.renewed(sent.status, sent.token)) sent = await send();
    return answer<T>(sent.status, sent.text);
  }

  /**
   * A GET whose answer is read as it comes (a pod's log): resolves with the response once its head arrived, an
   * HttpError with the server's Status for an error status. No idle timeout (a followed log may be quiet for long):
   * the caller bounds the wait with `signal`.
   */
  async stream(
    path: string,
    query: Query,
    signal: AbortSignal,
    accept = '*/*',
  ): Promise<http.IncomingMessage> {
    const p = await this.prepare();
    const url = urlFor(p, path, query);
    const get = async () => {
      const { headers, token } = this.headers(p, undefined, accept);
      const res = await this.open(p, 'GET', url, headers, undefined, 0, signal);
      return { res, token };
    };
    let { res, token } = await get();
    if (this.renewed(res.statusCode ?? 0, token)) {
      res.destroy();
      ({ res } = await get());
    }
    const status = res.statusCode ?? 0;
    if (status >= 200 && status <= 299) return res;
    const chunks: Buffer[] = [];
    let size = 0;
    // An error's Status is small; a body that is not one is cut rather than read whole.
    for await (const c of res) {
      chunks.push(c as Buffer);
      size += (c as Buffer).length;
      if (size > 64 * 1024) break;
    }
    res.destroy();
    return answer(status, Buffer.concat(chunks).toString('utf8'));
  }

  /**
   * Streams a watch: resolves when the server closes it (normally after timeoutSeconds), rejects on a network
   * error or an HTTP error status. `signal` ends it early (resolves).
   */
  async watch(
    path: string,
    query: Query,
    onEvent: (e: { type: string; object: unknown }) => void,
    signal: AbortSignal,
  ) {
    let res: http.IncomingMessage;
    try {
      const p = await this.prepare();
      const url = urlFor(p, path, { ...query, watch: true });
      // No timeout: the server ends a watch itself (timeoutSeconds); `signal` ends it early.
      const open = async () => {
        const { headers, token } = this.headers(p, undefined);
        return { res: await this.open(p, 'GET', url, headers, undefined, 0, signal), token };
      };
      const first = await open();
      res = first.res;
      if (this.renewed(res.statusCode ?? 0, first.token)) {
        res.destroy();
        res = (await open()).res;
      }
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      throw new HttpError(status, body);
    }
    // Lines are taken as 'line' events: an async iteration over them keeps two queues of 2,048 slots per watch
    // (16 KB each), 3.4 MB for a fleet's hundred watches. onEvent is synchronous, so nothing is lost by not awaiting.
    const lines = createInterface({ input: res, crlfDelay: Number.POSITIVE_INFINITY });
    try {
      await new Promise<void>((resolve, reject) => {
        lines.on('line', (line) => {
          if (!line) return;
          try {
            onEvent(JSON.parse(line) as { type: string; object: unknown });
          } catch {
            // a partial line at a cut connection: the next list or watch catches up
          }
        });
        lines.on('error', reject);
        res.on('error', reject);
        lines.on('close', () => resolve());
        res.on('close', () => resolve());
      });
    } catch (err) {
      if (!signal.aborted) throw err;
    } finally {
      lines.close();
    }
  }
}

function urlFor(p: Prepared, path: string, query: Query): URL {
  const url = new URL(p.base.pathname.replace(/\/$/, '') + path, p.base);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

/** The kubeconfig's headers (authorization) plus JSON content negotiation; a Content-Type only with a body. */
function headersFor(
  p: Prepared,
  contentType: string | undefined,
  accept = 'application/json',
): Record<string, string> {
  return {
    ...p.headers,
    Accept: accept,
    ...(contentType ? { 'Content-Type': contentType } : {}),
  };
}

/**
 * The texts of the API server's Warning headers (RFC 7234 form, `299 - "text"`, as kube-apiserver sends them); one
 * header may carry several, separated by commas. Headers of another form are kept whole.
 */
export function parseWarnings(header: string | string[] | undefined): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const h of Array.isArray(header) ? header : [header]) {
    const quoted = [...h.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) =>
      m[1]!.replace(/\\(.)/g, '$1'),
    );
    if (quoted.length) out.push(...quoted);
    else if (h.trim()) out.push(h.trim());
  }
  return out;
}

/** The parsed body of a 2xx answer; an HttpError with the server's Status for anything else. */
function answer<T>(status: number, text: string): T {
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = { message: text.slice(0, 500) };
  }
  if (status < 200 || status > 299) throw new HttpError(status, json);
  return json as T;
}

/** GET that answers undefined for a 404 (the object does not exist) and throws anything else. */
export async function getOrUndefined<T>(raw: RawClient, path: string): Promise<T | undefined> {
  try {
    return await raw.request<T>('GET', path);
  } catch (err) {
    if (err instanceof HttpError && err.statusCode === 404) return undefined;
    throw err;
  }
}
