// The informer cache indexed once per comparison: by key, and by the app label. An app's live objects are those
// carrying its label (prune candidates among them) plus whatever exists under the keys Git wants (adoption).
import { APP_LABEL, keyOf, keyString, manifestKeys } from '../engine/index.js';
import type { KubeObject, RenderedManifest } from '../engine/types.js';

export interface LiveIndex {
  byKey: Map<string, KubeObject>;
  /** The objects labelled for each app, by key string. */
  byApp: Map<string, Map<string, KubeObject>>;
  /** Pods by namespace: an app's failing pods are looked for only in the namespaces of its objects. */
  pods: Map<string, KubeObject[]>;
}

/** The pods in the namespaces of these resources. */
export function podsOf(
  index: LiveIndex,
  resources: ReadonlyArray<{ key: { namespace: string } }>,
): KubeObject[] {
  const namespaces = new Set(resources.map((r) => r.key.namespace));
  return [...namespaces].flatMap((ns) => index.pods.get(ns) ?? []);
}

export function indexLive(cached: Iterable<KubeObject>): LiveIndex {
  const index: LiveIndex = { byKey: new Map(), byApp: new Map(), pods: new Map() };
  addToLiveIndex(index, cached);
  return index;
}

/** Adds objects to an index (a comparison of a fleet indexes its cache a piece at a time, taking turns). */
export function addToLiveIndex(index: LiveIndex, objects: Iterable<KubeObject>): void {
  const { byKey, byApp, pods } = index;
  for (const o of objects) {
    const id = keyString(keyOf(o));
    byKey.set(id, o);
    if (o.kind === 'Pod' && o.apiVersion === 'v1') {
      const ns = o.metadata.namespace ?? '';
      const list = pods.get(ns);
      if (list) list.push(o);
      else pods.set(ns, [o]);
    }
    const app = o.metadata.labels?.[APP_LABEL];
    if (!app) continue;
    const labelled = byApp.get(app);
    if (labelled) labelled.set(id, o);
    else byApp.set(app, new Map([[id, o]]));
  }
}

/** Live objects of one app by key string. */
export function liveForApp(
  index: LiveIndex,
  app: string,
  desired: RenderedManifest[],
): Map<string, KubeObject> {
  const live = new Map<string, KubeObject>(index.byApp.get(app));
  for (const id of manifestKeys(desired)) {
    const o = index.byKey.get(id);
    if (o) live.set(id, o);
  }
  return live;
}
