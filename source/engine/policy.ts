// What an app may write, after Argo CD's AppProject: `destinations` (namespace globs; `!` refuses) and an allow-list
// of cluster-scoped kinds (group/kind globs). Above any policy, driftdeck's own namespace is refused to every app:
// a Lease there with a renewTime in the future blocks an app's syncs, and a history ConfigMap written from Git feeds
// every console hostile records. The check runs on the rendered objects with their namespaces defaulted, before
// anything is compared or applied; one refused object refuses the whole revision of the app.
import { groupOf } from './keys.js';
import type { IsNamespaced } from './namespaces.js';
import { SYSTEM_NAMESPACE } from './ports.js';
import type {
  AppPolicy,
  AppSpec,
  GroupKindGlob,
  KubeObject,
  LocatedError,
  PolicyLayer,
  RenderedManifest,
} from './types.js';

/** Without a policy an app may write any namespace (but driftdeck's own) and any cluster-scoped kind. */
export const DEFAULT_POLICY: AppPolicy = {
  destinations: ['*'],
  clusterResources: [{ group: '*', kind: '*' }],
};

/** Go's filepath.Match for names without `/` (which Argo CD uses): `*` any run of characters, `?` exactly one. */
export function globMatches(pattern: string, value: string): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** The destination entry that refuses `namespace` (a `!` entry that matches, or none that allows it), if any. */
export function destinationRefusal(destinations: string[], namespace: string): string | undefined {
  const deny = destinations.find((d) => d.startsWith('!') && globMatches(d.slice(1), namespace));
  if (deny) return `is refused by destination "${deny}"`;
  if (destinations.some((d) => !d.startsWith('!') && globMatches(d, namespace))) return undefined;
  return 'is not among the destinations allowed';
}

export function clusterKindAllowed(policy: AppPolicy, group: string, kind: string): boolean {
  return policy.clusterResources.some((r) => globMatches(r.group, group) && globMatches(r.kind, kind));
}

const allowsEveryClusterKind = (policy: AppPolicy) =>
  policy.clusterResources.some((r) => r.group === '*' && r.kind === '*');

