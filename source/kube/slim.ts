// What the informer cache keeps of a live object. At a thousand apps the cache holds tens of thousands of objects,
// and two parts of each are large and read by nothing in the loop: kubectl's last-applied annotation (a copy of
// the whole object as last applied by client-side kubectl) and the FieldsV1 sets of metadata.managedFields (every
// field each manager owns). The loop reads only each manager's name and operation (loop/conflicts.ts), and the
// field sets of the managers an ignore rule names (engine/managed-fields.ts): those are kept. The comparison drops
// both anyway (engine/normalize.ts); the live YAML view reads the object afresh from the server.
import { LAST_APPLIED_ANNOTATION } from '../engine/normalize.js';
import type { KubeObject } from '../engine/types.js';

/** The managedFields entry's keys kept for every manager: who wrote, how, when, through which subresource. */
const ENTRY_KEYS = ['manager', 'operation', 'apiVersion', 'time', 'subresource'] as const;

/**
 * `obj` without the last-applied annotation and without the field sets of managers not in `keepFieldsOf`. The
 * object given is not changed: a new metadata (and annotations) is made only when something is left out.
 */
export function slimObject(obj: KubeObject, keepFieldsOf: ReadonlySet<string>): KubeObject {
  const meta = obj.metadata;
  if (!meta || typeof meta !== 'object') return obj;
  const annotations = meta.annotations;
  const entries = meta.managedFields;
  const dropAnnotation =
    annotations !== null && typeof annotations === 'object' && LAST_APPLIED_ANNOTATION in annotations;
  if (!dropAnnotation && !Array.isArray(entries)) return obj;
  const slim = { ...meta };
  if (typeof meta.namespace === 'string') slim.namespace = intern(meta.namespace);
  if (typeof meta.creationTimestamp === 'string') slim.creationTimestamp = intern(meta.creationTimestamp);
  if (dropAnnotation) {
    const { [LAST_APPLIED_ANNOTATION]: _, ...rest } = annotations as Record<string, string>;
    slim.annotations = rest;
  }
  if (Array.isArray(entries)) slim.managedFields = entries.map((e) => slimEntry(e, keepFieldsOf));
  return { ...obj, apiVersion: intern(obj.apiVersion), kind: intern(obj.kind), metadata: slim };
}

/**
 * One copy of the short strings that tens of thousands of cached objects repeat: apiVersion, kind, namespace, and
 * the managers, operations and times of their managedFields (objects a sync applied in the same second share the
 * time). Each object parsed from the API came with its own copy (about 11 MB at 50,000 objects). Bounded: the table
 * starts over when full.
 */
const INTERNED = new Map<string, string>();
const MAX_INTERNED = 20_000;
const MAX_INTERNED_LENGTH = 100;

function intern<T>(value: T): T {
  if (typeof value !== 'string' || value.length > MAX_INTERNED_LENGTH) return value;
  const known = INTERNED.get(value);
  if (known !== undefined) return known as T;
  if (INTERNED.size >= MAX_INTERNED) INTERNED.clear();
  INTERNED.set(value, value);
  return value;
}

function slimEntry(entry: unknown, keepFieldsOf: ReadonlySet<string>): unknown {
  if (entry === null || typeof entry !== 'object') return entry;
  const e = entry as Record<string, unknown>;
  if (typeof e.manager === 'string' && keepFieldsOf.has(e.manager)) return e;
  const out: Record<string, unknown> = {};
  for (const k of ENTRY_KEYS) if (e[k] !== undefined) out[k] = intern(e[k]);
  return out;
}
