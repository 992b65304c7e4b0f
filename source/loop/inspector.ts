// The loop's answers about live objects (engine/inspect.ts): an app's resource tree, one object's live manifest,
// the events of an object and its children, a pod's logs.
//
// The tree is read from the informer cache, which holds the kinds the apps render and the Pods and Warning events
// of their namespaces. What it lacks (ReplicaSets, EndpointSlices, Jobs a CronJob made, Normal events) is listed on
// demand when a view asks, one bounded page per collection, each with a timeout, and the answer reused for a
// moment so a view refreshing on a tick does not ask again each time. Watching those collections instead would
// keep them in memory for every app all the time (a Deployment keeps ten old ReplicaSets, each with its whole pod
// template; EndpointSlices change with every pod turning ready), for views that are closed nearly always: issue 15
// measures memory at 1,000 apps, and issue 13 wants no request at all while no view is open.

import type {
  AppTree,
  ContainerState,
  EventItem,
  Inspector,
  LiveObjectOptions,
  LogFollow,
  LogOptions,
  LogSink,
  ObjectRef,
  TreeNode,
} from '../engine/inspect.js';
import { keyString } from '../engine/keys.js';
import { maskObject } from '../engine/mask.js';
import { eventItems } from '../engine/object-events.js';
import type { ClusterPort, WatchTarget } from '../engine/ports.js';
import { terminalText } from '../engine/terminal-text.js';
import { buildTree, findNode, ownedKindsOf, refOf, type TreeRoot, treeNodes } from '../engine/tree.js';
import type { AppSpec, KubeObject } from '../engine/types.js';
import type { Comparison } from './compare.js';
import { OnDemandLists } from './on-demand-lists.js';

export interface InspectorDeps {
  cluster: ClusterPort;
  /** The app's definition and its last comparison; throws a readable Error for an app that does not exist. */
  app(name: string): { spec: AppSpec; comparison?: Comparison };
  /** The collections the informer cache holds now. */
  watched(): readonly WatchTarget[];
  now?: () => Date;
}

/** A tree with the objects behind its nodes, by `kind/namespace/name` and by uid. */
interface ReadTree {
  tree: AppTree;
  objects: Map<string, KubeObject>;
  uids: Map<string, ObjectRef>;
  namespaces: string[];
}

const objectKey = (r: { kind: string; namespace: string; name: string }) =>
  `${r.kind}/${r.namespace}/${r.name}`;

/** Events kept per namespace in one read: a bound, not a window of time. */
const EVENT_LIMIT = 1000;
/** Objects of one kind per namespace in one read. */
const OWNED_LIMIT = 2000;

export class LoopInspector implements Inspector {
  private readonly lists: OnDemandLists;

  constructor(private readonly deps: InspectorDeps) {
    this.lists = new OnDemandLists(deps.cluster);
  }

  async tree(app: string): Promise<AppTree> {
    return (await this.read(app)).tree;
  }

  private async read(app: string): Promise<ReadTree> {
    const { spec, comparison } = this.deps.app(app);
    const cluster = this.deps.cluster;
    const roots: TreeRoot[] = (comparison?.resources ?? []).map((r) => {
      const id = keyString(r.key);
      const live = comparison?.live.get(id) ?? comparison?.prunable.get(id);
      return {
        ref: { apiVersion: r.apiVersion, kind: r.key.kind, namespace: r.key.namespace, name: r.key.name },
        ...(live ? { live } : {}),
        sync: r.status,
        health: r.health,
      };
    });
    const namespaces = new Set<string>([spec.namespace]);
    const needed = new Map<string, WatchTarget>();
    for (const r of roots) {
      if (r.ref.namespace) namespaces.add(r.ref.namespace);
      if (!r.live) continue;
      for (const k of ownedKindsOf(r.ref.apiVersion, r.ref.kind))
        needed.set(`${k.apiVersion}/${k.kind}/${r.ref.namespace}`, { ...k, namespace: r.ref.namespace });
    }
    const watched = this.deps.watched();
    const isWatched = (t: WatchTarget) =>
      watched.some(
        (w) =>
          w.apiVersion === t.apiVersion &&
          w.kind === t.kind &&
          (w.namespace === t.namespace || w.namespace === '*'),
      );
    const notes: string[] = [];
    const cachedTargets = [...needed.values()].filter(isWatched);
    const listed = await Promise.all(
      [...needed.values()]
        .filter((t) => !isWatched(t))
        .map((t) => this.lists.read(t, { limit: OWNED_LIMIT }, notes)),
    );
    const inCache = cachedTargets.length
      ? cluster
          .cached()
          .filter((o) =>
            cachedTargets.some(
              (t) =>
                o.kind === t.kind &&
                o.apiVersion === t.apiVersion &&
                (o.metadata.namespace ?? '') === t.namespace,
            ),
          )
      : [];
    const ns = [...namespaces].filter(Boolean).sort();
    const tree = buildTree({
      app,
      roots,
      candidates: [...inCache, ...listed.flat()],
      events: cluster.warnings(ns),
      at: (this.deps.now?.() ?? new Date()).toISOString(),
      notes,
    });
    const objects = new Map<string, KubeObject>();
    const uids = new Map<string, ObjectRef>();
    for (const r of roots) if (r.live) objects.set(objectKey(r.ref), r.live);
    for (const o of [...inCache, ...listed.flat()]) objects.set(objectKey(refOf(o)), o);
    for (const n of treeNodes(tree.roots)) {
      const uid = objects.get(objectKey(n.ref))?.metadata.uid;
      if (uid) uids.set(uid, n.ref);
    }
    return { tree, objects, uids, namespaces: ns };
  }

