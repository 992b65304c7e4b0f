// Argo CD's jqPathExpressions: the paths `path(expr)` gives on an object, as JSON pointers to leave out of its
// comparison. Expressions come from Git, so their cost is bounded: each batch runs in a worker thread that is
// terminated past a timeout, an expression may give at most MAX_PATHS paths, and an object larger than OBJECT_BYTES
// is not evaluated. Requests made in the same turn of the event loop (a comparison's resources, all at once) go to
// jq together, one call per set of expressions; answers are cached by object content and expressions, so an
// unchanged object is never evaluated again (its errors, a timeout included, are remembered too).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { pointerOfPath } from '../engine/normalize.js';
import { WORKER_SOURCE } from './worker-source.js';

export const JQ_LIMITS = {
  /** One batch of objects; a batch that runs over is retried object by object, each with the same time. */
  timeoutMs: 2_000,
  /** Paths one expression may give on one object. */
  maxPaths: 1_000,
  /** JSON text of one object, and of one batch (the WebAssembly stack holds it). */
  objectBytes: 192 * 1024,
  batchBytes: 192 * 1024,
  /** Answers remembered (least recently used first out). */
  cacheEntries: 5_000,
};

export interface JqAnswer {
  /** The paths of every expression that could be evaluated, as RFC 6901 pointers. */
  pointers: string[];
  /** One line per expression that could not: its text and why. */
  errors: string[];
}

interface Pending {
  key: string;
  text: string;
  exprs: readonly string[];
  resolve: (answer: JqAnswer) => void;
}

type WorkerReply = { id: number; problems: string[]; out: string } | { id: number; failed: string };

export class JqPaths {
  private worker?: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { worker: Worker; done: (reply: WorkerReply) => void }>();
  private readonly cache = new Map<string, JqAnswer>();
  private readonly inFlight = new Map<string, Promise<JqAnswer>>();
  private queue: Pending[] = [];
  private chain: Promise<void> = Promise.resolve();
  /** Objects handed to jq (not answered from the cache), for tests and the benchmark. */
  evaluated = 0;
  /** Calls made to jq (a batch is one), for tests. */
  calls = 0;

  constructor(private readonly limits = JQ_LIMITS) {}

