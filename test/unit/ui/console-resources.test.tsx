// The resources view from the keyboard: Enter on an app opens its tree; on a resource its diff, live YAML, events
// and (for a Pod) logs; `s` syncs that one resource after the same confirmation; Esc goes back and stops what the
// view was reading.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import type { EventItem } from '../../../source/engine/inspect.js';
import type { ConsoleProps } from '../../../source/ui/console.js';
import { Console } from '../../../source/ui/console.js';
import { ready, startConsole } from './console-start.js';
import { FakeController } from './fake-controller.js';
import { KEYS, press, renderSized, settled, tick, waitFor } from './harness.js';
import { BACKEND_EVENTS, BACKEND_LIVE, backendTree } from './resource-tree-fixture.js';

function withTree(): FakeController {
  const controller = new FakeController();
  controller.trees = { backend: backendTree() };
  controller.liveObjects = { 'Deployment/shop/backend': BACKEND_LIVE };
  controller.eventItems = BACKEND_EVENTS;
  return controller;
}

async function start(props: Partial<ConsoleProps> = {}, controller = withTree()) {
  const app = startConsole({ treeMs: 50, ...props }, controller);
  await ready(app.see);
  return app;
}

/** Open backend's tree and wait for its rows. */
async function openTree(app: Awaited<ReturnType<typeof start>>) {
  await press(app.stdin, KEYS.enter);
  return app.see('Pod/backend-7d9f-crash');
}

afterEach(() => cleanup());

/** Back to the app list ('[1 Apps]' is in the tab bar all along, so the tree's absence is what tells). */
const treeClosed = (frame: string) => !frame.includes('Resources: backend') && frame.includes('> backend');

