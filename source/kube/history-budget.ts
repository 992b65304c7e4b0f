// How much sync history one ConfigMap keeps. The API server refuses a ConfigMap whose data exceed 1 MiB, and a
// refused write loses the newest record: measured, 20 failed syncs of 300 objects made 1.07 MB when only the newest
// record was bounded. Here the whole stored value is: texts are cut, older records keep a few failures, the oldest
// records go, and only then does the newest record lose details, always with a count of what was left out.
import type { SyncRecord } from '../engine/types.js';

/** Records kept at most, newest first. */
export const KEEP = 20;
/** The `records` value in bytes (UTF-8): well below the 1 MiB (1,048,576 bytes) a ConfigMap may hold. */
export const HISTORY_BUDGET_BYTES = 900_000;
/** A record's summary message (a failed sync lists every failure in it). */
const MESSAGE_MAX = 2_000;
/** One resource's message (an API server's refusal can quote a whole object). */
const RESOURCE_MESSAGE_MAX = 500;
/** Failures an older record keeps when the history is over budget. */
const OLDER_FAILURES_KEPT = 25;

export const historyBytes = (records: SyncRecord[]) => Buffer.byteLength(JSON.stringify(records), 'utf8');

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

function capTexts(r: SyncRecord): SyncRecord {
  return {
    ...r,
    message: cut(r.message, MESSAGE_MAX),
    resources: r.resources.map((x) =>
      x.message && x.message.length > RESOURCE_MESSAGE_MAX
        ? { ...x, message: cut(x.message, RESOURCE_MESSAGE_MAX) }
        : x,
    ),
  };
}

/** Keeps at most `max` resource results (failures first when `failuresOnly`), counting the rest as omitted. */
function keep(r: SyncRecord, max: number, failuresOnly: boolean): SyncRecord {
  const pool = failuresOnly ? r.resources.filter((x) => !x.ok) : r.resources;
  const kept = pool.slice(0, max);
  const omitted = (r.omitted ?? 0) + r.resources.length - kept.length;
  return { ...r, resources: kept, ...(omitted ? { omitted } : {}) };
}

/**
 * The history to store, newest first, within `budget` bytes: the newest record keeps its resource list while it
 * fits, older ones keep only their failures (their kinds stay listed, for the prune-candidate watch).
 */
export function compact(records: SyncRecord[], budget = HISTORY_BUDGET_BYTES): SyncRecord[] {
  let out = records.slice(0, KEEP).map((r, i) => {
    const capped = capTexts(r);
    return i === 0 ? capped : keep(capped, Number.POSITIVE_INFINITY, true);
  });
  const fits = () => historyBytes(out) <= budget;
  if (fits()) return out;
  out = out.map((r, i) => (i === 0 ? r : keep(r, OLDER_FAILURES_KEPT, true)));
  while (out.length > 1 && !fits()) out = out.slice(0, -1);
  if (fits()) return out;
  // The newest record alone is too large (thousands of resources): its failures, then fewer of them.
  const newest = out[0]!;
  let max = newest.resources.length;
  out = [keep(newest, max, true)];
  while (!fits() && max > 0) {
    max = Math.floor(max / 2);
    out = [keep(newest, max, true)];
  }
  if (!fits()) out = [{ ...out[0]!, kinds: [], message: cut(out[0]!.message, 200) }];
  return out;
}
