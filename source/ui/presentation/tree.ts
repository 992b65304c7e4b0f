// The resources view: an app's tree (what it renders and what those own) as rows indented by depth, filtered, and
// only the rows on screen turned into lines. Each row reads kind, name, sync status, health and the short reason a
// failing object gives (ImagePullBackOff, CrashLoopBackOff...), so the meaning is in the text without colour.
import type { AppTree, ObjectRef, TreeNode } from '../../engine/inspect.js';
import { groupOf, keyString } from '../../engine/keys.js';
import type { ResourceKey } from '../../engine/types.js';
import { cell, truncate } from './format.js';
import { type Line, seg, selectable } from './line.js';
import { healthTone, syncTone } from './status.js';

export interface TreeRow {
  node: TreeNode;
  depth: number;
}

export function refKey(ref: ObjectRef): ResourceKey {
  return { group: groupOf(ref.apiVersion), kind: ref.kind, namespace: ref.namespace, name: ref.name };
}

/** The `--resource` selector of an object: `group/kind/namespace/name`, as `sync --resource` accepts it. */
export function refSelector(ref: ObjectRef): string {
  return keyString(refKey(ref));
}

/** `Deployment shop/backend`, as the diff headers name a resource. */
export function refName(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return (
    a.apiVersion === b.apiVersion && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name
  );
}

/** The words a filter looks at: kind, name, namespace, sync, health and reason, lower-cased. */
function haystack(node: TreeNode): string {
  const { ref } = node;
  return [ref.kind, ref.namespace, ref.name, node.sync, node.health?.status, node.reason]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

/**
 * Depth-first rows of the tree. With a filter, a node is kept when it or anything under it matches, so a matching
 * pod is shown under the Deployment and ReplicaSet it belongs to.
 */
export function treeRows(tree: AppTree | undefined, filter = ''): TreeRow[] {
  if (!tree) return [];
  const wanted = filter.trim().toLowerCase();
  const rows: TreeRow[] = [];
  const visit = (node: TreeNode, depth: number): boolean => {
    const at = rows.length;
    rows.push({ node, depth });
    let kept = wanted === '' || haystack(node).includes(wanted);
    for (const child of node.children) if (visit(child, depth + 1)) kept = true;
    if (!kept) rows.splice(at);
    return kept;
  };
  for (const root of tree.roots) visit(root, 0);
  return rows;
}

/** Half the width, at most 44 columns: the reason beside it is what a person reads first. */
const nameColumn = (width: number) => Math.max(Math.min(Math.floor((width - 2) * 0.5), 44), 16);

const SYNC_WIDTH = 11;
const HEALTH_WIDTH = 12;

/** Pods say how many times a container restarted: the number people look for next to CrashLoopBackOff. */
function restarts(node: TreeNode): number {
  return (node.containers ?? []).reduce((sum, c) => sum + c.restarts, 0);
}

/** One row: indent, kind/name (the column that gives way), sync, health, reason. */
export function treeRowLine(row: TreeRow, width: number, selected: boolean): Line {
  const { node, depth } = row;
  const indent = '  '.repeat(Math.min(depth, 8));
  const nameWidth = nameColumn(width);
  const what = `${indent}${depth > 0 ? '└ ' : ''}${node.ref.kind}/${node.ref.name}`;
  const sync = node.sync ?? (node.origin === 'owned' ? '' : 'Unknown');
  const health = node.health?.status ?? '';
  const count = restarts(node);
  const why = [node.reason, count > 0 ? `restarts ${count}` : ''].filter(Boolean).join(', ');
  const rest = Math.max(width - 2 - nameWidth - SYNC_WIDTH - HEALTH_WIDTH, 0);
  return selectable(
    [
      seg(cell(what, nameWidth), node.origin === 'owned' ? 'muted' : undefined, node.origin === 'desired'),
      seg(cell(sync, SYNC_WIDTH), syncTone(sync)),
      seg(cell(health, HEALTH_WIDTH), node.health ? healthTone(node.health.status) : 'muted'),
      seg(truncate(why, rest), node.health?.status === 'Degraded' ? 'bad' : 'warn', Boolean(node.reason)),
    ],
    selected,
  );
}

export function treeHeaderLine(width: number): Line {
  const nameWidth = nameColumn(width);
  return [
    seg(
      `  ${cell('KIND/NAME', nameWidth)}${cell('SYNC', SYNC_WIDTH)}${cell('HEALTH', HEALTH_WIDTH)}REASON`,
      'muted',
      true,
    ),
  ];
}