describe('console: resources view', () => {
  it('Enter shows the tree with kind, name, sync, health and reason, indented by depth; Esc goes back', async () => {
    const app = await start();
    const frame = await openTree(app);
    assert.match(frame, /Resources: backend/);
    assert.match(frame, /> Deployment\/backend\s+OutOfSync\s+Degraded\s+ProgressDeadlineExceeded/);
    assert.match(frame, /\n║ {4}└ ReplicaSet\/backend-7d9f\s+Progressing/);
    assert.match(frame, /\n║ {6}└ Pod\/backend-7d9f-crash\s+Degraded\s+CrashLoopBackOff, restarts 3/);
    assert.match(frame, /\n║ {2}Service\/backend\s+Synced\s+Healthy/);
    assert.match(frame, /EndpointSlice\/backend-x1/);
    assert.match(frame, /y yaml/, 'the footer names the keys of the tree');
    assert.deepEqual(app.controller.callsTo('tree')[0], ['backend']);
    await press(app.stdin, KEYS.esc);
    assert.match(await app.see(treeClosed), /> backend/);
  });

  it('reads the tree again on a steady tick while open, and not once closed', async () => {
    const app = await start();
    await openTree(app);
    // Read again and again at the 50 ms tick (waiting for it, not sleeping a fixed time, on a busy machine).
    await app.see(() => app.controller.callsTo('tree').length >= 4);
    app.controller.trees.backend = {
      ...backendTree(),
      roots: backendTree().roots.map((r) => ({ ...r, reason: r.reason ? 'Progressing again' : undefined })),
    };
    await app.see('Progressing again');
    await press(app.stdin, KEYS.esc);
    await app.see(treeClosed);
    // The frame is drawn before React runs the effect cleanup that stops the tick.
    await tick(20);
    const closed = app.controller.callsTo('tree').length;
    await tick(300);
    assert.equal(app.controller.callsTo('tree').length, closed, 'no reads once closed');
  });

  it('Enter in the rollout log opens the tree filtered to the newest failing pod the log names', async () => {
    const controller = withTree();
    controller.update((snap) => ({
      events: [
        ...snap.events,
        {
          time: new Date().toISOString(),
          app: 'backend',
          level: 'error',
          type: 'pod-failure',
          resource: 'Pod/backend-7d9f-crash',
          message: 'backend-7d9f-crash: CrashLoopBackOff (restarts 3)',
        },
      ],
    }));
    const app = await start({}, controller);
    await press(app.stdin, '3');
    await app.see('backend-7d9f-crash: CrashLoopBackOff');
    await press(app.stdin, KEYS.enter);
    const frame = await app.see(
      (f) => f.includes('Resources: backend') && f.includes('Pod/backend-7d9f-crash'),
    );
    assert.doesNotMatch(frame, /Pod\/backend-7d9f-fine/, 'the other pod is filtered out');
    assert.doesNotMatch(frame, /Service\/backend/, 'what does not lead to the pod is filtered out');
    assert.match(frame, /Deployment\/backend/, 'the pod keeps its owners above it');
    // Esc clears the filter first, then leaves.
    await press(app.stdin, KEYS.esc);
    await app.see((f) => f.includes('Resources: backend') && f.includes('Service/backend'));
  });

  it('moves with j/k/G/g and filters with /', async () => {
    const app = await start();
    await openTree(app);
    await press(app.stdin, 'j');
    await app.see((f) => /> {3}└ ReplicaSet\/backend-7d9f/.test(f));
    await press(app.stdin, 'G');
    await app.see((f) => /> {3}└ EndpointSlice\/backend-x1/.test(f));
    await press(app.stdin, 'g');
    await app.see((f) => /> Deployment\/backend/.test(f));
    await press(app.stdin, '/', ...'crash');
    let frame = await app.see('filter: /crash_');
    // The matching pod with the objects it belongs to; nothing else.
    assert.match(frame, /Deployment\/backend/);
    assert.match(frame, /ReplicaSet\/backend-7d9f/);
    assert.match(frame, /Pod\/backend-7d9f-crash/);
    assert.ok(!frame.includes('backend-7d9f-fine') && !frame.includes('Service/backend'), frame);
    await press(app.stdin, KEYS.enter, 'G');
    frame = await app.see((f) => /> {5}└ Pod\/backend-7d9f-crash/.test(f));
    await press(app.stdin, KEYS.esc);
    frame = await app.see('Service/backend');
    assert.ok(!frame.includes('filter: /'), 'the first Esc clears the filter');
    await press(app.stdin, KEYS.esc);
    await app.see(treeClosed);
  });

  it("d shows the resource's diff, as the diff pane does", async () => {
    const app = await start();
    await openTree(app);
    await press(app.stdin, 'd');
    const frame = await app.see('Diff of Deployment shop/backend');
    assert.match(frame, /## Deployment shop\/backend {2}OutOfSync/);
    assert.match(frame, /\+ {8}image: ghcr\.io\/gadgetgrove\/backend:v1\.0\.1-security-patch/);
    await press(app.stdin, KEYS.esc);
    await app.see('Resources: backend');
    await press(app.stdin, 'j', 'd');
    await app.see('is made by the cluster for an object above it, not rendered from Git');
  });

  it('y shows the live YAML without managedFields until m', async () => {
    const app = await start();
    await openTree(app);
    await press(app.stdin, 'y');
    await app.see('Live YAML of Deployment shop/backend');
    let frame = await app.see('replicas: 2');
    assert.ok(!frame.includes('managedFields:'), 'hidden by default');
    assert.match(frame, /managedFields hidden \(m\)/);
    assert.deepEqual(app.controller.callsTo('liveObject')[0], [
      'backend',
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'backend' },
    ]);
    await press(app.stdin, 'm');
    frame = await app.see('managedFields:');
    assert.match(frame, /manager: driftdeck/);
  });

  it('e shows the events newest first, Warnings marked', async () => {
    const app = await start();
    await openTree(app);
    await press(app.stdin, 'e');
    await app.see('Events of Deployment shop/backend');
    const text = await app.see('BackOff');
    const warning = text.indexOf('BackOff (x7)');
    const normal = text.indexOf('Scaled up replica set');
    assert.ok(warning > 0 && normal > warning, `newest first:\n${text}`);
    assert.match(text, /Warning\s+BackOff \(x7\)\s+Pod\/backend-7d9f-crash\s+Back-off restarting/);
    assert.deepEqual(app.controller.callsTo('events')[0]?.[0], 'backend');
  });
});

