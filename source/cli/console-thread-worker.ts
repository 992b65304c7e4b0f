// The loop's side of cli/console-thread.ts: builds the console's controller from the flags it was started with,
// sends a snapshot (what moved) after every change, answers commands and streams the logs asked for.
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { LogFollow } from '../engine/inspect.js';
import type { Controller, Snapshot } from '../engine/types.js';
import { flushParseCaches } from '../render/index.js';
import { type ConsoleController, makeConsoleController } from './console-loops.js';
import {
  type FromLoop,
  THREAD_METHODS,
  type ThreadMethod,
  type ToLoop,
  toWireError,
} from './console-thread.js';
import { SnapshotEncoder } from './snapshot-wire.js';
import type { LoopFlags } from './wire.js';

/**
 * Every thread of the process but the one that draws yields the CPU to it: this one, V8's helpers that collect its
 * garbage, libuv's pool. On a busy machine (a fleet sync, a small bastion) the kernel then runs a keypress's frame
 * before more of the loop's work. Linux gives each thread a nice value of its own (threads started later by this
 * one, and the tools it runs, inherit it); elsewhere, or when refused, the threads keep their priority.
 */
const BACKGROUND_NICE = 10;
try {
  for (const tid of readdirSync('/proc/self/task').map(Number)) {
    if (tid === process.pid || !Number.isInteger(tid)) continue;
    setPriority(tid, Math.max(getPriority(tid), BACKGROUND_NICE));
  }
} catch {
  // Not Linux, or not allowed: the loop runs at the console's priority.
}

const port = parentPort;
if (!port) throw new Error('console-thread-worker runs only as the console loop thread');
const send = (message: FromLoop) => port.postMessage(message);
const METHODS: ReadonlySet<string> = new Set(THREAD_METHODS);

let controller: ConsoleController;
try {
  controller = makeConsoleController((workerData as { flags: LoopFlags }).flags, (line) =>
    send({ t: 'said', line }),
  );
} catch (error) {
  send({ t: 'failed', error: toWireError(error) });
  port.close();
  process.exit(0);
}

const encoder = new SnapshotEncoder();
/**
 * At most one snapshot every 100 ms: during a fleet sync the loop changes a hundred times a second, and each snapshot
 * costs the console's thread a decoding and a frame. A command's answer is sent after the snapshot it left behind.
 */
const SNAPSHOT_GAP_MS = 100;
let sent: Snapshot | undefined;
let sentAt = 0;
let timer: NodeJS.Timeout | undefined;
const sendSnapshot = (kind: 'ready' | 'snapshot') => {
  clearTimeout(timer);
  timer = undefined;
  const snapshot = controller.getSnapshot();
  // A fleet's merged snapshot and a loop's may tell of one change twice; a snapshot is a new object when it moved
  // (not its version: after `:ctx` the new loop counts from 1 again).
  if (kind === 'snapshot' && snapshot === sent) return;
  sent = snapshot;
  sentAt = performance.now();
  send({ t: kind, snapshot: encoder.encode(snapshot) } as FromLoop);
};
sendSnapshot('ready');
controller.subscribe(() => {
  if (timer) return;
  const wait = sentAt + SNAPSHOT_GAP_MS - performance.now();
  if (wait <= 0) sendSnapshot('snapshot');
  else timer = setTimeout(() => sendSnapshot('snapshot'), wait);
});
void controller.started().then(() => send({ t: 'started' }));
/** What a command answered, after the snapshot as it left it. */
const answer = (message: FromLoop) => {
  sendSnapshot('snapshot');
  send(message);
};

const follows = new Map<number, LogFollow>();

port.on('message', (message: ToLoop) => {
  switch (message.t) {
    case 'call': {
      if (!METHODS.has(message.method)) {
        send({ t: 'result', id: message.id, ok: false, error: { message: `no command ${message.method}` } });
        return;
      }
      const method = controller[message.method as ThreadMethod] as (...args: unknown[]) => unknown;
      Promise.resolve()
        .then(() => method.apply(controller as Controller, message.args))
        .then(
          (value) => answer({ t: 'result', id: message.id, ok: true, value }),
          (error: unknown) => answer({ t: 'result', id: message.id, ok: false, error: toWireError(error) }),
        );
      return;
    }
    case 'logs': {
      const { id } = message;
      let ended = false;
      try {
        const follow = controller.logs(message.app, message.pod, message.opts, {
          line: (text) => send({ t: 'log-line', id, text }),
          end: (error) => {
            ended = true;
            follows.delete(id);
            send({ t: 'log-end', id, ...(error ? { error: toWireError(error) } : {}) });
          },
        });
        if (!ended) follows.set(id, follow);
      } catch (error) {
        send({ t: 'log-end', id, error: toWireError(error) });
      }
      return;
    }
    case 'log-stop':
      follows.get(message.id)?.stop();
      return;
    case 'close':
      for (const follow of follows.values()) follow.stop();
      controller.close();
      // The first start given a moment to settle, as a console in one thread does, and the parse cache saved;
      // then the thread ends (the console hears its exit).
      void Promise.race([controller.started(), new Promise((r) => setTimeout(r, 100))])
        .then(() => flushParseCaches())
        .then(() => {
          port.close();
          process.exit(0);
        });
      return;
  }
});
