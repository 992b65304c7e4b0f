// Custom resources whose definition comes in the same sync. Discovery does not know a kind before its CRD is
// applied, so an app that installs CRDs and uses them would be refused forever; a kind one of the app's own CRDs
// defines (group, kind and a served version) is "pending" instead: shown as to be created, applied once the CRD is
// Established. Everything here reads rendered manifests, which are hostile: a field of the wrong type defines nothing.
import { arrayAt, isRecord, stringAt } from './fields.js';
import { groupOf } from './keys.js';
import type { KubeObject, ResourceResult } from './types.js';

export const CRD_GROUP = 'apiextensions.k8s.io';

export interface CrdDefinition {
  /** The CRD's metadata.name (`widgets.example.com`). */
  name: string;
  group: string;
  kind: string;
  /** Versions with `served: true`. */
  served: string[];
  namespaced: boolean;
}

export const isCrd = (obj: { apiVersion?: string; kind?: string }) =>
  obj.kind === 'CustomResourceDefinition' && groupOf(obj.apiVersion ?? '') === CRD_GROUP;

/** True when a sync created a CRD: custom resources of its kind were not watched before (the kind was unknown). */
export const createdCrd = (record: { resources: readonly ResourceResult[] }) =>
  record.resources.some(
    (r) => r.ok && r.action === 'created' && isCrd({ apiVersion: r.apiVersion, kind: r.key.kind }),
  );

/** The kinds these objects define, from their CRDs; a CRD missing a group, kind or version defines nothing. */
export function crdDefinitions(objects: readonly KubeObject[]): CrdDefinition[] {
  const out: CrdDefinition[] = [];
  for (const obj of objects) {
    if (!isCrd(obj)) continue;
    const name = stringAt(obj, 'metadata', 'name');
    const group = stringAt(obj, 'spec', 'group');
    const kind = stringAt(obj, 'spec', 'names', 'kind');
    if (!name || !group || !kind) continue;
    const served = arrayAt(obj, 'spec', 'versions')
      .filter((v) => isRecord(v) && v.served === true && typeof v.name === 'string')
      .map((v) => (v as { name: string }).name);
    out.push({ name, group, kind, served, namespaced: stringAt(obj, 'spec', 'scope') !== 'Cluster' });
  }
  return out;
}

/** The CRD among `crds` that serves this apiVersion and kind, if any. */
export function definitionFor(
  crds: readonly CrdDefinition[],
  apiVersion: string,
  kind: string,
): CrdDefinition | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return crds.find((c) => c.group === group && c.kind === kind && c.served.includes(version));
}

export type UnknownKindDecision = { pending: true; crd: CrdDefinition } | { pending: false; message: string };

/**
 * What to make of a kind discovery does not know: pending when the app's own CRDs define it; otherwise the clear
 * error, saying which other app of the revision defines it when one does, or which versions its CRD serves.
 */
export function decideUnknownKind(
  obj: { apiVersion: string; kind: string },
  ownCrds: readonly CrdDefinition[],
  otherApps: ReadonlyArray<{ app: string; crds: readonly CrdDefinition[] }> = [],
): UnknownKindDecision {
  const own = definitionFor(ownCrds, obj.apiVersion, obj.kind);
  if (own) return { pending: true, crd: own };
  const base = `no kind ${obj.kind} in ${obj.apiVersion} on the cluster`;
  const group = groupOf(obj.apiVersion);
  const sameKind = ownCrds.find((c) => c.group === group && c.kind === obj.kind);
  if (sameKind)
    return {
      pending: false,
      message: `${base}: its CRD ${sameKind.name} in this app serves ${sameKind.served.length ? sameKind.served.join(', ') : 'no version'}, not ${obj.apiVersion.slice(group.length + 1)}`,
    };
  const elsewhere = otherApps.find((o) => definitionFor(o.crds, obj.apiVersion, obj.kind));
  if (elsewhere)
    return {
      pending: false,
      message: `${base}: its CRD is in app ${elsewhere.app}, which is not synced yet; sync ${elsewhere.app} first`,
    };
  return { pending: false, message: `${base} (is its CRD installed?)` };
}

/** Namespaced-ness from discovery, else from a pending CRD's scope. */
export function namespacedWithPending(
  crds: readonly CrdDefinition[],
  known: (group: string, kind: string) => boolean | undefined,
): (group: string, kind: string) => boolean | undefined {
  return (group, kind) =>
    known(group, kind) ?? crds.find((c) => c.group === group && c.kind === kind)?.namespaced;
}
