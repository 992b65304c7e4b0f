// The stored form of sync history, read back. The history ConfigMap is written by driftdeck but lives in the
// cluster, where anyone with rights may edit it: every record is checked for its shape before use, and a record
// that is not one is left out and described, never thrown (one `[null]` used to stop the loop for every app).
import type {
  LegacyResourceAction,
  ResourceAction,
  ResourceResult,
  SyncRecord,
  SyncResult,
} from './types.js';

export interface ParsedRecords {
  /** The well-formed records, in stored order (newest first). */
  records: SyncRecord[];
  /** One line per problem, naming the record; empty when all is well. */
  problems: string[];
}

const RESULTS: ReadonlySet<SyncResult> = new Set(['Succeeded', 'Failed', 'DryRun']);
const ACTIONS: ReadonlySet<ResourceAction> = new Set<ResourceAction>([
  'created',
  'configured',
  'unchanged',
  'pruned',
  'blocked',
  'kept',
  'failed',
  'hook-created',
  'hook-succeeded',
  'hook-failed',
  'hook-deleted',
]);
const PHASES: ReadonlySet<string> = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail']);
const LEGACY: ReadonlySet<string> = new Set<LegacyResourceAction>(['create', 'update', 'prune', 'skip']);

/**
 * An action of a record written before syncs were plans: `skip` meant both "not applied: an earlier resource
 * failed" (not ok) and "prune candidate kept" (ok); a failed create, update or prune is `failed`.
 */
export function currentAction(action: ResourceAction | LegacyResourceAction, ok: boolean): ResourceAction {
  switch (action) {
    case 'create':
      return ok ? 'created' : 'failed';
    case 'update':
      return ok ? 'configured' : 'failed';
    case 'prune':
      return ok ? 'pruned' : 'failed';
    case 'skip':
      return ok ? 'kept' : 'blocked';
    default:
      return action;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Why `v` is not a resource result, or undefined when it is one. */
function resourceProblem(v: unknown): string | undefined {
  if (!isObj(v)) return `is ${describe(v)}`;
  const key = v.key;
  if (!isObj(key) || !['group', 'kind', 'namespace', 'name'].every((k) => isStr(key[k])))
    return 'has no key {group, kind, namespace, name} of strings';
  if (!ACTIONS.has(v.action as ResourceAction) && !LEGACY.has(v.action as string))
    return 'has no known action';
  if (typeof v.ok !== 'boolean') return 'has no ok flag';
  if (v.apiVersion !== undefined && !isStr(v.apiVersion)) return 'has an apiVersion that is not a string';
  if (v.message !== undefined && !isStr(v.message)) return 'has a message that is not a string';
  if (v.phase !== undefined && !PHASES.has(v.phase as string)) return 'has an unknown phase';
  if (v.wave !== undefined && !Number.isSafeInteger(v.wave)) return 'has a wave that is not a whole number';
  return undefined;
}

/** Why `v` is not a sync record, or undefined when it is one. */
function recordProblem(v: unknown): string | undefined {
  if (!isObj(v)) return `is ${describe(v)}, not a sync record`;
  for (const f of ['app', 'revision', 'startedAt', 'finishedAt', 'by', 'message'])
    if (!isStr(v[f])) return `has no ${f} string`;
  if (!RESULTS.has(v.result as SyncResult)) return 'has no result (Succeeded, Failed or DryRun)';
  if (typeof v.prune !== 'boolean') return 'has no prune flag';
  if (!Array.isArray(v.resources)) return 'has no resources list';
  for (let i = 0; i < v.resources.length; i++) {
    const p = resourceProblem(v.resources[i]);
    if (p) return `resource ${i + 1} ${p}`;
  }
  if (v.holder !== undefined && !isStr(v.holder)) return 'has a holder that is not a string';
  if (v.kinds !== undefined && !(Array.isArray(v.kinds) && v.kinds.every(isStr)))
    return 'has kinds that are not a list of strings';
  if (v.omitted !== undefined && !(Number.isInteger(v.omitted) && (v.omitted as number) >= 0))
    return 'has an omitted count that is not a whole number';
  return undefined;
}

/**
 * `text` is the ConfigMap's `records` value (anything: it comes from the cluster); `where` names the ConfigMap in
 * the problems, e.g. `ConfigMap driftdeck-system/driftdeck-history-shop`.
 */
export function parseSyncRecords(text: unknown, where: string): ParsedRecords {
  if (text === undefined) return { records: [], problems: [] };
  if (!isStr(text)) return { records: [], problems: [`${where}: records is ${describe(text)}, not text`] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // The parser's message quotes the text; only its position is repeated (the text is the cluster's, unmasked).
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    return {
      records: [],
      problems: [`${where}: records is not JSON${at ? ` (at character ${at})` : ''}; its history is ignored`],
    };
  }
  if (!Array.isArray(value))
    return {
      records: [],
      problems: [
        `${where}: records is ${describe(value)}, not a list of sync records; its history is ignored`,
      ],
    };
  const records: SyncRecord[] = [];
  const problems: string[] = [];
  value.forEach((v, i) => {
    const p = recordProblem(v);
    if (p) problems.push(`${where}: record ${i + 1} of ${value.length} ${p}; it is left out`);
    else records.push(withCurrentActions(v as unknown as SyncRecord));
  });
  return { records, problems };
}

/** The record with every legacy action read as today's (a copy only when one was found). */
function withCurrentActions(record: SyncRecord): SyncRecord {
  const legacy = (r: ResourceResult) => LEGACY.has(r.action);
  if (!record.resources.some(legacy)) return record;
  return {
    ...record,
    resources: record.resources.map((r) => (legacy(r) ? { ...r, action: currentAction(r.action, r.ok) } : r)),
  };
}

/** The parse of each history ConfigMap object, for those whose records text was left out of the cache. */
const PARSED = new WeakMap<object, ParsedRecords>();

interface HistoryMap {
  metadata: { namespace?: string; name?: string };
  data?: Record<string, unknown>;
}

/**
 * The records of a history ConfigMap: the parse made when its text was left out (`withoutRecordsText`), else its
 * `data.records` parsed (`where` names it in problems).
 */
export function historyRecords(cm: HistoryMap | undefined, where: string): ParsedRecords {
  return (cm && PARSED.get(cm)) ?? parseSyncRecords(cm?.data?.records, where);
}

/**
 * A copy of a history ConfigMap without its records text, parsed once now and answered by `historyRecords`. A
 * cache keeps the parsed records and not the text too: at a fleet's 1,000 apps the texts were 8.5 MB that nothing
 * read again.
 */
export function withoutRecordsText<T extends HistoryMap>(cm: T): T {
  const { records, ...data } = cm.data ?? {};
  const copy = { ...cm, data };
  PARSED.set(copy, parseSyncRecords(records, `ConfigMap ${cm.metadata.namespace}/${cm.metadata.name}`));
  return copy;
}
