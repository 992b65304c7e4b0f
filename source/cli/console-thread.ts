// The console's watch loop in a thread of its own. Git, rendering, the informers' caches, the comparisons, the
// syncs and V8's collections of all that garbage run in a worker thread (cli/console-thread-worker.ts); the
// console's thread only reads keys, draws frames and keeps a copy of the latest snapshot, sent to it as what moved
// (cli/snapshot-wire.ts). At 1,000 apps a keypress no longer waits behind the loop's work or its collections.
// Commands go to the loop as messages and their answers come back the same way; a log followed comes back line by
// line. What would stop the console in one thread stops it here too: an error the loop's thread did not catch is
// rethrown in this one.
import { setFlagsFromString } from 'node:v8';
import type { Worker, WorkerOptions } from 'node:worker_threads';
import type { LiveObjectOptions, LogFollow, LogOptions, LogSink, ObjectRef } from '../engine/inspect.js';
import type { Controller, HistoryEntry, Snapshot, SyncOptions, SyncPlanSummary } from '../engine/types.js';
import { startWorker } from '../worker-file.js';
import { SnapshotDecoder, type SnapshotMessage } from './snapshot-wire.js';
import { type LoopFlags, UsageError } from './wire.js';

/** The commands answered by the loop's thread: the Controller's methods that return a value or a promise. */
export const THREAD_METHODS = [
  'planSync',
  'sync',
  'describeRevert',
  'revert',
  'revertAndSync',
  'refresh',
  'setAutoSync',
  'loadHistory',
  'switchContext',
  'tree',
  'liveObject',
  'events',
] as const;
export type ThreadMethod = (typeof THREAD_METHODS)[number];

/** An error as it crosses threads: its class is lost, its message and whether it was the user's mistake are not. */
export interface WireError {
  message: string;
  usage?: boolean;
}

export type ToLoop =
  | { t: 'call'; id: number; method: ThreadMethod; args: unknown[] }
  | { t: 'logs'; id: number; app: string; pod: { namespace: string; name: string }; opts: LogOptions }
  | { t: 'log-stop'; id: number }
  | { t: 'close' };

export type FromLoop =
  | { t: 'ready'; snapshot: SnapshotMessage }
  | { t: 'failed'; error: WireError }
  | { t: 'snapshot'; snapshot: SnapshotMessage }
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: WireError }
  | { t: 'log-line'; id: number; text: string }
  | { t: 'log-end'; id: number; error?: WireError }
  | { t: 'said'; line: string }
  | { t: 'started' };

export function toWireError(error: unknown): WireError {
  if (error instanceof UsageError) return { message: error.message, usage: true };
  return { message: error instanceof Error ? error.message : String(error) };
}

export function fromWireError(error: WireError): Error {
  return error.usage ? new UsageError(error.message) : new Error(error.message);
}

/**
 * The loop's thread, from the worker's module beside this one (tsc's output, or the sources under tsx in the tests)
 * or the bundle's entry (dist/console-thread-worker.js).
 */
function loopThread(options: WorkerOptions): Worker {
  const worker = startWorker('console-thread-worker', import.meta.url, options);
  if (worker) return worker;
  throw new Error(
    'the console loop thread (console-thread-worker.js) is missing from the build; run npm run build',
  );
}

/** How long `close` lets the loop's thread close its loops before it is stopped. */
const CLOSE_MS = 2_000;

export class ThreadController implements Controller {
  private snapshot: Snapshot;
  private readonly decoder: SnapshotDecoder;
  private readonly listeners = new Set<() => void>();
  private readonly calls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly follows = new Map<number, LogSink>();
  private nextId = 1;
  private closing = false;
  private readonly starting: Promise<void>;
  private readonly exited: Promise<void>;

  /**
   * Starts the loop's thread with `flags` (plain data) and resolves with its first snapshot; rejects, as the same
   * process would have, when the loop cannot be made (a UsageError stays one). `say` prints what the loop reports
   * outside its snapshots (a start that failed, its thread's stdout and stderr).
   */
  static async open(flags: LoopFlags, say: (line: string) => void): Promise<ThreadController> {
    // V8's helper threads run at the loop thread's lower priority (console-thread-worker.ts); a young-generation
    // collection of this thread shared with them would wait for them. This thread's young generation is small: it
    // collects it alone (the loop's thread too: it is not the one a person waits on).
    setFlagsFromString('--no-parallel-scavenge');
    const worker = loopThread({
      name: 'driftdeck-loop',
      workerData: { flags },
      stdout: true,
      stderr: true,
    });
    forwardLines(worker.stdout, say);
    forwardLines(worker.stderr, say);
    const first = await new Promise<SnapshotMessage>((resolve, reject) => {
      const fail = (error: Error) => {
        worker.off('message', heard);
        reject(error);
      };
      const heard = (message: FromLoop) => {
        if (message.t === 'said') say(message.line);
        else if (message.t === 'failed') fail(fromWireError(message.error));
        else if (message.t === 'ready') {
          worker.off('message', heard);
          resolve(message.snapshot);
        }
      };
      worker.on('message', heard);
      worker.once('error', fail);
      worker.once('exit', (code) =>
        fail(new Error(`the console's loop thread ended (code ${code}) before its start`)),
      );
    });
    worker.removeAllListeners('error');
    worker.removeAllListeners('exit');
    return new ThreadController(worker, first, say);
  }

