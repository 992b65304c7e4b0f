// YAML parsed in threads of its own. A fleet's first render parses every file of every app (1,000 apps of 50
// objects: 3.6 s of parsing and 1.1 s of its collections, in one thread, before any app has a status); the apps
// render at once, so their texts can be parsed side by side. The threads start on the first text worth sending
// (small texts are parsed in place: the trip costs more than the parse), stop when idle, and never keep the
// process alive. A thread that cannot start, or dies, leaves the parsing to the caller's thread: never a failure.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-file.js';
import type { ParseContext } from './manifests.js';
import { parsedJson } from './parse-cache.js';
import type { ParseAnswer, ParseRequest } from './parse-worker.js';
import { RenderFailure } from './render-failure.js';

/** Texts shorter than this are parsed in the caller's thread. */
export const POOLED_TEXT_LENGTH = 4096;
/** A thread idle this long is stopped (its memory handed back); the next text starts one again. */
const IDLE_MS = 10_000;
/**
 * A thread's heap bound: a text that would take more (aliases are bounded by the parser, but not a huge plain
 * text) fails that text's render, not the process.
 */
const THREAD_HEAP_MB = 512;

/** A text's parse: the JSON the parse cache keeps, and its packed form and Secret check when a parse thread made it. */
export interface PoolParse {
  json: string;
  packed?: Buffer;
  secret?: boolean;
}

interface Pending {
  resolve(parse: PoolParse): void;
  reject(error: Error): void;
  request: ParseRequest;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  idle?: NodeJS.Timeout;
  /** Said it is ready: from then on a thread that stops fails the texts it held (one may be why it stopped). */
  online: boolean;
}

export class ParsePool {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private next = 0;
  /** Set once a thread could not be started: every text is then parsed in the caller's thread. */
  private unavailable = false;
  /** Texts parsed by the pool's threads (for the tests and the benchmark). */
  parsed = 0;

  constructor(
    readonly size = Math.max(1, Math.min(4, availableParallelism())),
    private readonly inPlace: (text: string, context: ParseContext) => string,
    private readonly heapMb = THREAD_HEAP_MB,
  ) {}

  /** The JSON of the text's parsed manifests ([{object, line}]), as the parse cache keeps it. */
  parse(text: string, context: ParseContext): Promise<PoolParse> {
    const thread = text.length >= POOLED_TEXT_LENGTH && !this.unavailable ? this.thread() : undefined;
    if (!thread) return Promise.resolve().then(() => ({ json: this.inPlace(text, context) }));
    const request: ParseRequest = { id: this.nextId++, text, context };
    return new Promise<PoolParse>((resolve, reject) => {
      if (thread.idle) clearTimeout(thread.idle);
      thread.idle = undefined;
      thread.pending.set(request.id, { resolve, reject, request });
      thread.worker.ref();
      thread.worker.postMessage(request);
    });
  }

  /** Stops every thread (texts in flight fail). */
  async close(): Promise<void> {
    await Promise.all(this.threads.splice(0).map((t) => this.stop(t)));
  }

  /** The threads in turn, started as needed. */
  private thread(): Thread | undefined {
    if (this.threads.length < this.size) {
      const worker = startWorker('parse-worker', import.meta.url, {
        resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
      });
      if (!worker) {
        this.unavailable = true;
        return undefined;
      }
      const thread: Thread = { worker, pending: new Map(), online: false };
      worker.on('message', (answer: ParseAnswer | { ready: true }) => {
        if ('ready' in answer) thread.online = true;
        else this.answered(thread, answer);
      });
      worker.on('error', (err) => this.lost(thread, err));
      worker.on('exit', () => this.lost(thread));
      worker.unref();
      this.threads.push(thread);
      return thread;
    }
    return this.threads[this.next++ % this.threads.length];
  }

  private answered(thread: Thread, answer: ParseAnswer): void {
    const pending = thread.pending.get(answer.id);
    if (!pending) return;
    thread.pending.delete(answer.id);
    this.parsed++;
    if ('json' in answer)
      pending.resolve({
        json: answer.json,
        packed: Buffer.from(answer.packed.buffer, answer.packed.byteOffset, answer.packed.byteLength),
        secret: answer.secret,
      });
    else if ('failure' in answer) pending.reject(new RenderFailure(answer.failure));
    else pending.reject(new Error(answer.error));
    if (thread.pending.size === 0) {
      thread.worker.unref();
      thread.idle = setTimeout(() => this.retire(thread), IDLE_MS);
      thread.idle.unref();
    }
  }

  /**
   * A thread that stopped. One that never started (its build missing, say) leaves every text to the caller's
   * thread from then on. One that stopped while parsing (out of its heap on a hostile text, say) fails the texts
   * it held, each naming its file: parsed again in this thread, the same text could take the process down.
   */
  private lost(thread: Thread, err?: Error): void {
    const at = this.threads.indexOf(thread);
    if (at >= 0) this.threads.splice(at, 1);
    if (thread.idle) clearTimeout(thread.idle);
    const pending = [...thread.pending.values()];
    thread.pending.clear();
    if (!thread.online) this.unavailable = true;
    for (const p of pending) {
      if (!thread.online) {
        try {
          p.resolve({ json: this.inPlace(p.request.text, p.request.context) });
        } catch (failure) {
          p.reject(failure as Error);
        }
        continue;
      }
      const why = err?.message ?? 'the parse thread stopped';
      p.reject(new RenderFailure({ file: p.request.context.file, message: `could not be parsed: ${why}` }));
    }
  }

  private retire(thread: Thread): void {
    const at = this.threads.indexOf(thread);
    if (at < 0 || thread.pending.size > 0) return;
    this.threads.splice(at, 1);
    void this.stop(thread);
  }

  private async stop(thread: Thread): Promise<void> {
    if (thread.idle) clearTimeout(thread.idle);
    await thread.worker.terminate().catch(() => undefined);
    this.lost(thread);
  }
}

let shared: ParsePool | undefined;

/** The process's parse threads (one pool for every loop and command of the process). */
export function sharedParsePool(): ParsePool {
  shared ??= new ParsePool(undefined, parsedJson);
  return shared;
}
