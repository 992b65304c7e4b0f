const inFlight = new Map<string, Promise<unknown>>();
const queues = new Map<string, Promise<unknown>>();

/** Callers asking for the same key while a call runs get that call's promise; the next caller starts anew. */
export function shareInFlight<T>(key: string, task: () => Promise<T>): Promise<T> {
  const running = inFlight.get(key);
  if (running) return running as Promise<T>;
  const started = task().finally(() => inFlight.delete(key));
  inFlight.set(key, started);
  return started;
}

/** Runs tasks with the same key one after the other, in call order, whatever each one's outcome. */
export function runExclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}
