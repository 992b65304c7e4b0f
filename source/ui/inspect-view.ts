// What the resources view shows, derived from the inspector's answers, the snapshot and the view state, memoised
// on exactly what each piece reads: moving the tree's cursor does not rebuild the YAML or the log lines.
import { useMemo } from 'react';
import type { AppTree, ContainerState, ObjectRef, TreeNode } from '../engine/inspect.js';
import { sameKey } from '../engine/keys.js';
import type { AppState } from '../engine/types.js';
import type { InspectData } from './hooks/use-inspector.js';
import type { InspectState } from './inspect-state.js';
import { resourceLines } from './presentation/diff.js';
import { eventLines, logTextLines, yamlLines } from './presentation/inspect-lines.js';
import { type Line, seg } from './presentation/line.js';
import { refKey, refName, sameRef, type TreeRow, treeRows } from './presentation/tree.js';

export interface InspectView {
  /** The tree as last read. */
  tree: AppTree | undefined;
  /** Visible rows of the tree after the filter. */
  rows: TreeRow[];
  /** The tree cursor clamped to the rows. */
  cursor: number;
  selected: TreeNode | undefined;
  /** The node the open detail is about (looked up again in each new tree). */
  node: TreeNode | undefined;
  /** Lines of the open diff, YAML, events or logs. */
  lines: Line[];
  /** The containers to choose from, when choosing. */
  containers: ContainerState[];
  /** What the tree says while it has not been read, or why it could not be. */
  treeNote?: string;
}

function findIn(nodes: readonly TreeNode[], wanted: ObjectRef): TreeNode | undefined {
  for (const node of nodes) {
    if (sameRef(node.ref, wanted)) return node;
    const found = findIn(node.children, wanted);
    if (found) return found;
  }
  return undefined;
}

/** The node of `ref` in the tree, wherever it is (the tree is read again while a detail is open). */
export function findNode(tree: AppTree | undefined, ref: ObjectRef): TreeNode | undefined {
  return tree ? findIn(tree.roots, ref) : undefined;
}

/** The diff of one object of the app: the same lines the diff pane shows for it. */
export function resourceDiffLines(
  app: AppState | undefined,
  node: TreeNode | undefined,
  ref: TreeNode['ref'],
): Line[] {
  if (node?.origin === 'owned')
    return [
      [
        seg(
          `${refName(ref)} is made by the cluster for an object above it, not rendered from Git: it has no diff.`,
          'muted',
        ),
      ],
    ];
  const key = refKey(ref);
  const resource = app?.resources.find((r) => sameKey(r.key, key));
  if (!resource) return [[seg(`${refName(ref)} is not in the app's comparison yet.`, 'muted')]];
  const lines = resourceLines(resource);
  if (resource.status === 'Synced' && !resource.diff)
    lines.push([seg('The live object matches Git.', 'good')]);
  return lines;
}

function pending(what: string, error: string | undefined): Line[] {
  return [[error ? seg(`cannot read ${what}: ${error}`, 'bad') : seg(`Reading ${what}...`, 'muted')]];
}

export function useInspectView(
  inspect: InspectState | undefined,
  data: InspectData,
  app: AppState | undefined,
  columns: number,
  now: number,
): InspectView {
  const tree = data.tree?.value;
  const filter = inspect?.filter ?? '';
  const rows = useMemo(() => treeRows(tree, filter), [tree, filter]);
  const cursor = Math.min(Math.max(inspect?.cursor ?? 0, 0), Math.max(rows.length - 1, 0));
  const detail = inspect?.detail;
  // The ref object is kept as the detail scrolls, so scrolling rebuilds none of this.
  const view = detail?.view;
  const ref = detail?.ref;
  const node = useMemo(() => (ref ? findNode(tree, ref) : undefined), [ref, tree]);
  const managed = inspect?.managedFields ?? false;
  const wrap = inspect?.wrap ?? false;
  const { yaml, events, logs } = data;
  // Only what the open view needs is made; the others stay empty.
  const lines = useMemo((): Line[] => {
    if (!ref) return [];
    switch (view) {
      case 'diff':
        return resourceDiffLines(app, node, ref);
      case 'yaml':
        if (!yaml || yaml.error || yaml.value === undefined) return pending('the live object', yaml?.error);
        if (yaml.value === null) return [[seg(`${refName(ref)} does not exist in the cluster.`, 'warn')]];
        return yamlLines(yaml.value, managed);
      case 'events':
        if (!events?.value) return pending('the events', events?.error);
        return eventLines(events.value, now);
      case 'logs': {
        if (!logs) return pending('the logs', undefined);
        const out = logTextLines(logs.lines, wrap, columns);
        if (logs.error) out.push([seg(`log stream ended: ${logs.error}`, 'bad')]);
        else if (logs.ended)
          out.push([seg(logs.lines.length ? '(end of the log)' : '(the log is empty)', 'muted')]);
        return out;
      }
      default:
        return [];
    }
  }, [view, ref, app, node, yaml, events, logs, managed, wrap, columns, now]);
  const treeNote = tree
    ? undefined
    : data.tree?.error
      ? `cannot read the tree: ${data.tree.error}`
      : 'Reading the tree...';
  return {
    tree,
    rows,
    cursor,
    selected: rows[cursor]?.node,
    node,
    lines,
    containers: node?.containers ?? [],
    ...(treeNote ? { treeNote } : {}),
  };
}
