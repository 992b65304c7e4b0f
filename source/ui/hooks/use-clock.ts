// A coarse clock for relative ages ("5m"). It ticks rarely on purpose: an idle console should write next to
// nothing, and Ink writes only when a tick actually changes the text on screen. New data is shown with fresh ages
// in the same render (not one render later, which would draw every sample twice).
import { useEffect, useMemo, useState } from 'react';

export function useClock(intervalMs: number, changedAt: unknown): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), intervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [intervalMs]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `changedAt` and `tick` are the triggers, not inputs
  return useMemo(() => Date.now(), [changedAt, tick]);
}