function objectLabel(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata?.name ?? ''}`;
}

/**
 * Why `app` may not write `obj` (its namespace already defaulted), or undefined when it may. `namespaced` is what
 * discovery says of the kind (undefined: it does not know).
 */
export function policyRefusal(
  app: AppSpec,
  obj: KubeObject,
  namespaced: boolean | undefined,
): string | undefined {
  const base = baseRefusal(app, obj, namespaced);
  if (base) return base;
  for (const layer of app.policy?.narrowedBy ?? []) {
    const refused = layerRefusal(app.name, layer, obj, namespaced);
    if (refused) return refused;
  }
  return undefined;
}

const inList = (list: readonly GroupKindGlob[], group: string, kind: string) =>
  list.some((r) => globMatches(r.group, group) && globMatches(r.kind, kind));

/** Argo CD's IsGroupKindPermitted: on the allow-list (an absent namespaced one allows all) and not on the deny-list. */
export function layerAllowsKind(
  layer: PolicyLayer,
  group: string,
  kind: string,
  namespaced: boolean,
): boolean {
  const rules = namespaced ? layer.namespacedResources : layer.clusterResources;
  const allowed = rules.allow === undefined || inList(rules.allow, group, kind);
  return allowed && !inList(rules.deny, group, kind);
}

/** Why a narrowing (an AppProject) refuses `obj` to app `appName`, if it does. */
export function layerRefusal(
  appName: string,
  layer: PolicyLayer,
  obj: KubeObject,
  namespaced: boolean | undefined,
): string | undefined {
  const label = objectLabel(obj);
  const group = groupOf(obj.apiVersion ?? '');
  const kind = group ? `${group}/${obj.kind}` : obj.kind;
  const where = ` for app ${appName} (${layer.origin})`;
  const namespace = obj.metadata?.namespace ?? '';
  if (namespace) {
    const refused = destinationRefusal(layer.destinations, namespace);
    if (refused) return `${label}: namespace ${namespace} ${refused}${where}`;
  }
  if (namespaced === undefined) {
    if (layerAllowsKind(layer, group, obj.kind, true) && layerAllowsKind(layer, group, obj.kind, false))
      return undefined;
    return `${label}: the cluster does not say whether kind ${obj.kind} is cluster-scoped, and the resources allowed${where} depend on it`;
  }
  if (!layerAllowsKind(layer, group, obj.kind, namespaced)) {
    const lists = namespaced
      ? 'namespaceResourceWhitelist/namespaceResourceBlacklist'
      : 'clusterResourceWhitelist/clusterResourceBlacklist';
    return `${label}: ${namespaced ? 'namespaced' : 'cluster-scoped'} kind ${kind} is not permitted by ${lists}${where}`;
  }
  if (group === '' && obj.kind === 'Namespace') {
    const refused = destinationRefusal(layer.destinations, obj.metadata.name);
    if (refused) return `${label}: namespace ${obj.metadata.name} ${refused}${where}`;
  }
  return undefined;
}

function baseRefusal(app: AppSpec, obj: KubeObject, namespaced: boolean | undefined): string | undefined {
  const policy = app.policy ?? DEFAULT_POLICY;
  const label = objectLabel(obj);
  const group = groupOf(obj.apiVersion ?? '');
  const origin = (rule: 'destinations' | 'clusterResources') =>
    ` (${policy.origin?.[rule] ?? 'the default policy'})`;
  const own = `is driftdeck's own (its sync leases and history) and is refused to every app, whatever the policy`;
  const isNamespaceObject = group === '' && obj.kind === 'Namespace';
  const namespace = obj.metadata?.namespace ?? '';
  if (namespace === SYSTEM_NAMESPACE) return `${label}: namespace ${SYSTEM_NAMESPACE} ${own}`;
  if (isNamespaceObject && obj.metadata?.name === SYSTEM_NAMESPACE)
    return `${label}: namespace ${SYSTEM_NAMESPACE} ${own}`;
  if (namespace) {
    const refused = destinationRefusal(policy.destinations, namespace);
    if (refused)
      return `${label}: namespace ${namespace} ${refused} for app ${app.name}${origin('destinations')}`;
  }
  if (namespaced === undefined && !allowsEveryClusterKind(policy))
    return `${label}: the cluster does not say whether kind ${obj.kind} is cluster-scoped, and app ${app.name} may write only some cluster-scoped kinds${origin('clusterResources')}`;
  if (namespaced !== false) return undefined;
  if (!clusterKindAllowed(policy, group, obj.kind)) {
    const kind = group ? `${group}/${obj.kind}` : obj.kind;
    return `${label}: cluster-scoped kind ${kind} is not among the cluster resources allowed for app ${app.name}${origin('clusterResources')}`;
  }
  // A Namespace object is the namespace itself: writing it (labels, quotas by admission, a prune) needs it allowed.
  if (isNamespaceObject) {
    const refused = destinationRefusal(policy.destinations, obj.metadata.name);
    if (refused)
      return `${label}: namespace ${obj.metadata.name} ${refused} for app ${app.name}${origin('destinations')}`;
  }
  return undefined;
}

/**
 * Every object of one render checked against the app's policy: undefined when all pass, else one error naming the
 * first refused object's file and line, with the others counted and listed after it.
 */
export function checkPolicy(
  app: AppSpec,
  manifests: RenderedManifest[],
  isNamespaced: IsNamespaced,
): LocatedError | undefined {
  const refusals: LocatedError[] = [];
  for (const m of manifests) {
    const obj = m.object;
    const message = policyRefusal(app, obj, isNamespaced(groupOf(obj.apiVersion ?? ''), obj.kind));
    if (message) refusals.push({ message, file: m.source.file, line: m.source.line });
  }
  const [first, ...rest] = refusals;
  if (!first) return undefined;
  if (!rest.length) return first;
  const others = rest.map((e) => `${e.file}:${e.line}: ${e.message}`).join('; ');
  return { ...first, message: `${first.message} (and ${rest.length} more: ${others})` };
}
