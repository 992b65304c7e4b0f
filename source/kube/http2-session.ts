// Requests to the API server over one HTTP/2 connection, as kubectl and client-go send them. Over HTTP/1.1 a sync of
// 1,000 objects with 32 requests in flight opens 32 TLS connections (32 full handshakes on both ends) and pays
// Node's per-socket bookkeeping on every request; one multiplexed connection costs about a third less client CPU
// per request, on a machine where the client and the API server share the cores.
//
// The protocol is chosen by TLS ALPN: a server (or a proxy in front of it) that does not answer "h2" keeps every
// request on HTTP/1.1. Watches stay on HTTP/1.1 in any case: they are long-lived, and HTTP/2 servers limit the
// streams of one connection (Go's default is 250), which many watches must not take away from requests.
import http2 from 'node:http2';
import { isIP } from 'node:net';
import tls from 'node:tls';

export interface H2Response {
  status: number;
  text: string;
  /** The answer's Warning header(s), as sent. */
  warning?: string | string[];
}

export type TlsCredentials = Pick<tls.ConnectionOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized'>;

/** How long a request may wait for its answer, over either protocol. */
export const REQUEST_TIMEOUT_MS = 60_000;
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/** Sends of a request the server refused (under load, over its stream limit) before the refusal is the answer. */
const REFUSED_RETRIES = 4;

/** The server refused the stream before processing it. */
export class RefusedStream extends Error {}

export class H2Connection {
  private session?: Promise<http2.ClientHttp2Session | undefined>;
  /** The server chose HTTP/1.1: stop asking. */
  private unsupported = false;
  /** Requests in flight per session: a session with none must not keep a one-shot command running. */
  private readonly inFlight = new WeakMap<http2.ClientHttp2Session, number>();
  private closed = false;

  constructor(
    private readonly base: URL,
    private readonly creds: TlsCredentials,
  ) {}

  /**
   * Sends one request; undefined when the server does not speak HTTP/2 (the caller then uses HTTP/1.1). Rejects
   * on a network error, like an HTTP/1.1 request would.
   */
  async request(
    method: string,
    pathAndQuery: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<H2Response | undefined> {
    if (this.unsupported || this.closed) return undefined;
    for (let attempt = 1; ; attempt++) {
      const session = await this.open();
      if (!session) return undefined;
      try {
        return await this.send(session, method, pathAndQuery, headers, body);
      } catch (err) {
        // A refused stream was never processed (RFC 9113, 8.7): sending it again is safe, whatever the method.
        if (!(err instanceof RefusedStream) || attempt >= REFUSED_RETRIES) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  /** Lets requests in flight finish, then closes the connection. */
  close(): void {
    this.closed = true;
    void this.session?.then((s) => s?.close()).catch(() => undefined);
    this.session = undefined;
  }

  /** The open session, or a new one; a session that fails or goes away is forgotten, and the next call reconnects. */
  private open(): Promise<http2.ClientHttp2Session | undefined> {
    if (this.session) return this.session;
    const pending = this.connect(() => {
      if (this.session === pending) this.session = undefined;
    });
    this.session = pending;
    pending.catch(() => {
      if (this.session === pending) this.session = undefined;
    });
    return pending;
  }

  private connect(onGone: () => void): Promise<http2.ClientHttp2Session | undefined> {
    const host = this.base.hostname.replace(/^\[|\]$/g, '');
    const port = Number(this.base.port || 443);
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        host,
        port,
        ...(isIP(host) ? {} : { servername: host }),
        ALPNProtocols: ['h2', 'http/1.1'],
        ...this.creds,
      });
      socket.once('error', reject);
      // A server that takes the connection and never finishes the handshake must not hold a request forever
      // (client-go gives a TLS handshake 10 s too).
      socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () =>
        socket.destroy(
          new Error(`no TLS handshake from the API server within ${HANDSHAKE_TIMEOUT_MS / 1000} s`),
        ),
      );
      socket.once('secureConnect', () => {
        socket.setTimeout(0);
        socket.off('error', reject);
        if (socket.alpnProtocol !== 'h2') {
          this.unsupported = true;
          socket.destroy();
          resolve(undefined);
          return;
        }
        const session = http2.connect(this.base.origin, { createConnection: () => socket });
        // A lost connection fails the streams on it; the next request opens a new one.
        session.on('error', onGone);
        session.once('close', onGone);
        session.once('goaway', onGone);
        // An idle connection must not keep a one-shot command running.
        session.unref();
        // The server's first frame says how many streams it allows at once (Go's default is 250); beyond that
        // number nghttp2 holds requests back until a stream ends, but only once it knows the number: a burst sent
        // before it came is refused above it. A server that sends none within a second is not waited for.
        const ready = () => {
          clearTimeout(timer);
          resolve(session);
        };
        const timer = setTimeout(ready, 1000);
        session.once('remoteSettings', ready);
      });
    });
  }

  private send(
    session: http2.ClientHttp2Session,
    method: string,
    pathAndQuery: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<H2Response> {
    const h: http2.OutgoingHttpHeaders = { ':method': method, ':path': pathAndQuery };
    for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = v;
    const before = this.inFlight.get(session) ?? 0;
    this.inFlight.set(session, before + 1);
    if (before === 0) session.ref();
    return new Promise<H2Response>((resolve, reject) => {
      const stream = session.request(h, { endStream: body === undefined });
      let status = 0;
      let warning: string | string[] | undefined;
      const chunks: Buffer[] = [];
      stream.on('response', (res) => {
        status = Number(res[':status'] ?? 0);
        warning = res.warning;
      });
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () =>
        resolve({ status, text: Buffer.concat(chunks).toString('utf8'), ...(warning ? { warning } : {}) }),
      );
      const refused = () => stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM;
      stream.on('error', (err) =>
        reject(refused() ? new RefusedStream(`the API server refused the request: ${err.message}`) : err),
      );
      stream.on('close', () => {
        // A stream closed without its end (reset by the server, or the connection lost).
        if (!stream.readableEnded)
          reject(
            refused()
              ? new RefusedStream('the API server refused the request (too many at once)')
              : new Error(`the API server closed the request (code ${stream.rstCode})`),
          );
      });
      stream.setTimeout(REQUEST_TIMEOUT_MS, () => {
        reject(new Error('request timed out'));
        // A connection that answers nothing is not trusted for the next request either.
        session.destroy();
      });
      if (body !== undefined) stream.end(body);
    }).finally(() => {
      const left = (this.inFlight.get(session) ?? 1) - 1;
      this.inFlight.set(session, left);
      if (left === 0 && !session.destroyed) session.unref();
    });
  }
}
