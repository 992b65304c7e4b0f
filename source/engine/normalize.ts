// What is compared between Git and the cluster: the object without the fields the server owns or that change on
// every write, minus the values the app's ignore rules leave out.
import { cloneJson, isRecord } from './fields.js';
import { globMatches } from './policy.js';
import type { IgnoreRule, KubeObject, ResourceKey } from './types.js';

const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
// The desired-hash annotation is driftdeck's bookkeeping: it changes with every manifest change and is never news.
const SERVER_ANNOTATIONS = [
  LAST_APPLIED_ANNOTATION,
  'deployment.kubernetes.io/revision',
  'driftdeck.io/desired-hash',
] as const;

/** A deep copy of `obj` ready for comparison; `ignorePointers` are RFC 6901 pointers whose values are removed. */
export function normalize(obj: KubeObject, ignorePointers: readonly string[] = []): KubeObject {
  const copy = cloneJson(obj);
  delete copy.status;
  if (!isRecord(copy.metadata)) copy.metadata = { name: '' };
  const meta = copy.metadata;
  for (const field of SERVER_METADATA) delete meta[field];
  if (meta.annotations) {
    const annotations = { ...meta.annotations };
    for (const name of SERVER_ANNOTATIONS) delete annotations[name];
    meta.annotations = annotations;
  }
  removePointers(copy, ignorePointers);
  if (isRecord(copy.metadata)) {
    for (const map of ['labels', 'annotations'] as const) {
      const value = copy.metadata[map];
      if (value === null || (isRecord(value) && Object.keys(value).length === 0)) delete copy.metadata[map];
    }
  }
  return copy;
}

/** The reference tokens of an RFC 6901 pointer (`~1` is `/`, `~0` is `~`); undefined when it is not a pointer. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  const tokens = pointer.slice(1).split('/');
  if (tokens.some((t) => /~[^01]|~$/.test(t))) return undefined;
  return tokens.map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Removes the value at each pointer. All pointers are resolved against the object as given before anything is
 * removed, so `/spec/list/0` and `/spec/list/2` both mean the original elements. Pointers that lead nowhere, and
 * the whole-document pointer '', are ignored.
 */
export function removePointers(root: unknown, pointers: readonly string[]): void {
  const keys: Array<{ parent: Record<string, unknown>; key: string }> = [];
  const indexes = new Map<unknown[], Set<number>>();
  for (const pointer of pointers) {
    const tokens = parsePointer(pointer);
    if (!tokens || tokens.length === 0) continue;
    let node: unknown = root;
    for (const token of tokens.slice(0, -1)) node = child(node, token);
    const last = tokens[tokens.length - 1] ?? '';
    if (Array.isArray(node)) {
      const index = arrayIndex(last);
      if (index !== undefined && index < node.length) {
        const set = indexes.get(node) ?? new Set<number>();
        set.add(index);
        indexes.set(node, set);
      }
    } else if (isRecord(node) && Object.hasOwn(node, last)) {
      keys.push({ parent: node, key: last });
    }
  }
  for (const { parent, key } of keys) delete parent[key];
  for (const [array, set] of indexes) {
    for (const index of [...set].sort((a, b) => b - a)) array.splice(index, 1);
  }
}

function child(node: unknown, token: string): unknown {
  if (Array.isArray(node)) {
    const index = arrayIndex(token);
    return index === undefined ? undefined : node[index];
  }
  return isRecord(node) && Object.hasOwn(node, token) ? node[token] : undefined;
}

/** RFC 6901 array index: `0` or digits without a leading zero. */
function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}

/** What the app's ignore rules leave out of one resource's comparison. */
export interface IgnoreSet {
  /** JSON pointers removed from both sides. */
  pointers: string[];
  /** jq path expressions, evaluated on each side separately (the paths of one side are not those of the other). */
  jq: string[];
  /** Field managers whose fields on the live object are removed from both sides. */
  managers: string[];
}

// Group and kind are globs, as Argo CD matches them (`group: "*"`, `kind: "*"`); names and namespaces are exact.
const ruleMatches = (rule: IgnoreRule, key: ResourceKey) =>
  (rule.group === undefined || globMatches(rule.group, key.group)) &&
  (rule.kind === undefined || globMatches(rule.kind, key.kind)) &&
  (rule.namespace === undefined || rule.namespace === key.namespace) &&
  (rule.name === undefined || rule.name === key.name);

const addNew = (out: string[], values: readonly string[] | undefined) => {
  for (const v of values ?? []) if (!out.includes(v)) out.push(v);
};

/** Every rule that matches the key, together; a field a rule leaves out matches everything. */
export function ignoreSetFor(rules: readonly IgnoreRule[], key: ResourceKey): IgnoreSet {
  const out: IgnoreSet = { pointers: [], jq: [], managers: [] };
  for (const rule of rules) {
    if (!ruleMatches(rule, key)) continue;
    addNew(out.pointers, rule.jsonPointers);
    addNew(out.jq, rule.jqPathExpressions);
    addNew(out.managers, rule.managedFieldsManagers);
  }
  return out;
}

/** The pointers of every rule that matches the key. */
export function ignorePointersFor(rules: readonly IgnoreRule[], key: ResourceKey): string[] {
  return ignoreSetFor(rules, key).pointers;
}

/** A JSON pointer (RFC 6901) from a jq path (`["spec", "containers", 1]`). */
export function pointerOfPath(path: ReadonlyArray<string | number>): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
