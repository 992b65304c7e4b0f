// driftdeck's mark on the objects it applies. Only an object carrying the mark for an app, for this very object,
// may be pruned by that app: a label alone could be copied along with a manifest.
import { cloneJson } from './fields.js';
import { keyOf } from './keys.js';
import type { KubeObject, ResourceKey } from './types.js';

export const APP_LABEL = 'driftdeck.io/app';

/**
 * The server-side apply field manager of an app's applies. One per app, so that two apps never silently share a
 * field: a field another app applied with another value is a conflict naming that app's manager. (Argo CD and Flux
 * apply under one manager per controller; they also let only one application own an object, which driftdeck
 * enforces by refusing an object rendered by two apps.) App names are DNS labels, well under the 128 characters
 * the API server allows a manager name.
 */
export const fieldManagerFor = (app: string) => `driftdeck:${app}`;

/**
 * The one manager every app applied under before managers were per app. Its fields on an object carrying an app's
 * mark were that app's: the app takes them over (see loop/conflicts.ts), then the old manager gives them up.
 */
export const LEGACY_FIELD_MANAGER = 'driftdeck';
export const TRACKING_ANNOTATION = 'driftdeck.io/tracking-id';

/** `backend:apps/Deployment:shop/backend`; the core group is empty (`backend:/ConfigMap:shop/settings`). */
export function trackingId(app: string, key: ResourceKey): string {
  return `${app}:${key.group}/${key.kind}:${key.namespace}/${key.name}`;
}

/**
 * A copy of `obj` carrying the app label and the tracking annotation for `key`. Mark the object after its
 * namespace is defaulted, so that the key is the one the live object will have.
 */
export function markOwned(obj: KubeObject, app: string, key: ResourceKey = keyOf(obj)): KubeObject {
  const copy = cloneJson(obj);
  copy.metadata = {
    ...copy.metadata,
    labels: { ...copy.metadata.labels, [APP_LABEL]: app },
    annotations: { ...copy.metadata.annotations, [TRACKING_ANNOTATION]: trackingId(app, key) },
  };
  return copy;
}

/** The app named by the label, if any (whether or not the tracking id matches). */
export function appLabelOf(obj: KubeObject): string | undefined {
  return obj.metadata?.labels?.[APP_LABEL];
}

/** True only when the label names `app` and the annotation is the tracking id of this object's own key. */
export function isOwnedBy(obj: KubeObject, app: string): boolean {
  if (appLabelOf(obj) !== app) return false;
  return obj.metadata.annotations?.[TRACKING_ANNOTATION] === trackingId(app, keyOf(obj));
}
