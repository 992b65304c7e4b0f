// A pod's log, read through the API server (GET /api/v1/namespaces/{ns}/pods/{name}/log), which asks the node's
// kubelet (kwok's server on the local cluster). Names are checked before they reach the URL; every read is bounded
// (lines, bytes, time); the lines go to a sink as they come, `end` exactly once. Control characters are left to the
// caller (the loop makes text terminal-safe), but no line grows past MAX_LINE_CHARS.
import type http from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { LogFollow, LogOptions, LogSink } from '../engine/inspect.js';
import { isDns1123Label } from '../engine/names.js';
import { apiFailure } from './errors.js';
import type { RawClient } from './http.js';
import { apiPath, checkNames, refused } from './paths.js';

/** Lines from the end when none are asked for: a screenful many times over, never a whole log of days. */
export const DEFAULT_TAIL_LINES = 500;
export const MAX_TAIL_LINES = 10_000;
/** Bytes the server sends at most for a read that does not follow (the kubelet stops there). */
export const LIMIT_BYTES = 4 * 1024 * 1024;
/** A longer line is cut here, with a mark, so a log without newlines cannot grow one line without end. */
export const MAX_LINE_CHARS = 4096;
/** A read that does not follow must be done by then; a follow must have its answer's head by then. */
export const LOG_TIMEOUT_MS = 30_000;

/** kubectl's annotation naming the container `kubectl logs` reads when none is given. */
const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

export interface PodRef {
  namespace: string;
  name: string;
}

/** The request for a pod's log; throws a refusal (nothing sent) for a name that could not be a pod's or container's. */
export function logRequest(
  pod: PodRef,
  opts: LogOptions,
): { path: string; query: Record<string, string | number | boolean> } {
  checkNames('Pod', pod.namespace, pod.name);
  if (opts.container !== undefined && !isDns1123Label(opts.container))
    throw refused(
      `container ${JSON.stringify(opts.container)} of pod ${JSON.stringify(pod.name)}: a container name is a DNS-1123 label`,
    );
  const tail = opts.tailLines ?? DEFAULT_TAIL_LINES;
  if (!Number.isInteger(tail) || tail < 0)
    throw refused(`tailLines must be a whole number of lines, not ${JSON.stringify(tail)}`);
  const query: Record<string, string | number | boolean> = {
    tailLines: Math.min(tail, MAX_TAIL_LINES),
  };
  if (opts.container !== undefined) query.container = opts.container;
  if (opts.previous) query.previous = true;
  if (opts.follow) query.follow = true;
  // A follow delivers what the container writes for as long as it runs: only the first read is worth a byte cap.
  else query.limitBytes = LIMIT_BYTES;
  return { path: `${apiPath('api', 'v1', 'namespaces', pod.namespace, 'pods', pod.name)}/log`, query };
}

/** Cuts text into lines as it comes in chunks; `\r\n` counts as one break; over-long lines are cut with a mark. */
export class LineSplitter {
  private partial = '';
  private cut = false;
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly maxChars = MAX_LINE_CHARS) {}

  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const out: string[] = [];
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const p of parts) {
      if (!this.cut) out.push(this.capped(p.endsWith('\r') ? p.slice(0, -1) : p));
      this.cut = false;
    }
    // A line longer than the cap is given at once and the rest of it, up to its newline, dropped.
    if (!this.cut && this.partial.length > this.maxChars) {
      out.push(this.capped(this.partial));
      this.cut = true;
    }
    if (this.cut) this.partial = '';
    return out;
  }

  /** What is left after the last newline, if anything. */
  end(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (this.cut || rest === '') return [];
    return [this.capped(rest.endsWith('\r') ? rest.slice(0, -1) : rest)];
  }

  private capped(line: string): string {
    return line.length > this.maxChars ? `${line.slice(0, this.maxChars)} [… line cut]` : line;
  }
}

