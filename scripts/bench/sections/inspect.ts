// Issue 13: the resources view asks the cluster on demand only. The real loop (wired as the CLI wires it) holds an
// app of its own (a Deployment of 3 Pods and a Service, in namespace bench-inspect, synced by the loop), and the
// requests its cluster adapter sends are counted (`cluster.requests()`, every API request it makes) over windows of
// the same length: no view open; the tree read on the console's 2 s tick; the tree and the Deployment's events on
// that tick; a pod's log followed; and everything stopped. The API server's own count of open log streams is read
// from its metrics while the log is followed and after it is stopped. Figures only: nothing here is a target.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gitSource, makeLoop } from '../../../source/cli/wire.js';
import type { LogFollow } from '../../../source/engine/inspect.js';
import type { Loop } from '../../../source/loop/index.js';
import type { BenchContext } from '../context.js';
import { createRepo } from '../repo.js';
import { sleep } from '../stats.js';

const SECTION = 'resources view, requests to the cluster';
const APP = 'inspect';
const NS = 'bench-inspect';
const REPLICAS = 3;
const WINDOW_MS = 20_000;
/** The console's tree tick (TREE_REFRESH_MS in source/ui/hooks/use-inspector.ts). */
const TICK_MS = 2000;

const FILES = new Map<string, string>([
  [
    'driftdeck.yaml',
    `apps:
  - name: ${APP}
    path: apps/${APP}
    namespace: ${NS}
    renderer: directory
    sync: { auto: false, prune: false, selfHeal: false }
`,
  ],
  [
    `apps/${APP}/web.yaml`,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
spec:
  replicas: ${REPLICAS}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: app
          image: registry.example/bench/web:v1
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${NS}
spec:
  clusterIP: None
  selector: { app: web }
  ports:
    - { name: http, port: 80, targetPort: 8080 }
`,
  ],
]);

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'web' };

export async function inspect(ctx: BenchContext): Promise<void> {
  const root = join(ctx.root, 'inspect');
  await mkdir(root, { recursive: true });
  const repo = await createRepo(root, FILES);
  await ctx.kubectl(['create', 'namespace', NS]);
  const loop = makeLoop({
    repo: repo.remote,
    branch: repo.branch,
    kubeconfig: ctx.cluster.kubeconfig,
    interval: 10,
    readonly: false,
    autoSync: false,
  });
  try {
    await loop.start();
    await until(
      () => loop.getSnapshot().apps.some((a) => a.name === APP && a.resources.length > 0),
      'a comparison',
    );
    const record = await loop.sync(APP, { prune: false, dryRun: false, forceConflicts: false });
    if (record.result !== 'Succeeded')
      throw new Error(`the sync of ${APP} ended ${record.result}: ${record.message}`);
    await ctx.kubectl(['rollout', 'status', 'deployment/web', '-n', NS, '--timeout=180s']);
    const pods = await runningPods(loop);
    console.log(`  ${APP} synced; pods ${pods.join(', ')}`);
    await sleep(5000); // the sync's own reads and the informers' first lists are over

    const figures: Array<[string, number, string]> = [];
    const measure = async (what: string, during: () => Promise<string>) => {
      const before = loop.cluster.requests();
      const started = Date.now();
      const detail = await during();
      const n = loop.cluster.requests() - before;
      const seconds = (Date.now() - started) / 1000;
      figures.push([what, n / seconds, `${n} requests in ${seconds.toFixed(1)} s; ${detail}`]);
      console.log(`  ${what}: ${n} requests in ${seconds.toFixed(1)} s (${detail})`);
    };
    const pod = { namespace: NS, name: pods[0]! };

    await measure('no view open (tree, events, logs never asked)', async () => {
      await sleep(WINDOW_MS);
      return 'the loop alone (its informers watching)';
    });
    await measure('tree open (read on the 2 s tick)', async () => {
      const reads = await onTick(() => loop.tree(APP));
      return `${reads} tree reads`;
    });
    await measure("tree and the Deployment's events open (both on the tick)", async () => {
      const reads = await onTick(() => Promise.all([loop.tree(APP), loop.events(APP, DEPLOYMENT)]));
      return `${reads} reads of each`;
    });
    let streams = { following: Number.NaN, stopped: Number.NaN };
    await measure("a pod's log followed", async () => {
      let lines = 0;
      let ended: string | undefined;
      const follow: LogFollow = loop.logs(
        APP,
        pod,
        { follow: true },
        {
          line: () => lines++,
          end: (err) => {
            ended = err ? err.message : 'ended';
          },
        },
      );
      await sleep(WINDOW_MS);
      streams.following = await logStreams(ctx);
      follow.stop();
      if (ended && ended !== 'ended') throw new Error(`the log follow failed: ${ended}`);
      return `${lines} lines read, ${streams.following} log stream(s) open on the API server`;
    });
    await sleep(1000);
    await measure('after the views closed (everything stopped)', async () => {
      await sleep(WINDOW_MS);
      streams = { ...streams, stopped: await logStreams(ctx) };
      return `${streams.stopped} log stream(s) open on the API server`;
    });
    for (const [what, perSecond, note] of figures) ctx.report.add(SECTION, what, '/s', [perSecond], note);
    ctx.report.note(
      `${SECTION}: the real loop and cluster adapter, an app of a ${REPLICAS}-replica Deployment and a Service; windows of ${WINDOW_MS / 1000} s; requests counted by the adapter (lists, gets, log streams; an open watch is not a request per second)`,
    );
  } finally {
    loop.stop();
    loop.cluster.close();
    await rm(gitSource({ repo: repo.remote, branch: repo.branch }).paths.root, {
      recursive: true,
      force: true,
    });
    await ctx.kubectl(['delete', 'namespace', NS, '--wait=false']).catch(() => undefined);
  }
}

/** Calls `read` every TICK_MS for one window, skipping a tick while the last read runs (as the console does). */
async function onTick(read: () => Promise<unknown>): Promise<number> {
  let reads = 0;
  let busy = false;
  let failure: unknown;
  const tick = () => {
    if (busy) return;
    busy = true;
    reads++;
    read().then(
      () => {
        busy = false;
      },
      (err: unknown) => {
        busy = false;
        failure = err;
      },
    );
  };
  tick();
  const timer = setInterval(tick, TICK_MS);
  await sleep(WINDOW_MS);
  clearInterval(timer);
  while (busy) await sleep(50);
  if (failure) throw failure;
  return reads;
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`no ${what} in time`);
    await sleep(200);
  }
}

/** The app's pods, once the tree shows all of them running (the informer cache has caught up). */
async function runningPods(loop: Loop): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const tree = await loop.tree(APP);
    const pods: string[] = [];
    const visit = (n: (typeof tree.roots)[number]) => {
      if (n.ref.kind === 'Pod' && n.containers?.every((c) => c.state === 'running')) pods.push(n.ref.name);
      for (const c of n.children) visit(c);
    };
    for (const r of tree.roots) visit(r);
    if (pods.length >= REPLICAS) return pods.sort();
    if (Date.now() > deadline) throw new Error(`only ${pods.length} running pods in the tree of ${APP}`);
    await sleep(1000);
  }
}

/** Log streams the API server holds open now (its long-running request gauge for pods/log). */
async function logStreams(ctx: BenchContext): Promise<number> {
  const metrics = (await ctx.kubectl(['get', '--raw', '/metrics'])).stdout;
  let total = 0;
  for (const line of metrics.split('\n'))
    if (line.startsWith('apiserver_longrunning_requests{') && line.includes('subresource="log"'))
      total += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  return total;
}
