// Knowing, without asking the server, that applying a manifest would change nothing. driftdeck stamps each object
// it applies with a hash of the manifest. When the live object still carries the hash of today's manifest and
// every field the manifest sets still holds the manifest's value, a server-side apply would be a no-op: the object
// is in sync and no dry-run is needed. Anything else (a new manifest, a field changed by hand, a value the server
// writes differently, such as `0.5` for `500m`) falls back to the dry-run.
import { createHash } from 'node:crypto';
import { sortKeysDeep } from './diff.js';
import { cloneJson, isRecord, settled } from './fields.js';
import type { KubeObject } from './types.js';

export const DESIRED_HASH_ANNOTATION = 'driftdeck.io/desired-hash';

/** A copy of the manifest carrying the hash of its own content (computed without the annotation). */
export function withDesiredHash(obj: KubeObject): KubeObject {
  return stampDesiredHash(cloneJson(obj));
}

/**
 * withDesiredHash on a copy the caller made for this alone (markOwned's): stamped in place rather than copied once
 * more, a deep copy of every manifest saved on each render.
 */
export function stampDesiredHash(copy: KubeObject): KubeObject {
  const annotations = { ...copy.metadata.annotations };
  delete annotations[DESIRED_HASH_ANNOTATION];
  copy.metadata = { ...copy.metadata, annotations };
  const hash = createHash('sha256')
    .update(JSON.stringify(sortKeysDeep(copy)))
    .digest('base64url')
    .slice(0, 22);
  // Kept for every manifest of every app: `settled`, so that they share one hidden class.
  copy.metadata.annotations = settled({ ...annotations, [DESIRED_HASH_ANNOTATION]: hash });
  return copy;
}

/** Every value `part` sets is present and equal in `whole` (arrays element by element, same length). */
export function isSubset(part: unknown, whole: unknown): boolean {
  if (Array.isArray(part)) {
    return (
      Array.isArray(whole) && part.length === whole.length && part.every((p, i) => isSubset(p, whole[i]))
    );
  }
  if (isRecord(part)) {
    if (!isRecord(whole)) return false;
    return Object.entries(part).every(([k, v]) => isSubset(v, whole[k]));
  }
  return part === whole;
}

/** True when applying `desired` (stamped by withDesiredHash) over `live` is known to change nothing. */
export function appliedUnchanged(desired: KubeObject, live: KubeObject | undefined): boolean {
  const hash = desired.metadata.annotations?.[DESIRED_HASH_ANNOTATION];
  if (!live || !hash || live.metadata.annotations?.[DESIRED_HASH_ANNOTATION] !== hash) return false;
  return isSubset(desired, live);
}