  /** The node of `ref` in the app's tree, or a refusal that says whose it is not. */
  private member(read: ReadTree, app: string, ref: ObjectRef): TreeNode {
    const node = findNode(read.tree, ref);
    if (!node)
      throw new Error(
        `${terminalText(ref.kind)} ${terminalText(ref.namespace ? `${ref.namespace}/` : '')}${terminalText(ref.name)} is not in the resource tree of app ${app}`,
      );
    return node;
  }

  async liveObject(
    app: string,
    ref: ObjectRef,
    opts: LiveObjectOptions = {},
  ): Promise<KubeObject | undefined> {
    const read = await this.read(app);
    const node = this.member(read, app, ref);
    if (!read.objects.has(objectKey(node.ref))) return undefined;
    // The cache keeps a slim copy (kube/slim.ts: no last-applied annotation, no managedFields field sets): the view
    // shows the object as the server has it now, one GET.
    const obj = await this.deps.cluster.read(node.ref);
    if (!obj) return undefined;
    const masked = maskObject(obj);
    const { managedFields, ...metadata } = masked.metadata;
    const shown = opts.managedFields || managedFields === undefined ? masked : { ...masked, metadata };
    return safeDeep(shown) as KubeObject;
  }

  async events(app: string, ref?: ObjectRef): Promise<EventItem[]> {
    const read = await this.read(app);
    const nodes = ref ? treeNodes([this.member(read, app, ref)]) : treeNodes(read.tree.roots);
    const namespaces = [...new Set(nodes.map((n) => n.ref.namespace).filter(Boolean))].sort();
    const cluster = this.deps.cluster;
    let events: KubeObject[];
    if (cluster.list) {
      const notes: string[] = [];
      events = (
        await Promise.all(
          namespaces.map((namespace) =>
            this.lists.read({ apiVersion: 'v1', kind: 'Event', namespace }, { limit: EVENT_LIMIT }, notes),
          ),
        )
      ).flat();
      // Nothing could be listed: say why rather than answer "no events".
      if (notes.length && namespaces.length && !events.length) throw new Error(notes.join('; '));
    } else events = cluster.warnings(namespaces);
    return eventItems(events, nodes, (r) => read.objects.get(objectKey(r)), read.uids);
  }

  logs(app: string, pod: { namespace: string; name: string }, opts: LogOptions, sink: LogSink): LogFollow {
    let ended = false;
    let stopped = false;
    let inner: LogFollow | undefined;
    const end = (error?: Error) => {
      if (ended) return;
      ended = true;
      sink.end(error);
    };
    const start = async () => {
      const read = await this.read(app);
      const node = this.member(read, app, { apiVersion: 'v1', kind: 'Pod', ...pod });
      const containers = (node.containers ?? []).map((c) => c.name);
      const container =
        opts.container ?? (node.containers ?? []).find((c) => c.role === 'app')?.name ?? containers[0];
      if (opts.container !== undefined && !containers.includes(opts.container))
        throw new Error(
          `pod ${pod.name} has no container named "${terminalText(opts.container)}"; containers: ${containers.join(', ') || 'none'}`,
        );
      const state = (node.containers ?? []).find((c) => c.name === container);
      const refusal = state && noLogYet(pod.name, state, opts.previous === true);
      if (refusal) throw new Error(refusal);
      const podLogs = this.deps.cluster.podLogs?.bind(this.deps.cluster);
      if (!podLogs) throw new Error('this cluster adapter cannot read logs');
      if (stopped) return end();
      inner = podLogs(
        pod,
        { ...opts, ...(container ? { container } : {}) },
        {
          line: (text) => {
            if (ended) return;
            for (const l of text.split('\n')) sink.line(logLine(l));
          },
          end,
        },
      );
    };
    start().catch((err: unknown) => end(err instanceof Error ? err : new Error(String(err))));
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        inner?.stop();
        end();
      },
    };
  }
}

/** A log line made terminal-safe: a trailing CR (CRLF logs) dropped, every other control character shown. */
export function logLine(text: string): string {
  return terminalText(text.endsWith('\r') ? text.slice(0, -1) : text, { multiline: true }).replaceAll(
    '\n',
    ' ',
  );
}

/** Every string of a JSON value (keys too) made terminal-safe, for an object shown whole. */
function safeDeep(value: unknown): unknown {
  if (typeof value === 'string') return terminalText(value, { multiline: true });
  if (Array.isArray(value)) return value.map(safeDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[terminalText(k)] = safeDeep(v);
    return out;
  }
  return value;
}

/**
 * Why a container has no log to read, as a kubelet would refuse it, or undefined. A container waiting to start
 * (an image that cannot be pulled, a config error) has never written a line; a previous instance exists only after
 * a restart. The local cluster's kwok serves a log for any container it is configured for, so without this check
 * a pod in ImagePullBackOff would show the log of a program that never ran.
 */
export function noLogYet(pod: string, c: ContainerState, previous: boolean): string | undefined {
  if (previous && !c.hasPrevious)
    return `container ${c.name} of pod ${pod} has not restarted: there is no previous instance to read`;
  if (!previous && c.state === 'waiting' && c.restarts === 0)
    return `container ${c.name} of pod ${pod} is waiting to start${c.reason ? ` (${c.reason})` : ''}: it has no log yet; its events say why`;
  return undefined;
}