describe('console: pod logs', () => {
  /** The crash-looping pod: down twice from the Deployment. */
  async function onCrashingPod(app: Awaited<ReturnType<typeof start>>) {
    await openTree(app);
    await press(app.stdin, 'j', 'j');
    await app.see((f) => /> {5}└ Pod\/backend-7d9f-crash/.test(f));
  }

  it('l asks which container, follows its log, p reads the previous instance, Esc stops the stream', async () => {
    const controller = withTree();
    controller.logLines = ['starting sidecar', 'listening on :9090'];
    controller.logsEnd = false;
    const app = await start({}, controller);
    await onCrashingPod(app);
    await press(app.stdin, 'l');
    let frame = await app.see('Containers of Pod shop/backend-7d9f-crash');
    assert.match(frame, /> app\s+waiting: CrashLoopBackOff\s+3 restarts/);
    assert.match(frame, /sidecar\s+running\s+0 restarts/);
    await press(app.stdin, 'j', KEYS.enter);
    frame = await app.see('listening on :9090');
    assert.match(frame, /Logs of Pod shop\/backend-7d9f-crash \[sidecar\]/);
    assert.match(frame, /following/);
    assert.deepEqual(controller.callsTo('logs').at(-1), [
      'backend',
      { namespace: 'shop', name: 'backend-7d9f-crash' },
      { container: 'sidecar', previous: false, follow: true },
    ]);
    assert.equal(controller.openLogs.size, 1, 'the follow is open while shown');
    // Lines arriving later are shown as they come.
    for (const sink of controller.openLogs) sink.line('request served');
    await app.see('request served');
    await press(app.stdin, 'p');
    await app.see('sidecar has not restarted: there is no previous instance to read');
    await press(app.stdin, KEYS.esc);
    await app.see('Resources: backend');
    await tick(20);
    assert.equal(controller.openLogs.size, 0, 'Esc stopped the follow');
  });

  it('p switches to the previous instance of a restarted container', async () => {
    const controller = withTree();
    controller.logLines = ['panic: config missing'];
    controller.logsEnd = false;
    const app = await start({}, controller);
    await onCrashingPod(app);
    await press(app.stdin, 'l', KEYS.enter);
    await app.see('Logs of Pod shop/backend-7d9f-crash [app]');
    await press(app.stdin, 'p');
    await app.see((f) => /Logs of Pod shop\/backend-7d9f-crash \[app\] {2}previous instance/.test(f));
    await tick(20); // the stream is asked for by an effect, right after the frame
    assert.deepEqual(controller.callsTo('logs').at(-1)?.[2], {
      container: 'app',
      previous: true,
      follow: false,
    });
    // The current instance's follow was stopped when the previous one was asked for; that one ended by itself.
    assert.equal(controller.openLogs.size, 0);
    await press(app.stdin, 'p');
    await app.see((f) => f.includes('[app]  Esc back'));
    await tick(20);
    assert.deepEqual(controller.callsTo('logs').at(-1)?.[2], {
      container: 'app',
      previous: false,
      follow: true,
    });
    assert.equal(controller.openLogs.size, 1);
    await press(app.stdin, 'q');
    await tick(50);
    assert.equal(controller.openLogs.size, 0, 'quitting stops the follow too');
  });

  it('w wraps long lines; a pod with one container needs no choice; l on a Deployment says why not', async () => {
    const controller = withTree();
    const long = `${'x'.repeat(90)}TAIL-OF-A-LONG-LINE`;
    controller.logLines = [long];
    const app = await start({}, controller);
    await openTree(app);
    await press(app.stdin, 'l');
    await app.see('logs are read from Pods; Deployment/backend is not one');
    await press(app.stdin, 'j', 'j', 'j', 'l');
    await app.see('Logs of Pod shop/backend-7d9f-fine [app]');
    let frame = await app.see('(end of the log)');
    assert.ok(!frame.includes('A-LONG-LINE'), 'cut at the edge by default');
    await press(app.stdin, 'w');
    frame = await app.see('A-LONG-LINE');
    assert.match(frame, /║A-LONG-LINE {2}/, 'the rest of the line on the next row');
    assert.match(frame, /wrap on/);
  });
});

describe('console: sync one resource', () => {
  it('s in the tree confirms and syncs that resource alone', async () => {
    const app = await start();
    await openTree(app);
    await press(app.stdin, 's');
    const frame = await app.see('Sync Deployment shop/backend of backend (one resource)?');
    assert.match(frame, /create 0 {2}update 1 {2}prune 0 {2}unchanged 0/);
    assert.match(frame, /Deployment\/shop\/backend/);
    assert.ok(!frame.includes('cart-legacy'), 'only that resource is in the plan');
    await press(app.stdin, KEYS.enter);
    await app.see('synced backend to f00dbab');
    assert.deepEqual(app.controller.callsTo('sync'), [
      [
        'backend',
        { prune: false, dryRun: false, forceConflicts: false, resources: ['apps/Deployment/shop/backend'] },
      ],
    ]);
    assert.match(await app.see('synced'), /Resources: backend/, 'the tree stays open to watch the resource');
  });

  it('refuses an object the cluster made, and everything in read-only mode', async () => {
    const app = await start();
    await openTree(app);
    await press(app.stdin, 'j', 's');
    await app.see('ReplicaSet/backend-7d9f is made by the cluster, not Git');
    cleanup();
    const ro = await start({ readonly: true });
    await openTree(ro);
    await press(ro.stdin, 's');
    await ro.see('read-only: started with --readonly; sync is disabled');
    await press(ro.stdin, 'y', KEYS.esc, 'e', KEYS.esc, 'd');
    await ro.see('Diff of Deployment shop/backend');
    await press(ro.stdin, 's');
    await tick(30);
    assert.equal(ro.controller.callsTo('planSync').length, 0);
    assert.equal(ro.controller.callsTo('sync').length, 0);
  });
});