/** The server's refusal in words an operator acts on. */
export function logFailureText(err: unknown, pod: PodRef, opts: LogOptions): string {
  const f = apiFailure(err);
  const podText = `pod ${pod.name} in namespace ${pod.namespace}`;
  const msg = f.message;
  if (!f.code) return `cannot reach the API server: ${msg}`;
  if (f.code === 404 && /pods? "?[^"]*"? not found/.test(msg)) return `${podText} not found`;
  const choose = /a container name must be specified for pod \S+, choose one of: \[(.*)\]/.exec(msg);
  if (choose) return `${podText} has several containers: choose one of ${choose[1]?.split(' ').join(', ')}`;
  if (/container \S+ is not valid for pod/.test(msg))
    return `${podText} has no container ${JSON.stringify(opts.container ?? '')}`;
  if (/previous terminated container .* not found/.test(msg))
    return `no previous terminated container ${JSON.stringify(opts.container ?? '')} in ${podText} (it has not restarted)`;
  if (/is waiting to start/.test(msg)) return `${podText}: ${msg}`;
  // kwok's words when no Logs or ClusterLogs names the container: a local cluster made before logs were configured.
  if (/no logs found for container|log target not found for container/.test(msg))
    return `the node has no log for container ${JSON.stringify(opts.container ?? '')} of ${podText} (a kwok node serves only the logs its configuration names; \`driftdeck cluster up\` makes an older local cluster again)`;
  // The API server could not reach the node's kubelet (its proxy says so with a 5xx and the dial error).
  if (f.code >= 500 && /dial|connect|kubelet|containerLogs|EOF|timeout/i.test(msg))
    return `the kubelet of ${podText} did not answer: ${msg}`;
  if (f.code === 403) return `forbidden: cannot read the logs of ${podText}: ${msg}`;
  return `${f.reason}: ${msg}`;
}

/** The container `logs` reads when none is named: kubectl's default-container annotation, else the first one. */
async function defaultContainer(raw: RawClient, pod: PodRef): Promise<string | undefined> {
  const path = apiPath('api', 'v1', 'namespaces', pod.namespace, 'pods', pod.name);
  const got = await raw.request<{
    metadata?: { annotations?: Record<string, unknown> };
    spec?: { containers?: Array<{ name?: unknown }> };
  }>('GET', path);
  const names = (got?.spec?.containers ?? []).map((c) => c?.name).filter((n) => typeof n === 'string');
  const marked = got?.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  const chosen = typeof marked === 'string' && names.includes(marked) ? marked : names[0];
  // A name from the cluster is checked as one from Git is before it becomes part of a URL.
  return typeof chosen === 'string' && isDns1123Label(chosen) ? chosen : undefined;
}

/**
 * Reads a pod's log into `sink`. `onRequest` counts the requests sent; `timeoutMs` bounds a read that does not follow,
 * and the wait for a follow's first answer. A refusal of a name ends the read before any
 * request; a timeout, a stop or a failure ends it with or without an error, once.
 */
export function readPodLogs(
  raw: RawClient,
  pod: PodRef,
  opts: LogOptions,
  sink: LogSink,
  onRequest: () => void = () => {},
  timeoutMs = LOG_TIMEOUT_MS,
): LogFollow {
  const abort = new AbortController();
  let ended = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const finish = (error?: Error) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    abort.abort();
    sink.end(stopped ? undefined : error);
  };
  const stop = () => {
    if (ended) return;
    stopped = true;
    finish();
  };

  let request: ReturnType<typeof logRequest>;
  try {
    request = logRequest(pod, opts);
  } catch (err) {
    // Told after the caller has its handle, as every other end is; worded as every refused request is.
    queueMicrotask(() => finish(err as Error));
    return { stop };
  }
  timer = setTimeout(
    () =>
      finish(
        new Error(
          `the log of pod ${pod.name} in namespace ${pod.namespace} did not ${opts.follow ? 'start' : 'arrive'} within ${timeoutMs / 1000} s`,
        ),
      ),
    timeoutMs,
  );

  const run = async () => {
    const options = { ...opts };
    if (options.container === undefined) {
      onRequest();
      const chosen = await defaultContainer(raw, pod).catch((err: unknown) => {
        throw new Error(logFailureText(err, pod, options));
      });
      if (ended) return;
      if (chosen !== undefined) {
        options.container = chosen;
        request.query.container = chosen;
      }
    }
    onRequest();
    let res: http.IncomingMessage;
    try {
      res = await raw.stream(request.path, request.query, abort.signal);
    } catch (err) {
      throw new Error(logFailureText(err, pod, options));
    }
    if (opts.follow) clearTimeout(timer);
    const splitter = new LineSplitter();
    for await (const chunk of res) {
      if (ended) return;
      for (const line of splitter.push(chunk as Buffer)) if (!ended) sink.line(line);
    }
    for (const line of splitter.end()) if (!ended) sink.line(line);
  };
  run().then(
    () => finish(),
    (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
  );
  return { stop };
}
