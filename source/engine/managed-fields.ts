// Argo CD's ignoreDifferences.managedFieldsManagers: the fields that the named field managers own on the live object
// (metadata.managedFields, FieldsV1) are left out of both sides of the comparison, as Argo CD does with
// structured-merge-diff's RemoveItems. FieldsV1 is read without a schema: `f:<name>` a field, `k:<json>` the list
// element whose fields equal the key, `v:<json>` the set element equal to the value, `i:<n>` an index, and `.` the
// node itself. A node that is itself owned (a leaf `{}`, or one holding `.`) is removed whole; otherwise only the
// owned parts inside it are.
import { isDeepStrictEqual } from 'node:util';
import { isRecord } from './fields.js';
import type { KubeObject } from './types.js';

/** A FieldsV1 tree: each key a path element, each value the tree below it (`{}` a leaf). */
export type FieldSet = Record<string, unknown>;

/** Bounds on hostile managedFields (they come from the cluster): nesting and elements looked at. */
const MAX_DEPTH = 64;

/** The union of the FieldsV1 sets of every managedFields entry of `live` whose manager is listed. */
export function managedFieldSet(
  live: KubeObject | undefined,
  managers: readonly string[],
): FieldSet | undefined {
  if (!live || !managers.length) return undefined;
  const entries = live.metadata.managedFields;
  if (!Array.isArray(entries)) return undefined;
  let union: FieldSet | undefined;
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.manager !== 'string' || !managers.includes(entry.manager)) continue;
    if (entry.fieldsType !== undefined && entry.fieldsType !== 'FieldsV1') continue;
    if (!isRecord(entry.fieldsV1)) continue;
    union = mergeSets(union ?? {}, entry.fieldsV1, 0);
  }
  return union;
}

function mergeSets(into: FieldSet, from: FieldSet, depth: number): FieldSet {
  if (depth > MAX_DEPTH) return into;
  for (const [key, value] of Object.entries(from)) {
    const below = isRecord(value) ? value : {};
    const existing = into[key];
    into[key] = isRecord(existing) ? mergeSets(existing, below, depth + 1) : mergeSets({}, below, depth + 1);
  }
  return into;
}

/** A node of the set that is owned itself, not only through what it holds. */
const ownedWhole = (node: FieldSet) => Object.keys(node).length === 0 || Object.hasOwn(node, '.');

/** Removes from `value` (a copy the caller owns) every field the set owns. */
export function removeManagedFields(value: unknown, set: FieldSet | undefined): void {
  if (!set) return;
  removeIn(value, set, 0);
}

function removeIn(value: unknown, set: FieldSet, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (isRecord(value)) {
    for (const [element, child] of Object.entries(set)) {
      if (!element.startsWith('f:')) continue;
      const name = element.slice(2);
      if (!Object.hasOwn(value, name)) continue;
      const node = isRecord(child) ? child : {};
      if (ownedWhole(node)) delete value[name];
      else removeIn(value[name], node, depth + 1);
    }
    return;
  }
  if (!Array.isArray(value)) return;
  const drop = new Set<number>();
  for (const [element, child] of Object.entries(set)) {
    const node = isRecord(child) ? child : {};
    for (const index of matchingIndexes(value, element)) {
      if (ownedWhole(node)) drop.add(index);
      else removeIn(value[index], node, depth + 1);
    }
  }
  for (const index of [...drop].sort((a, b) => b - a)) value.splice(index, 1);
}

/** The elements of a list a path element names: `k:{"name":"x"}`, `v:"x"`, `i:3`. */
function matchingIndexes(list: unknown[], element: string): number[] {
  const kind = element.slice(0, 2);
  const rest = element.slice(2);
  if (kind === 'i:') {
    const index = /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : -1;
    return index >= 0 && index < list.length ? [index] : [];
  }
  if (kind !== 'k:' && kind !== 'v:') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(rest);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const [i, item] of list.entries()) {
    if (kind === 'v:' ? isDeepStrictEqual(item, parsed) : keyMatches(item, parsed)) out.push(i);
  }
  return out;
}

/** An associative list's element matches a key when every field of the key has the same value in it. */
function keyMatches(item: unknown, key: unknown): boolean {
  if (!isRecord(item) || !isRecord(key)) return false;
  return Object.entries(key).every(([k, v]) => Object.hasOwn(item, k) && isDeepStrictEqual(item[k], v));
}