describe('console: hostile text in the resources view', () => {
  // An OSC 52 sequence sets the clipboard; a CSI clears the screen. Written by whoever can create pods or events.
  const OSC = '\x1b]52;c;ZXZpbA==\x07';
  const CSI = '\x1b[2J';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: colours are the only escapes a frame may hold
  const SGR = /\x1b\[[0-9;]*m/g;
  const rawEscapes = (frame: string | undefined) => (frame ?? '').replace(SGR, '').includes('\x1b');

  it('shows control characters from names, events and logs as text, never as escapes', async () => {
    const controller = withTree();
    const tree = backendTree();
    const replicaSet = tree.roots[0]?.children[0];
    if (!replicaSet) throw new Error('fixture changed');
    replicaSet.children = [
      {
        ref: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: `evil${OSC}` },
        origin: 'owned',
        reason: `Bad${CSI}Reason`,
        children: [],
      },
    ];
    controller.trees = { backend: tree };
    controller.eventItems = [
      { ...(BACKEND_EVENTS[1] as EventItem), message: `boom${OSC}`, reason: `R${CSI}` },
    ];
    controller.logLines = [`line with ${OSC} and ${CSI}`];
    const app = await start({}, controller);
    await press(app.stdin, KEYS.enter);
    let frame = await app.see('Pod/evil^[]52;c;ZXZpbA==^G');
    assert.match(frame, /Bad\^\[\[2JReason/);
    assert.ok(!rawEscapes(app.frame()), 'no raw escape in the tree');
    await press(app.stdin, 'j', 'j', 'l');
    frame = await app.see('line with ^[]52;c;ZXZpbA==^G and ^[[2J');
    assert.match(frame, /Logs of Pod shop\/evil\^\[\]52/);
    assert.ok(!rawEscapes(app.frame()), 'no raw escape in the logs');
    await press(app.stdin, KEYS.esc);
    await app.see('Resources: backend');
    await press(app.stdin, 'e');
    await app.see('boom^[]52;c;ZXZpbA==^G');
    assert.ok(!rawEscapes(app.frame()), 'no raw escape in the events');
  });
});

describe('console: a large tree', () => {
  it('draws only the rows on screen of a tree of 3,000 pods, and help lists the view', async () => {
    const controller = withTree();
    const tree = backendTree();
    const replicaSet = tree.roots[0]?.children[0];
    if (!replicaSet) throw new Error('fixture changed');
    replicaSet.children = Array.from({ length: 3000 }, (_, i) => ({
      ref: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: `pod-${String(i).padStart(4, '0')}` },
      origin: 'owned' as const,
      children: [],
    }));
    controller.trees = { backend: tree };
    const app = await start({}, controller);
    await press(app.stdin, KEYS.enter);
    let frame = await app.see('Pod/pod-0000');
    assert.ok(frame.split('\n').filter((l) => l.includes('Pod/pod-')).length < 30);
    assert.match(frame, /Resources: backend {2}\(1-\d+ of 3004\)/);
    await press(app.stdin, 'G');
    await app.see('>   └ EndpointSlice/backend-x1');
    await press(app.stdin, '?');
    await app.see('Keys');
    await press(app.stdin, KEYS.pageDown);
    frame = await app.see('The live YAML of the selected resource');
    assert.match(frame, /\n║Resources/);
  });
});

describe('console: the resources view while nothing changes', () => {
  it('writes nothing while the tree and the events read again say the same', async () => {
    const controller = withTree();
    const app = renderSized(<Console controller={controller} sampleMs={250} treeMs={50} />, 160, 40);
    try {
      await waitFor(app.lastFrame, 'backend');
      await tick(30);
      app.stdin.write(KEYS.enter);
      await waitFor(app.lastFrame, 'Pod/backend-7d9f-crash');
      await settled(app.stdout);
      let before = app.stdout.bytes;
      await tick(500);
      assert.equal(app.stdout.bytes - before, 0, 'tree view idle');
      app.stdin.write('e');
      await waitFor(app.lastFrame, 'BackOff');
      await settled(app.stdout);
      before = app.stdout.bytes;
      await tick(500);
      assert.equal(app.stdout.bytes - before, 0, 'events view idle');
      assert.ok(controller.callsTo('events').length >= 5, 'the events were read again meanwhile');
    } finally {
      app.unmount();
    }
  });
});
