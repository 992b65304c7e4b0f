// Commit history is loaded on demand: when the History pane is on screen for an app whose commits are not known
// yet, after a short pause so scrolling through the app list in the wide layout does not ask for every app passed.
// What was loaded is kept with the revisions it was loaded at (the branch head and the app's deployed revision):
// when either moves (a new commit, a sync, a revert) the commits are loaded again, showing the old ones meanwhile.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Controller, HistoryEntry } from '../../engine/types.js';
import { errorText } from '../operations.js';

export const HISTORY_DELAY_MS = 120;

export interface LoadedHistory {
  entries: HistoryEntry[];
  /** The revisions the entries were loaded at (see `historyStamp`). */
  stamp: string;
}

export interface HistoryStore {
  /** Entries returned by `loadHistory`, for controllers that do not also put them in the snapshot. */
  loaded: Readonly<Record<string, LoadedHistory>>;
  /** Ask for an app's commits now (again), as of `stamp`. */
  load(app: string, stamp: string): void;
  /** Whether a load at `stamp` was asked for and has not failed. */
  requested(app: string, stamp: string): boolean;
}

/** What an app's history depends on: new commits on the branch and which of them is deployed. */
export function historyStamp(head: string | undefined, deployedRevision: string | undefined): string {
  return `${head ?? ''}@${deployedRevision ?? ''}`;
}

const askKey = (app: string, stamp: string) => `${app}\n${stamp}`;

export function useHistoryStore(controller: Controller, onError: (text: string) => void): HistoryStore {
  const [loaded, setLoaded] = useState<Record<string, LoadedHistory>>({});
  const asked = useRef(new Set<string>());
  // Only the newest load of an app is kept: an older answer arriving late must not replace a newer one.
  const latest = useRef(new Map<string, number>());
  const counter = useRef(0);
  const alive = useRef(true);
  const report = useRef(onError);
  report.current = onError;
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const load = useCallback(
    (app: string, stamp: string) => {
      const key = askKey(app, stamp);
      asked.current.add(key);
      const mine = ++counter.current;
      latest.current.set(app, mine);
      controller.loadHistory(app).then(
        (entries) => {
          if (!alive.current || latest.current.get(app) !== mine) return;
          setLoaded((old) => ({ ...old, [app]: { entries, stamp } }));
        },
        // Forgotten so that coming back to the app tries again; the effect below does not rerun by itself.
        (error: unknown) => {
          asked.current.delete(key);
          if (alive.current) report.current(`cannot load the history of ${app}: ${errorText(error)}`);
        },
      );
    },
    [controller],
  );
  const requested = useCallback((app: string, stamp: string) => asked.current.has(askKey(app, stamp)), []);
  return { loaded, load, requested };
}

/**
 * Loads the app's commits when its History pane is visible and they are not `known` at `stamp`; commits loaded at
 * an older stamp stay on screen until the new ones arrive.
 */
export function useHistoryOnDemand(
  store: HistoryStore,
  app: string | undefined,
  visible: boolean,
  known: boolean,
  stamp: string,
) {
  const { load, requested } = store;
  useEffect(() => {
    if (!app || !visible || known || requested(app, stamp)) return;
    const timer = setTimeout(() => load(app, stamp), HISTORY_DELAY_MS);
    return () => clearTimeout(timer);
  }, [app, visible, known, stamp, load, requested]);
}
