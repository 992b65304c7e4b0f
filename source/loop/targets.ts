import { keyString } from '../engine/keys.js';
import { historyConfigMapName, SYSTEM_NAMESPACE, type WatchTarget } from '../engine/ports.js';
import { historyRecords, type ParsedRecords } from '../engine/sync-records.js';
import type { AppSpec, KubeObject, RenderedManifest, SyncRecord } from '../engine/types.js';

/**
 * The collections the cache must hold: every kind the apps render, in each app's namespaces; kinds an app applied
 * before (so a manifest deleted from Git still shows as a prune candidate); pods and Warning events of the app
 * namespaces for the rollout log; and driftdeck's own sync history.
 */
export function watchTargets(
  apps: AppSpec[],
  desired: RenderedManifest[],
  records: SyncRecord[] = [],
  stateNamespace = SYSTEM_NAMESPACE,
): WatchTarget[] {
  const out = new Map<string, WatchTarget>();
  const add = (apiVersion: string, kind: string, namespace: string) => {
    out.set(`${apiVersion}/${kind}/${namespace}`, { apiVersion, kind, namespace });
  };
  const namespaces = new Set(apps.map((a) => a.namespace));
  for (const d of desired) {
    const ns = d.object.metadata.namespace ?? '';
    if (ns) namespaces.add(ns);
    add(d.object.apiVersion, d.object.kind, ns);
  }
  for (const r of records) {
    for (const res of r.resources) if (res.apiVersion) add(res.apiVersion, res.key.kind, res.key.namespace);
    for (const k of r.kinds ?? []) {
      const [apiVersion, kind, namespace] = k.split('|');
      if (apiVersion && kind) add(apiVersion, kind, namespace ?? '');
    }
  }
  for (const ns of namespaces) {
    add('v1', 'Pod', ns);
    add('v1', 'Event', ns);
  }
  add('v1', 'ConfigMap', stateNamespace);
  return [...out.values()];
}

/**
 * Sync records of an app, newest first, read from the cached history ConfigMap (no request). Malformed records are
 * left out and described in `problems` (the ConfigMap is the cluster's to edit: never trusted, never thrown on).
 */
export function recordsFromCache(
  cached: KubeObject[] | ((key: string) => KubeObject | undefined),
  app: string,
  stateNamespace = SYSTEM_NAMESPACE,
): ParsedRecords {
  return historyRecords(historyOf(cached, app, stateNamespace), historySource(app, stateNamespace));
}

const historySource = (app: string, stateNamespace: string) =>
  `ConfigMap ${stateNamespace}/${historyConfigMapName(app)}`;

/**
 * The app's history ConfigMap in the cache: looked up by key when given the live index's lookup (a fleet's
 * comparison asks for every app's, and a scan of the whole cache per app grew with apps times objects).
 */
export function historyOf(
  cached: KubeObject[] | ((key: string) => KubeObject | undefined),
  app: string,
  stateNamespace = SYSTEM_NAMESPACE,
): (KubeObject & { data?: Record<string, unknown> }) | undefined {
  const name = historyConfigMapName(app);
  if (typeof cached === 'function')
    return cached(keyString({ group: '', kind: 'ConfigMap', namespace: stateNamespace, name }));
  return cached.find(
    (o) => o.kind === 'ConfigMap' && o.metadata.namespace === stateNamespace && o.metadata.name === name,
  );
}

/** The records with `own` (the last sync this loop made) first, until the cached history holds it or something newer. */
export function withOwnRecord(own: SyncRecord | undefined, records: SyncRecord[]): SyncRecord[] {
  if (!own || records.some((r) => r.startedAt === own.startedAt && r.by === own.by)) return records;
  return (records[0]?.finishedAt ?? '') > own.finishedAt ? records : [own, ...records];
}

/** The field managers the apps' ignore rules name: the cache keeps their managedFields field sets (kube/slim.ts). */
export function fieldManagersOf(apps: readonly AppSpec[]): string[] {
  return [...new Set(apps.flatMap((a) => a.ignore.flatMap((r) => r.managedFieldsManagers ?? [])))];
}
