// What the resources view's commands do: open the tree of the selected app, move in it and in what is open over
// one object, open that object's diff, YAML, events or (for a Pod) logs, and sync it alone. View changes are
// reducer actions; the fetching they cause is hooks/use-inspector.ts's, started and stopped by the state alone.
import type { TreeNode } from '../engine/inspect.js';
import type { InspectDetail, Movement } from './inspect-state.js';
import { findNode, type InspectView } from './inspect-view.js';
import { inspectRows, type Layout } from './layout.js';
import { type OperationDeps, openSync } from './operations.js';
import { refName, refSelector } from './presentation/tree.js';

export interface InspectDeps extends OperationDeps {
  layout(): Layout;
  inspectView(): InspectView;
  /** The selected app of the list, whose tree Enter opens. */
  selectedApp(): string | undefined;
}

function say(deps: InspectDeps, level: 'info' | 'warning', text: string) {
  deps.dispatch({ type: 'message', message: { level, text } });
}

export function openTree(deps: InspectDeps): void {
  const app = deps.selectedApp();
  if (!app) {
    say(deps, 'warning', 'no app selected');
    return;
  }
  deps.dispatch({ type: 'inspectOpen', app });
}

/**
 * Enter in the rollout log: the app's tree, filtered to the pod of the newest pod failure the log says (its name;
 * the filter keeps the pod's owners above it), or the whole tree when the log names none.
 */
export function openTreeFromLog(deps: InspectDeps): void {
  const app = deps.selectedApp();
  if (!app) {
    say(deps, 'warning', 'no app selected');
    return;
  }
  const failure = deps.controller
    .getSnapshot()
    .events.findLast((e) => e.app === app && e.type === 'pod-failure' && e.resource?.startsWith('Pod/'));
  const pod = failure?.resource?.slice('Pod/'.length);
  deps.dispatch(pod ? { type: 'inspectOpen', app, filter: pod } : { type: 'inspectOpen', app });
  if (pod)
    say(
      deps,
      'info',
      `resources of ${app}, filtered to pod ${pod} (the newest pod failure in the log); Esc clears`,
    );
}

/** j/k, PgUp/PgDn, g/G in the tree, in the container choice, or scrolling what is open. */
export function inspectMove(deps: InspectDeps, by: Movement | 'pageUp' | 'pageDown'): void {
  const inspect = deps.state().inspect;
  if (!inspect) return;
  const view = deps.inspectView();
  const height = inspectRows(deps.layout());
  const page = Math.max(height - 1, 1);
  const amount = by === 'pageDown' ? page : by === 'pageUp' ? -page : by;
  const detail = inspect.detail;
  if (!detail) {
    deps.dispatch({ type: 'treeMove', by: amount, total: view.rows.length });
    return;
  }
  const total =
    detail.view === 'containers' ? (detailNode(deps)?.containers?.length ?? 0) : view.lines.length;
  deps.dispatch({ type: 'detailMove', by: amount, total, height });
}

/** Esc: from an object's view to the tree; in the tree, clear its filter, then back to the apps. */
export function inspectBack(deps: InspectDeps): void {
  const inspect = deps.state().inspect;
  if (!inspect) return;
  if (inspect.detail) deps.dispatch({ type: 'detailClose' });
  else if (inspect.filter) deps.dispatch({ type: 'filterClear' });
  else deps.dispatch({ type: 'inspectClose' });
}

/**
 * The node under the cursor as the state has it now: keys typed faster than the screen redraws (`j` then `d`) act
 * on the row the cursor has reached, not on the one last drawn.
 */
function cursorNode(deps: InspectDeps): TreeNode | undefined {
  const { rows } = deps.inspectView();
  const cursor = deps.state().inspect?.cursor ?? 0;
  return rows[Math.min(Math.max(cursor, 0), rows.length - 1)]?.node;
}

function selectedNode(deps: InspectDeps): TreeNode | undefined {
  const node = cursorNode(deps);
  if (!node) say(deps, 'warning', 'no resource selected');
  return node;
}

export function openDetail(deps: InspectDeps, view: 'diff' | 'yaml' | 'events'): void {
  const node = selectedNode(deps);
  if (node) deps.dispatch({ type: 'detailOpen', detail: { view, ref: node.ref, top: 0 } });
}

function logsOf(node: TreeNode, container: string | undefined): InspectDetail {
  return {
    view: 'logs',
    ref: node.ref,
    ...(container ? { container } : {}),
    previous: false,
    top: 0,
    follow: true,
  };
}

/** `l`: a Pod's logs; the container is asked for when it has several (init containers included, as k9s lists). */
export function openLogs(deps: InspectDeps): void {
  const node = selectedNode(deps);
  if (!node) return;
  if (node.ref.kind !== 'Pod' || node.ref.apiVersion !== 'v1') {
    say(
      deps,
      'warning',
      `logs are read from Pods; ${node.ref.kind}/${node.ref.name} is not one (its Pods are below it)`,
    );
    return;
  }
  const containers = node.containers ?? [];
  if (containers.length > 1) {
    deps.dispatch({ type: 'detailOpen', detail: { view: 'containers', ref: node.ref, cursor: 0 } });
    return;
  }
  deps.dispatch({ type: 'detailOpen', detail: logsOf(node, containers[0]?.name) });
}

/**
 * The node the open detail is about, looked up from the state's detail rather than the last drawn view, so a key
 * typed right after the one that opened the detail still finds it.
 */
function detailNode(deps: InspectDeps): TreeNode | undefined {
  const detail = deps.state().inspect?.detail;
  return detail ? findNode(deps.inspectView().tree, detail.ref) : undefined;
}

export function chooseContainer(deps: InspectDeps): void {
  const detail = deps.state().inspect?.detail;
  const node = detailNode(deps);
  if (detail?.view !== 'containers' || !node) return;
  const container = node.containers?.[detail.cursor];
  if (container) deps.dispatch({ type: 'detailOpen', detail: logsOf(node, container.name) });
}

/** `p`: the previous instance, refused with a reason when the container never restarted. */
export function togglePrevious(deps: InspectDeps): void {
  const detail = deps.state().inspect?.detail;
  if (detail?.view !== 'logs') return;
  const containers = detailNode(deps)?.containers ?? [];
  const container = detail.container
    ? containers.find((c) => c.name === detail.container)
    : containers.length === 1
      ? containers[0]
      : undefined;
  if (!detail.previous && container && !container.hasPrevious) {
    say(deps, 'warning', `${container.name} has not restarted: there is no previous instance to read`);
    return;
  }
  deps.dispatch({ type: 'togglePrevious' });
}

/** `s` in the resources view: the sync confirmation for this one object, as `sync --resource` would run it. */
export function syncResource(deps: InspectDeps): void {
  const inspect = deps.state().inspect;
  if (!inspect) return;
  const detail = inspect.detail;
  const node = detail ? detailNode(deps) : cursorNode(deps);
  const ref = detail?.ref ?? node?.ref;
  if (!ref) {
    say(deps, 'warning', 'no resource selected');
    return;
  }
  if (node?.origin === 'owned') {
    say(deps, 'warning', `${ref.kind}/${ref.name} is made by the cluster, not Git: sync the object above it`);
    return;
  }
  openSync(deps, inspect.app, { selector: refSelector(ref), label: refName(ref) });
}
