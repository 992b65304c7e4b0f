// An Argo CD AppProject (argoproj.io/v1alpha1) as the narrowing of its Applications' policy: its destinations (on
// the default cluster, or on the cluster an app names) and its cluster and namespaced resource white- and blacklists, read as Argo CD reads them
// (IsGroupKindPermitted: no clusterResourceWhitelist allows no cluster-scoped kind; no namespaceResourceWhitelist
// allows every namespaced kind). It only ever narrows what driftdeck.yaml's policy allows (engine/policy.ts), so a
// commit adding or widening an AppProject gains no rights. What it restricts that driftdeck does not do (sync
// windows, signed commits, impersonation) holds its apps rather than being dropped; an Application from a repository
// its sourceRepos do not name is refused, as Argo CD refuses it.
import { globMatches } from '../../engine/policy.js';
import type { GroupKindGlob, PolicyLayer, SourceLocation } from '../../engine/types.js';
import {
  DESTINATION,
  DESTINATION_EXPECTED,
  GROUP,
  GROUP_EXPECTED,
  KIND,
  KIND_EXPECTED,
} from '../policy-spec.js';
import { type FoundObject, list, obj, type Plain, said, text, written } from './found.js';
import { canonicalRepoUrl, sameRepository } from './repo-url.js';

export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
export const IN_CLUSTER_NAME = 'in-cluster';

/** Fields that restrict what Argo CD does in ways driftdeck does not honour: an app of such a project is held. */
const UNSUPPORTED = ['syncWindows', 'signatureKeys', 'destinationServiceAccounts'] as const;

export interface ProjectRead {
  name: string;
  at: SourceLocation;
  layer?: PolicyLayer;
  /** Why it cannot be read (its apps are in error). */
  problem?: string;
  /** Restricting fields driftdeck does not honour (its apps are Unmanaged). */
  unsupported: string[];
  /** spec.sourceRepos: the repositories its Applications may come from (globs). */
  sourceRepos: string[];
  /** Namespace globs of its destinations that name a cluster (`name`, a glob), for apps deployed there. */
  named: Array<{ cluster: string; namespace: string }>;
}

export function isAppProject(found: FoundObject): boolean {
  return found.object.kind === 'AppProject' && found.object.apiVersion?.startsWith('argoproj.io/');
}

export function readAppProject(found: FoundObject): ProjectRead {
  const name = typeof found.object.metadata?.name === 'string' ? found.object.metadata.name : '';
  const at = found.source;
  const spec = obj(found.object.spec);
  const unsupported = UNSUPPORTED.filter((f) => written(spec[f])).map((f) => `spec.${f}`);
  const sourceRepos = list(spec.sourceRepos).flatMap((r) => (typeof r === 'string' ? [r] : []));
  const problems: string[] = [];
  const destinations: string[] = [];
  const named: ProjectRead['named'] = [];
  for (const [i, raw] of list(spec.destinations).entries()) {
    const d = obj(raw);
    const server = text(d.server);
    const clusterName = text(d.name);
    const inCluster =
      (server !== undefined && globMatches(server.replace(/\/+$/, ''), IN_CLUSTER_SERVER)) ||
      (clusterName !== undefined && globMatches(clusterName, IN_CLUSTER_NAME));
    // Entries by server URL for other clusters grant nothing: driftdeck knows clusters by name (argocd.ts).
    if (!inCluster && !clusterName) continue;
    const namespace = text(d.namespace) ?? '';
    if (!DESTINATION.test(namespace)) {
      problems.push(
        `spec.destinations[${i}].namespace: expected ${DESTINATION_EXPECTED}, got ${said(namespace)}`,
      );
      continue;
    }
    if (inCluster) destinations.push(namespace);
    if (clusterName) named.push({ cluster: clusterName, namespace });
  }
  const kinds = (field: string): GroupKindGlob[] => {
    const out: GroupKindGlob[] = [];
    for (const [i, raw] of list(spec[field]).entries()) {
      const r = obj(raw);
      const group = text(r.group) ?? '';
      const kind = text(r.kind) ?? '';
      if (!GROUP.test(group))
        problems.push(`spec.${field}[${i}].group: expected ${GROUP_EXPECTED}, got ${said(group)}`);
      else if (!KIND.test(kind))
        problems.push(`spec.${field}[${i}].kind: expected ${KIND_EXPECTED}, got ${said(kind)}`);
      else out.push({ group, kind });
      if (written(r.name)) unsupported.push(`spec.${field}[${i}].name`);
    }
    return out;
  };
  const has = (field: string) => (spec as Plain)[field] !== undefined && (spec as Plain)[field] !== null;
  const layer: PolicyLayer = {
    origin: `AppProject ${name} at ${at.file}:${at.line}`,
    destinations,
    clusterResources: { allow: kinds('clusterResourceWhitelist'), deny: kinds('clusterResourceBlacklist') },
    namespacedResources: {
      ...(has('namespaceResourceWhitelist') ? { allow: kinds('namespaceResourceWhitelist') } : {}),
      deny: kinds('namespaceResourceBlacklist'),
    },
  };
  if (problems.length)
    return { name, at, unsupported, sourceRepos, named, problem: problems.slice(0, 3).join('; ') };
  return { name, at, layer, unsupported, sourceRepos, named };
}

/**
 * The namespaces the project lets an app deploy to on its cluster: the in-cluster entries for an app naming none,
 * else the entries whose `name` glob matches its cluster (Argo CD matches a destination by server or name; driftdeck
 * knows a named cluster's name only).
 */
export function projectDestinations(project: ProjectRead, cluster: string | undefined): string[] {
  if (cluster === undefined) return project.layer?.destinations ?? [];
  return project.named.filter((d) => globMatches(d.cluster, cluster)).map((d) => d.namespace);
}

/**
 * Whether the project lets an Application come from `repoURL` (Argo CD refuses one it does not): an entry `*`, the
 * same repository however spelled, or a glob matching the URL as written or in its one spelling.
 */
export function sourcePermitted(project: ProjectRead, repoURL: string): boolean {
  const canonical = canonicalRepoUrl(repoURL);
  return project.sourceRepos.some(
    (entry) =>
      entry === '*' ||
      sameRepository(entry, repoURL) ||
      globMatches(entry, repoURL) ||
      globMatches(canonicalRepoUrl(entry), canonical),
  );
}

/** The AppProjects found, by name (a name written twice keeps both: its apps are then in error). */
export function projectsByName(found: readonly FoundObject[]): Map<string, ProjectRead[]> {
  const out = new Map<string, ProjectRead[]>();
  for (const f of found) {
    if (!isAppProject(f)) continue;
    const p = readAppProject(f);
    out.set(p.name, [...(out.get(p.name) ?? []), p]);
  }
  return out;
}
