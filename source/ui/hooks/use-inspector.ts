// What the resources view reads from the controller, fetched only while it is open: the app's tree on a steady tick
// (a refresh is dropped while the previous one still runs, as k9s samples its cache), an object's live YAML once,
// its events on the same tick while they are shown, and a pod's log stream, stopped as soon as its view closes (or
// the console goes away). Nothing is asked while the view is closed.
import { useEffect, useState } from 'react';
import type { AppTree, EventItem, LogFollow } from '../../engine/inspect.js';
import type { Controller, KubeObject } from '../../engine/types.js';
import type { InspectState } from '../inspect-state.js';
import { errorText } from '../operations.js';
import { refSelector } from '../presentation/tree.js';

/** k9s refreshes its views every 2 s by default; the tree is read from the loop's cache, so this is cheap. */
export const TREE_REFRESH_MS = 2000;
/** Log lines arrive in bursts; the screen takes them at most this often. */
const LOG_FLUSH_MS = 100;
/** Lines kept per log view, as k9s keeps a 5,000-line buffer. */
export const LOG_BUFFER_LINES = 5000;

/** An answer and the request it answers (`key`), so a late answer about another object is never shown. */
export interface Answer<T> {
  key: string;
  value?: T;
  error?: string;
}

export interface LogData {
  key: string;
  lines: string[];
  ended: boolean;
  error?: string;
}

export interface InspectData {
  tree?: Answer<AppTree>;
  yaml?: Answer<KubeObject | null>;
  events?: Answer<EventItem[]>;
  logs?: LogData;
}

/** The request a detail stands for; equal keys mean the same answer. */
export function detailKey(inspect: InspectState | undefined): string {
  const detail = inspect?.detail;
  if (!inspect || !detail) return '';
  const base = `${inspect.app}|${detail.view}|${refSelector(detail.ref)}`;
  return detail.view === 'logs' ? `${base}|${detail.container ?? ''}|${detail.previous}` : base;
}

function useTree(
  controller: Controller,
  app: string | undefined,
  everyMs: number,
): Answer<AppTree> | undefined {
  const [answer, setAnswer] = useState<Answer<AppTree>>();
  useEffect(() => {
    if (!app) return;
    let alive = true;
    let busy = false;
    let last = '';
    const load = () => {
      if (busy) return;
      busy = true;
      controller.tree(app).then(
        (tree) => {
          busy = false;
          // The same tree read again changes nothing on screen: no new render, no output while idle.
          const seen = JSON.stringify(tree.roots);
          if (!alive || seen === last) return;
          last = seen;
          setAnswer({ key: app, value: tree });
        },
        (error: unknown) => {
          busy = false;
          last = '';
          if (alive) setAnswer({ key: app, error: errorText(error) });
        },
      );
    };
    load();
    const timer = setInterval(load, everyMs);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [controller, app, everyMs]);
  return answer?.key === app ? answer : undefined;
}

function useLogs(controller: Controller, inspect: InspectState | undefined): LogData | undefined {
  const detail = inspect?.detail;
  const logs = detail?.view === 'logs' ? detail : undefined;
  const key = logs ? detailKey(inspect) : '';
  const app = inspect?.app;
  const [data, setData] = useState<LogData>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the pod, container and previous
  useEffect(() => {
    if (!logs || !app) return;
    let alive = true;
    const lines: string[] = [];
    let ended = false;
    let error: string | undefined;
    let dirty = true;
    const flush = () => {
      if (!alive || !dirty) return;
      dirty = false;
      setData({ key, lines: [...lines], ended, ...(error ? { error } : {}) });
    };
    let follow: LogFollow | undefined;
    try {
      follow = controller.logs(
        app,
        { namespace: logs.ref.namespace, name: logs.ref.name },
        {
          ...(logs.container ? { container: logs.container } : {}),
          previous: logs.previous,
          // A previous instance has ended: there is nothing to follow.
          follow: !logs.previous,
        },
        {
          line: (text) => {
            lines.push(text);
            if (lines.length > LOG_BUFFER_LINES) lines.splice(0, lines.length - LOG_BUFFER_LINES);
            dirty = true;
          },
          end: (failure) => {
            ended = true;
            if (failure) error = errorText(failure);
            dirty = true;
          },
        },
      );
    } catch (failure) {
      ended = true;
      error = errorText(failure);
    }
    flush();
    const timer = setInterval(flush, LOG_FLUSH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
      follow?.stop();
    };
  }, [controller, app, key]);
  return data?.key === key && key ? data : undefined;
}

/** No answer shown yet: differs from every JSON text, and from `undefined`. */
const NOT_YET = '\u0000not yet';

/** A one-shot or ticking request for the open detail; `every` undefined asks once. */
function useDetail<T>(
  key: string,
  ask: (() => Promise<T>) | undefined,
  every: number | undefined,
): Answer<T> | undefined {
  const [answer, setAnswer] = useState<Answer<T>>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names the request `ask` makes
  useEffect(() => {
    if (!ask || !key) return;
    let alive = true;
    let busy = false;
    let last: string | undefined = NOT_YET;
    const load = () => {
      if (busy) return;
      busy = true;
      ask().then(
        (value) => {
          busy = false;
          // The same events read again change nothing on screen: no render, no output while idle.
          const seen = JSON.stringify(value);
          if (!alive || seen === last) return;
          last = seen;
          setAnswer({ key, value });
        },
        (error: unknown) => {
          busy = false;
          last = NOT_YET;
          if (alive) setAnswer({ key, error: errorText(error) });
        },
      );
    };
    load();
    const timer = every ? setInterval(load, every) : undefined;
    return () => {
      alive = false;
      if (timer) clearInterval(timer);
    };
  }, [key, every]);
  return answer?.key === key && key ? answer : undefined;
}

export function useInspector(
  controller: Controller,
  inspect: InspectState | undefined,
  treeMs = TREE_REFRESH_MS,
): InspectData {
  const app = inspect?.app;
  const detail = inspect?.detail;
  const key = detailKey(inspect);
  const tree = useTree(controller, app, treeMs);
  const yaml = useDetail<KubeObject | null>(
    detail?.view === 'yaml' ? key : '',
    app && detail?.view === 'yaml'
      ? // With its managedFields: the view hides them until `m` shows them, without another read.
        () => controller.liveObject(app, detail.ref, { managedFields: true }).then((object) => object ?? null)
      : undefined,
    undefined,
  );
  const events = useDetail<EventItem[]>(
    detail?.view === 'events' ? key : '',
    app && detail?.view === 'events' ? () => controller.events(app, detail.ref) : undefined,
    treeMs,
  );
  const logs = useLogs(controller, inspect);
  return { tree, yaml, events, logs };
}
