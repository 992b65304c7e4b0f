// Sample the engine's snapshot instead of streaming it: a change notification only arms a timer, and the snapshot is
// re-read at most once per `intervalMs`, and only taken when its version moved. However fast the cluster churns the
// screen redraws at a readable rate, and with no changes there are no timers and no output at all.
import { useEffect, useState } from 'react';
import type { Controller, Snapshot } from '../../engine/types.js';

export const SAMPLE_INTERVAL_MS = 250;

export function useSampledSnapshot(controller: Controller, intervalMs = SAMPLE_INTERVAL_MS): Snapshot {
  const [snapshot, setSnapshot] = useState(() => controller.getSnapshot());
  useEffect(() => {
    let shown = controller.getSnapshot();
    let timer: NodeJS.Timeout | undefined;
    let lastSample = 0;
    const sample = () => {
      timer = undefined;
      lastSample = Date.now();
      const next = controller.getSnapshot();
      if (next.version === shown.version) return;
      shown = next;
      setSnapshot(next);
    };
    const unsubscribe = controller.subscribe(() => {
      if (timer) return;
      // Leading edge when the screen has been quiet, then at most one sample per interval.
      timer = setTimeout(sample, Math.max(0, lastSample + intervalMs - Date.now()));
    });
    // A change between the first render and the subscription would otherwise wait for the next one.
    sample();
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [controller, intervalMs]);
  return snapshot;
}
