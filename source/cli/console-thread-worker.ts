// The loop's side of cli/console-thread.ts: builds the console's controller from the flags it was started with,
// sends a snapshot (what moved) after every change, answers commands and streams the logs asked for.
import { parentPort, workerData } from 'node:worker_threads';
import type { LogFollow } from '../engine/inspect.js';
import type { Controller } from '../engine/types.js';
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
let sentVersion = -1;
const sendSnapshot = (kind: 'ready' | 'snapshot') => {
  const snapshot = controller.getSnapshot();
  sentVersion = snapshot.version;
  send({ t: kind, snapshot: encoder.encode(snapshot) } as FromLoop);
};
sendSnapshot('ready');
controller.subscribe(() => {
  // A fleet's merged snapshot and a loop's may tell of one change twice; the version says whether it moved.
  if (controller.getSnapshot().version !== sentVersion) sendSnapshot('snapshot');
});
void controller.started().then(() => send({ t: 'started' }));

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
          (value) => send({ t: 'result', id: message.id, ok: true, value }),
          (error: unknown) => send({ t: 'result', id: message.id, ok: false, error: toWireError(error) }),
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
      // The first start given a moment to settle, as a console in one thread does; then the thread ends.
      void Promise.race([controller.started(), new Promise((r) => setTimeout(r, 100))]).then(() => {
        send({ t: 'closed' });
        port.close();
        process.exit(0);
      });
      return;
  }
});