  paths(object: unknown, exprs: readonly string[]): Promise<JqAnswer> {
    if (!exprs.length) return Promise.resolve({ pointers: [], errors: [] });
    const text = JSON.stringify(object);
    const key = `${createHash('sha256').update(text).digest('hex')}\n${JSON.stringify(exprs)}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return Promise.resolve(cached);
    }
    const flying = this.inFlight.get(key);
    if (flying) return flying;
    if (text.length > this.limits.objectBytes) {
      const answer = failedAll(exprs, `the object is larger than ${this.limits.objectBytes} bytes of JSON`);
      this.remember(key, answer);
      return Promise.resolve(answer);
    }
    const promise = new Promise<JqAnswer>((resolve) => {
      if (!this.queue.length) setImmediate(() => this.flush());
      this.queue.push({ key, text, exprs, resolve });
    });
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Stops the worker (tests; a process exits without it, the worker being unref'd). */
  async close(): Promise<void> {
    await this.chain;
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private remember(key: string, answer: JqAnswer): void {
    this.cache.set(key, answer);
    while (this.cache.size > this.limits.cacheEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }

  private flush(): void {
    const pending = this.queue;
    this.queue = [];
    const groups = new Map<string, Pending[]>();
    for (const p of pending) {
      const k = JSON.stringify(p.exprs);
      groups.set(k, [...(groups.get(k) ?? []), p]);
    }
    for (const group of groups.values())
      for (const batch of chunks(group, this.limits.batchBytes))
        this.chain = this.chain.then(() => this.runBatch(batch));
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    const exprs = batch[0]!.exprs;
    this.evaluated += batch.length;
    this.calls++;
    const reply = await this.ask(exprs, `[${batch.map((p) => p.text).join(',')}]`);
    const answers = reply && readReply(reply, exprs, batch.length, this.limits.maxPaths);
    if (answers) {
      for (const [i, p] of batch.entries()) this.settle(p, answers[i]!);
      return;
    }
    // A batch that ran over its time or broke jq: one by one, so that one object's expression costs only its own.
    if (batch.length > 1) {
      this.evaluated -= batch.length;
      for (const p of batch) await this.runBatch([p]);
      return;
    }
    const why = !reply
      ? `stopped after ${this.limits.timeoutMs} ms`
      : 'failed' in reply
        ? `jq failed: ${clean(reply.failed)}`
        : 'jq gave an answer of another shape';
    this.settle(batch[0]!, failedAll(exprs, why));
  }

  private settle(p: Pending, answer: JqAnswer): void {
    this.remember(p.key, answer);
    this.inFlight.delete(p.key);
    p.resolve(answer);
  }

  /** One request to the worker; undefined when it did not answer in time (the worker is then terminated). */
  private ask(exprs: readonly string[], objects: string): Promise<WorkerReply | undefined> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        this.worker = undefined;
        void worker.terminate();
        resolve(undefined);
      }, this.limits.timeoutMs);
      this.waiting.set(id, {
        worker,
        done: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
      });
      worker.postMessage({ id, exprs, objects, maxPaths: this.limits.maxPaths });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const jqModule = createRequire(import.meta.url).resolve('jq-wasm/dist/build/jq.js');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { jqModule } });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const waiting = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      waiting?.done(reply);
    });
    const lost = () => {
      if (this.worker === worker) this.worker = undefined;
      // Only the requests this worker had: one terminated after a timeout must not fail its successor's.
      for (const [id, waiting] of this.waiting) {
        if (waiting.worker !== worker) continue;
        this.waiting.delete(id);
        waiting.done({ id, failed: 'the jq worker stopped' });
      }
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.worker = worker;
    return worker;
  }
}

function* chunks(group: Pending[], maxBytes: number): Generator<Pending[]> {
  let batch: Pending[] = [];
  let bytes = 0;
  for (const p of group) {
    if (batch.length && bytes + p.text.length + 1 > maxBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(p);
    bytes += p.text.length + 1;
  }
  if (batch.length) yield batch;
}

const failedAll = (exprs: readonly string[], why: string): JqAnswer => ({
  pointers: [],
  errors: exprs.map((e) => `jq expression ${quoted(e)}: ${why}`),
});

/** Error text from jq (it quotes the program back): one line, no control characters, bounded. */
function clean(text: string): string {
  const first =
    text
      .split('\n')
      .find((l) => l.trim())
      ?.replace(/^jq: error(?: \(at [^)]*\))?: /, '') ?? '';
  const plain = first.replace(/[\p{Cc}\p{Cf}]/gu, ' ');
  return plain.length > 300 ? `${plain.slice(0, 300)}...` : plain;
}

const quoted = (expr: string) => JSON.stringify(expr.length > 120 ? `${expr.slice(0, 120)}...` : expr);

const isPath = (value: unknown): value is Array<string | number> =>
  Array.isArray(value) &&
  value.every((s) => typeof s === 'string' || (typeof s === 'number' && Number.isInteger(s) && s >= 0));

/** The worker's answer, checked shape by shape; undefined when it is not what the program gives. */
function readReply(
  reply: WorkerReply,
  exprs: readonly string[],
  count: number,
  maxPaths: number,
): JqAnswer[] | undefined {
  if ('failed' in reply) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.out);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== count) return undefined;
  const answers: JqAnswer[] = [];
  for (const perObject of parsed) {
    if (!Array.isArray(perObject) || perObject.length !== exprs.length) return undefined;
    const answer: JqAnswer = { pointers: [], errors: [] };
    for (const [i, result] of perObject.entries()) {
      const expr = exprs[i]!;
      const problem = reply.problems[i];
      if (problem) answer.errors.push(`jq expression ${quoted(expr)}: ${clean(problem)}`);
      else if (Array.isArray(result)) {
        if (!result.every(isPath)) return undefined;
        if (result.length > maxPaths)
          answer.errors.push(`jq expression ${quoted(expr)}: gives more than ${maxPaths} paths`);
        else for (const path of result) answer.pointers.push(pointerOfPath(path));
      } else if (
        result &&
        typeof result === 'object' &&
        typeof (result as { error?: unknown }).error === 'string'
      )
        answer.errors.push(`jq expression ${quoted(expr)}: ${clean((result as { error: string }).error)}`);
      else return undefined;
    }
    answers.push(answer);
  }
  return answers;
}

let shared: JqPaths | undefined;

/** The process's evaluator (one worker, one cache). */
export function sharedJqPaths(): JqPaths {
  shared ??= new JqPaths();
  return shared;
}
