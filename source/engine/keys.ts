// The one join key between Git and the cluster: {group, kind, namespace, name}.
import { compareText } from './fields.js';
import type { KubeObject, RenderedManifest, ResourceKey } from './types.js';

/** API group of an apiVersion: `apps/v1` -> `apps`, core `v1` -> ''. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The key of an object; `defaultNamespace` fills in a missing namespace (use '' for cluster-scoped). */
export function keyOf(obj: KubeObject, defaultNamespace = ''): ResourceKey {
  return {
    group: groupOf(obj.apiVersion ?? ''),
    kind: obj.kind ?? '',
    namespace: obj.metadata?.namespace || defaultNamespace,
    name: obj.metadata?.name ?? '',
  };
}

/** `apps/Deployment/shop/backend`; the core group and cluster scope are empty segments (`/Namespace//shop`). */
export function keyString(key: ResourceKey): string {
  // join makes one flat string; a template literal made a rope of four pieces and copies of '/ConfigMap/' that
  // stayed behind every key a map holds (about 19 MB of a fleet's 50,000 objects' keys).
  return [key.group, key.kind, key.namespace, key.name].join('/');
}

/**
 * The key strings of a list of manifests (namespaces already defaulted), worked out once per list: the render's
 * claims, the live index's lookups and the comparison's maps share these strings (a fleet's 50,000 objects had
 * four copies of each key).
 */
export function manifestKeys(list: readonly RenderedManifest[]): readonly string[] {
  let keys = MANIFEST_KEYS.get(list);
  if (!keys) {
    keys = list.map((m) => keyString(keyOf(m.object)));
    MANIFEST_KEYS.set(list, keys);
  }
  return keys;
}

const MANIFEST_KEYS = new WeakMap<readonly RenderedManifest[], string[]>();

/** The inverse of keyString; undefined unless the text has exactly four segments with a kind and a name. */
export function parseKeyString(text: string): ResourceKey | undefined {
  const parts = text.split('/');
  if (parts.length !== 4) return undefined;
  const [group = '', kind = '', namespace = '', name = ''] = parts;
  if (!kind || !name) return undefined;
  return { group, kind, namespace, name };
}

export function sameKey(a: ResourceKey, b: ResourceKey): boolean {
  return a.group === b.group && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

/** Stable order of keys: by their key string, in code-point order. */
export function compareKeys(a: ResourceKey, b: ResourceKey): number {
  return compareText(keyString(a), keyString(b));
}

/** `Deployment/backend`, what people read in lists and events. */
export function resourceLabel(key: Pick<ResourceKey, 'kind' | 'name'>): string {
  return `${key.kind}/${key.name}`;
}

/**
 * Whether a key is chosen by a `--resource` selector: `kind/name` (kind case-insensitive, as kubectl accepts
 * `deployment/backend`) or the exact `group/kind/namespace/name` with an empty group for the core group.
 */
export function matchesSelector(key: ResourceKey, selector: string): boolean {
  const parts = selector.trim().split('/');
  if (parts.length === 2) {
    const [kind = '', name = ''] = parts;
    return kind.toLowerCase() === key.kind.toLowerCase() && name === key.name;
  }
  if (parts.length === 4) {
    const wanted = parseKeyString(selector.trim());
    return wanted !== undefined && sameKey(wanted, key);
  }
  return false;
}

/** A selector has one of the two accepted shapes (for validating `--resource` before using it). */
export function isValidSelector(selector: string): boolean {
  const parts = selector.trim().split('/');
  if (parts.length === 2) return parts.every((p) => p.length > 0);
  return parts.length === 4 && parseKeyString(selector.trim()) !== undefined;
}