  private constructor(
    private readonly worker: Worker,
    first: SnapshotMessage,
    private readonly say: (line: string) => void,
  ) {
    this.decoder = new SnapshotDecoder();
    this.snapshot = this.decoder.decode(first);
    let started: () => void = () => undefined;
    this.starting = new Promise((resolve) => {
      started = resolve;
    });
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        started();
        this.lost(new Error(`the console's loop thread ended (code ${code})`));
        resolve();
      });
    });
    worker.on('error', (error) => this.lost(error));
    worker.on('message', (message: FromLoop) => this.heard(message, started));
  }

  private heard(message: FromLoop, started: () => void): void {
    switch (message.t) {
      case 'snapshot':
        this.snapshot = this.decoder.decode(message.snapshot);
        for (const l of this.listeners) l();
        return;
      case 'result': {
        const call = this.calls.get(message.id);
        this.calls.delete(message.id);
        if (message.ok) call?.resolve(message.value);
        else call?.reject(fromWireError(message.error));
        return;
      }
      case 'log-line':
        this.follows.get(message.id)?.line(message.text);
        return;
      case 'log-end': {
        const sink = this.follows.get(message.id);
        this.follows.delete(message.id);
        sink?.end(message.error ? fromWireError(message.error) : undefined);
        return;
      }
      case 'said':
        this.say(message.line);
        return;
      case 'started':
        started();
        return;
      default:
        return;
    }
  }

  /** The thread failed or ended: nothing pending waits forever, and unless the console is closing, it stops. */
  private lost(error: Error): void {
    for (const call of this.calls.values()) call.reject(error);
    this.calls.clear();
    for (const sink of this.follows.values()) sink.end(error);
    this.follows.clear();
    if (this.closing) return;
    this.closing = true;
    setImmediate(() => {
      throw error;
    });
  }

  private post(message: ToLoop): void {
    this.worker.postMessage(message);
  }

  private call<T>(method: ThreadMethod, args: unknown[]): Promise<T> {
    if (this.closing) return Promise.reject(new Error('the console is closing'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.post({ t: 'call', id, method, args });
    });
  }

  getSnapshot(): Snapshot {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  planSync(app: string): Promise<SyncPlanSummary> {
    return this.call('planSync', [app]);
  }

  sync(app: string, options: SyncOptions) {
    return this.call<Awaited<ReturnType<Controller['sync']>>>('sync', [app, options]);
  }

  describeRevert(sha: string) {
    return this.call<Awaited<ReturnType<Controller['describeRevert']>>>('describeRevert', [sha]);
  }

  revert(sha: string) {
    return this.call<Awaited<ReturnType<Controller['revert']>>>('revert', [sha]);
  }

  revertAndSync(sha: string, app: string) {
    return this.call<Awaited<ReturnType<Controller['revertAndSync']>>>('revertAndSync', [sha, app]);
  }

  refresh(hard: boolean): Promise<void> {
    return this.call('refresh', [hard]);
  }

  setAutoSync(app: string, on: boolean): Promise<void> {
    return this.call('setAutoSync', [app, on]);
  }

  loadHistory(app: string): Promise<HistoryEntry[]> {
    return this.call('loadHistory', [app]);
  }

  switchContext(name: string): Promise<void> {
    return this.call('switchContext', [name]);
  }

  tree(app: string) {
    return this.call<Awaited<ReturnType<Controller['tree']>>>('tree', [app]);
  }

  liveObject(app: string, ref: ObjectRef, opts?: LiveObjectOptions) {
    return this.call<Awaited<ReturnType<Controller['liveObject']>>>('liveObject', [app, ref, opts]);
  }

  events(app: string, ref?: ObjectRef) {
    return this.call<Awaited<ReturnType<Controller['events']>>>('events', [app, ref]);
  }

  logs(app: string, pod: { namespace: string; name: string }, opts: LogOptions, sink: LogSink): LogFollow {
    if (this.closing) {
      sink.end(new Error('the console is closing'));
      return { stop: () => undefined };
    }
    const id = this.nextId++;
    this.follows.set(id, sink);
    this.post({ t: 'logs', id, app, pod, opts });
    return {
      stop: () => {
        if (!this.follows.has(id)) return;
        // The loop's thread ends the sink when its read is stopped.
        this.post({ t: 'log-stop', id });
      },
    };
  }

  /** Resolves when the loop's first poll and comparison are done (or failed, reported), or its thread ended. */
  started(): Promise<void> {
    return this.starting;
  }

  /** Closes the loops (their informers, Leases) in their thread, then ends it; stopped after 2 s if it hangs. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.post({ t: 'close' });
    setTimeout(() => void this.worker.terminate(), CLOSE_MS).unref();
  }

  /** Resolves when the loop's thread has ended. */
  closed(): Promise<void> {
    return this.exited;
  }
}

/** A thread's stdout or stderr, line by line, to `say` (the console prints them above its frame). */
function forwardLines(stream: NodeJS.ReadableStream, say: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) say(line);
  });
  stream.on('end', () => {
    if (rest) say(rest);
  });
}
