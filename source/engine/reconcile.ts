// Pairing what Git wants with what the cluster holds, by the one join key.
import { hasHookAnnotation } from './hooks.js';
import { compareKeys, keyOf, keyString, manifestKeys, resourceLabel } from './keys.js';
import { isOwnedBy } from './ownership.js';
import type { KubeObject, LocatedError, RenderedManifest, ResourceKey } from './types.js';

export interface ResourcePair {
  key: ResourceKey;
  /** keyString(key), the render's own string for a desired resource (engine/keys.ts manifestKeys). */
  id: string;
  desired?: RenderedManifest;
  live?: KubeObject;
  /** No desired twin, the live object carries this app's mark for itself, and nothing else needs it: it may be
   * pruned. */
  prunable: boolean;
  /** Why a live object carrying this app's mark is kept all the same (another app renders it). */
  kept?: string;
}

export type ReconcileResult = { ok: true; pairs: ResourcePair[] } | { ok: false; error: LocatedError };

/**
 * Pairs desired manifests (namespaces already defaulted) with live objects. Live objects without a desired twin
 * are kept only when they carry this app's mark (prune candidates); others (another app's, hand-made, or made by a
 * controller, i.e. with ownerReferences) are none of this app's business. `keep` says why a candidate must stay
 * (another app renders it): such a pair is listed, not prunable. Desired pairs come first in source order, then
 * prune candidates sorted by key.
 */
export function reconcile(
  desired: RenderedManifest[],
  live: KubeObject[],
  app: string,
  keep: (key: ResourceKey) => string | undefined = () => undefined,
): ReconcileResult {
  const liveByKey = new Map<string, KubeObject>();
  for (const obj of live) liveByKey.set(keyString(keyOf(obj)), obj);

  const pairs: ResourcePair[] = [];
  const seen = new Map<string, RenderedManifest>();
  const ids = manifestKeys(desired);
  for (const [i, manifest] of desired.entries()) {
    const key = keyOf(manifest.object);
    const id = ids[i]!;
    const first = seen.get(id);
    if (first) return { ok: false, error: duplicateError(key, first, manifest) };
    seen.set(id, manifest);
    const twin = liveByKey.get(id);
    pairs.push(
      twin
        ? { key, id, desired: manifest, live: twin, prunable: false }
        : { key, id, desired: manifest, prunable: false },
    );
  }

  const extra: ResourcePair[] = [];
  for (const [id, obj] of liveByKey) {
    if (seen.has(id)) continue;
    if ((obj.metadata.ownerReferences?.length ?? 0) > 0) continue;
    // A hook a sync ran is the sync's, not a resource of the app: its delete policy removes it, never a prune.
    if (hasHookAnnotation(obj)) continue;
    if (!isOwnedBy(obj, app)) continue;
    const key = keyOf(obj);
    const kept = keep(key);
    extra.push(kept ? { key, id, live: obj, prunable: false, kept } : { key, id, live: obj, prunable: true });
  }
  extra.sort((a, b) => compareKeys(a.key, b.key));
  return { ok: true, pairs: [...pairs, ...extra] };
}

function duplicateError(key: ResourceKey, first: RenderedManifest, second: RenderedManifest): LocatedError {
  const where = key.namespace ? ` in namespace ${key.namespace}` : '';
  const a = `${first.source.file}:${first.source.line}`;
  const b = `${second.source.file}:${second.source.line}`;
  return {
    message: `${resourceLabel(key)}${where} is defined twice: ${a} and ${b}`,
    file: second.source.file,
    line: second.source.line,
  };
}
