// View state of the resources view: an app's tree (cursor, filter) and what is open over one of its objects (its
// diff, live YAML, events, a pod's container choice or logs). Plain data, reduced here and tested as a table; the
// data shown (the tree, the YAML, the lines of a log) is fetched by hooks/use-inspector.ts, never kept here.
import type { ObjectRef } from '../engine/inspect.js';
import { maxTop } from './presentation/window.js';

/** What is shown over one object of the tree. */
export type InspectDetail =
  | { view: 'diff' | 'yaml' | 'events'; ref: ObjectRef; top: number }
  /** A pod with several containers: which one to read the logs of. */
  | { view: 'containers'; ref: ObjectRef; cursor: number }
  /** `container` undefined: the pod's only container. `follow` keeps the newest line in view, as the rollout log. */
  | { view: 'logs'; ref: ObjectRef; container?: string; previous: boolean; top: number; follow: boolean };

export type DetailView = InspectDetail['view'];

export interface InspectState {
  app: string;
  /** Index into the visible (filtered) rows of the tree. */
  cursor: number;
  filter: string;
  filterEditing: boolean;
  detail?: InspectDetail;
  /** Show metadata.managedFields in the live YAML (hidden by default, as k9s does). */
  managedFields: boolean;
  /** Wrap long log lines instead of cutting them at the edge. */
  wrap: boolean;
}

export type Movement = number | 'top' | 'bottom';

export type InspectAction =
  /** `filter`: open with the tree already filtered (the rollout log's link to a failing pod). */
  | { type: 'inspectOpen'; app: string; filter?: string }
  | { type: 'inspectClose' }
  | { type: 'treeMove'; by: Movement; total: number }
  | { type: 'detailOpen'; detail: InspectDetail }
  /** Back from a detail to the tree. */
  | { type: 'detailClose' }
  /** Scroll a detail over `total` lines with `height` visible, or move the container choice. */
  | { type: 'detailMove'; by: Movement; total: number; height: number }
  | { type: 'toggleManagedFields' }
  | { type: 'toggleWrap' }
  | { type: 'togglePrevious' };

export function newInspect(app: string): InspectState {
  return { app, cursor: 0, filter: '', filterEditing: false, managedFields: false, wrap: false };
}

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);

export function moveCursor(cursor: number, by: Movement, total: number): number {
  if (total <= 0) return 0;
  if (by === 'top') return 0;
  if (by === 'bottom') return total - 1;
  return clamp(cursor + by, 0, total - 1);
}

function scrollDetail(detail: InspectDetail, by: Movement, total: number, height: number): InspectDetail {
  if (detail.view === 'containers') return { ...detail, cursor: moveCursor(detail.cursor, by, total) };
  const last = maxTop(total, height);
  if (detail.view !== 'logs') {
    const top = by === 'top' ? 0 : by === 'bottom' ? last : clamp(detail.top + by, 0, last);
    return { ...detail, top };
  }
  // The log follows its tail until scrolled up, and again from G, as the rollout log does.
  if (by === 'bottom') return { ...detail, top: last, follow: true };
  if (by === 'top') return { ...detail, top: 0, follow: last === 0 };
  const from = detail.follow ? last : clamp(detail.top, 0, last);
  const top = clamp(from + by, 0, last);
  return { ...detail, top, follow: top >= last };
}

/** The filter being typed, for the shared filter actions of state.ts. */
export function inspectFilter(
  inspect: InspectState,
  change: 'start' | 'accept' | 'clear' | string,
): InspectState {
  switch (change) {
    case 'start':
      return { ...inspect, filterEditing: true };
    case 'accept':
      return { ...inspect, filterEditing: false };
    case 'clear':
      return { ...inspect, filter: '', filterEditing: false, cursor: 0 };
    default:
      return { ...inspect, filter: change, cursor: 0 };
  }
}

export function inspectReducer(
  inspect: InspectState | undefined,
  action: InspectAction,
): InspectState | undefined {
  if (action.type === 'inspectOpen')
    return action.filter ? { ...newInspect(action.app), filter: action.filter } : newInspect(action.app);
  if (!inspect) return inspect;
  const detail = inspect.detail;
  switch (action.type) {
    case 'inspectClose':
      return undefined;
    case 'treeMove':
      return { ...inspect, cursor: moveCursor(inspect.cursor, action.by, action.total) };
    case 'detailOpen':
      return { ...inspect, detail: action.detail };
    case 'detailClose': {
      if (!detail) return inspect;
      const { detail: _closed, ...tree } = inspect;
      return tree;
    }
    case 'detailMove':
      return detail
        ? { ...inspect, detail: scrollDetail(detail, action.by, action.total, action.height) }
        : inspect;
    case 'toggleManagedFields':
      return { ...inspect, managedFields: !inspect.managedFields };
    case 'toggleWrap':
      return { ...inspect, wrap: !inspect.wrap };
    case 'togglePrevious':
      if (detail?.view !== 'logs') return inspect;
      // Another stream: it starts again at its tail.
      return { ...inspect, detail: { ...detail, previous: !detail.previous, top: 0, follow: true } };
  }
}
