export type ProgressSink = (line: string) => void;

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * Runs one long step and reports it: a line when it starts, a heartbeat every `everyMs` while it runs (so a person
 * waiting on a cold compile sees it move), and a line with the elapsed time when it ends.
 */
export async function timedStep<T>(
  sink: ProgressSink,
  title: string,
  work: () => Promise<T>,
  heartbeat: () => string = () => '',
  everyMs = 15_000,
): Promise<T> {
  const started = Date.now();
  sink(`${title} ...`);
  const timer = setInterval(() => {
    const extra = heartbeat();
    sink(`${title} ... ${formatElapsed(Date.now() - started)}${extra ? ` (${extra})` : ''}`);
  }, everyMs);
  timer.unref();
  try {
    const result = await work();
    sink(`${title} done in ${formatElapsed(Date.now() - started)}`);
    return result;
  } finally {
    clearInterval(timer);
  }
}
