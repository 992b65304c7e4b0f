// Commit history is loaded on demand: when the History pane is on screen for an app whose commits are not known
// yet, after a short pause so scrolling through the app list in the wide layout does not ask for every app passed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Controller, HistoryEntry } from '../../engine/types.js';
import { errorText } from '../operations.js';

export const HISTORY_DELAY_MS = 120;

export interface HistoryStore {
  /** Entries returned by `loadHistory`, for controllers that do not also put them in the snapshot. */
  loaded: Readonly<Record<string, HistoryEntry[]>>;
  /** Ask for an app's commits now (again). */
  load(app: string): void;
  /** Whether a load was asked for and has not failed. */
  requested(app: string): boolean;
}

export function useHistoryStore(controller: Controller, onError: (text: string) => void): HistoryStore {
  const [loaded, setLoaded] = useState<Record<string, HistoryEntry[]>>({});
  const asked = useRef(new Set<string>());
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
    (app: string) => {
      asked.current.add(app);
      controller.loadHistory(app).then(
        (entries) => {
          if (alive.current) setLoaded((old) => ({ ...old, [app]: entries }));
        },
        // Forgotten so that coming back to the app tries again; the effect below does not rerun by itself.
        (error: unknown) => {
          asked.current.delete(app);
          if (alive.current) report.current(`cannot load the history of ${app}: ${errorText(error)}`);
        },
      );
    },
    [controller],
  );
  const requested = useCallback((app: string) => asked.current.has(app), []);
  return { loaded, load, requested };
}

export function useHistoryOnDemand(
  store: HistoryStore,
  app: string | undefined,
  visible: boolean,
  known: boolean,
) {
  const { load, requested } = store;
  useEffect(() => {
    if (!app || !visible || known || requested(app)) return;
    const timer = setTimeout(() => load(app), HISTORY_DELAY_MS);
    return () => clearTimeout(timer);
  }, [app, visible, known, load, requested]);
}
