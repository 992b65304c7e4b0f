// The headless twins of the console's resource views: `tree`, `events` and `logs` of an app. Each reads once
// (no watch), answers what the loop's Inspector answers, and exits non-zero with a clear message for an app, object
// or pod it does not know, never with an empty table.
import type { AppTree, EventItem, LogOptions, ObjectRef, TreeNode } from '../engine/inspect.js';
import { treeNodes } from '../engine/tree.js';
import type { Loop } from '../loop/index.js';
import { type Out, once, pickApp } from './commands.js';
import { age, table } from './format.js';
import { type LoopFlags, UsageError } from './wire.js';

/** A node that exists on the cluster (a desired object not yet created is in the tree too, as Missing). */
const isLive = (n: TreeNode) =>
  n.origin === 'owned' || (n.sync !== 'Missing' && n.health?.status !== 'Missing');

export async function tree(flags: LoopFlags, name: string | undefined, out: Out): Promise<number> {
  return once(
    flags,
    async (loop) => {
      const app = pickApp(loop, name).name;
      const t = await loop.tree(app);
      for (const note of t.notes ?? []) out.error(`warning: ${note}`);
      if (out.json) out.write(JSON.stringify(t, null, 2));
      else if (t.roots.length) out.write(treeTable(t));
      if (!t.roots.length) {
        out.error(`app ${app} renders no objects: its tree is empty`);
        return 1;
      }
      if (!treeNodes(t.roots).some(isLive)) {
        out.error(
          `app ${app} has no live objects: nothing it renders exists in the cluster yet (sync it first)`,
        );
        return 1;
      }
      return 0;
    },
    out,
  );
}

/** One row per node, indented under its owner, with sync, health, the reason and the pods' containers. */
export function treeTable(t: AppTree, now = Date.now()): string {
  const rows: string[][] = [];
  const walk = (n: TreeNode, prefix: string, last: boolean, top: boolean) => {
    const branch = top ? '' : `${prefix}${last ? '└─ ' : '├─ '}`;
    const containers = (n.containers ?? [])
      .map(
        (c) =>
          `${c.name}${c.role === 'init' ? ' (init)' : ''} ${c.ready ? 'ready' : c.state}${c.restarts ? `, ${c.restarts} restarts` : ''}`,
      )
      .join('; ');
    rows.push([
      `${branch}${n.ref.kind}/${n.ref.name}`,
      n.sync ?? '',
      n.health?.status ?? '',
      age(n.createdAt, now),
      [n.reason, containers].filter(Boolean).join('  '),
    ]);
    const below = top ? '' : `${prefix}${last ? '   ' : '│  '}`;
    for (const [i, c] of n.children.entries()) walk(c, below, i === n.children.length - 1, false);
  };
  for (const r of t.roots) walk(r, '', true, true);
  return table(['RESOURCE', 'SYNC', 'HEALTH', 'AGE', 'REASON'], rows);
}

/** `kind/name` (kind as any case, `Deployment` or `deployment`) of an object in the tree; refused when absent. */
function resolveRef(t: AppTree, text: string): ObjectRef {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1)
    throw new UsageError(`"${text}" is not kind/name (for example deployment/backend)`);
  const kind = text.slice(0, slash).toLowerCase();
  const name = text.slice(slash + 1);
  const found = treeNodes(t.roots).filter((n) => n.ref.kind.toLowerCase() === kind && n.ref.name === name);
  if (!found.length) throw new UsageError(`no ${text} in the resource tree of app ${t.app}`);
  if (found.length > 1)
    throw new UsageError(
      `${text} names objects in several namespaces of app ${t.app}: ${found.map((n) => n.ref.namespace).join(', ')}`,
    );
  return found[0]!.ref;
}

export async function events(
  flags: LoopFlags,
  name: string | undefined,
  object: string | undefined,
  out: Out,
): Promise<number> {
  return once(
    flags,
    async (loop) => {
      const app = pickApp(loop, name).name;
      const ref = object === undefined ? undefined : resolveRef(await loop.tree(app), object);
      const items = await loop.events(app, ref);
      if (out.json) out.write(JSON.stringify(items, null, 2));
      else if (items.length) out.write(eventsTable(items));
      else
        out.write(
          `no events about ${object ?? `the objects of app ${app}`} (the cluster keeps events for an hour by default)`,
        );
      return 0;
    },
    out,
  );
}

export function eventsTable(items: readonly EventItem[], now = Date.now()): string {
  return table(
    ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'COUNT', 'MESSAGE'],
    items.map((e) => [
      age(e.lastSeen, now),
      e.type,
      e.reason,
      `${e.object.kind}/${e.object.name}`,
      String(e.count),
      e.message,
    ]),
  );
}

export interface LogFlags {
  follow: boolean;
  previous: boolean;
  tail?: number;
}

export async function logs(
  flags: LoopFlags,
  name: string | undefined,
  target: string | undefined,
  opts: LogFlags,
  out: Out,
): Promise<number> {
  if (!name || !target) throw new UsageError('usage: driftdeck logs <app> <pod>[/<container>]');
  if (opts.tail !== undefined && !(Number.isInteger(opts.tail) && opts.tail >= 0))
    throw new UsageError('--tail must be a whole number of lines (0 or more)');
  const [podName = '', container, ...rest] = target.split('/');
  if (!podName || rest.length || container === '')
    throw new UsageError(`"${target}" is not <pod> or <pod>/<container>`);
  return once(
    flags,
    async (loop) => {
      const app = pickApp(loop, name);
      const pod = await podOf(loop, app.name, podName, app.spec.namespace);
      const logOpts: LogOptions = {
        ...(container ? { container } : {}),
        ...(opts.previous ? { previous: true } : {}),
        ...(opts.follow ? { follow: true } : {}),
        ...(opts.tail !== undefined ? { tailLines: opts.tail } : {}),
      };
      await new Promise<void>((resolve, reject) => {
        const follow = loop.logs(app.name, pod, logOpts, {
          line: (text) =>
            out.write(
              out.json
                ? JSON.stringify({ pod: pod.name, ...(container ? { container } : {}), line: text })
                : text,
            ),
          end: (error) => (error ? reject(error) : resolve()),
        });
        // Ctrl-C ends a follow as the stream's end: the request is closed, and what was read stays printed.
        process.once('SIGINT', () => follow.stop());
      });
      return 0;
    },
    out,
  );
}

/** The pod of that name in the app's tree (its namespace with it); else the app's namespace, for logs to refuse. */
async function podOf(loop: Loop, app: string, name: string, fallbackNamespace: string) {
  const found = treeNodes((await loop.tree(app)).roots).find(
    (n) => n.ref.kind === 'Pod' && n.ref.name === name,
  );
  return { namespace: found?.ref.namespace ?? fallbackNamespace, name };
}
